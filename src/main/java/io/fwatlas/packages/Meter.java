package io.fwatlas.packages;

import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it, fails past a limit, and remembers whether its source ran dry:
 * a reader directly above it that fails after that has met the end of the data, not bad data.
 * Closing it leaves the source open (the caller owns the package stream).
 */
final class Meter extends ReadThroughStream {
    private final InputStream in;
    private final String what;
    private final long limit;
    private final boolean source;
    private long position;
    private boolean ended;

    /**
     * @param what   names the stream in messages ("data.tar.xz", "rpm payload")
     * @param limit  the most bytes that may pass; one more is an {@link ExpansionLimitException}
     * @param source true for the caller's stream: its IOExceptions are I/O errors, not package faults
     */
    Meter(InputStream in, String what, long limit, boolean source) {
        this.in = in;
        this.what = what;
        this.limit = limit;
        this.source = source;
    }

    long position() {
        return position;
    }

    boolean ended() {
        return ended;
    }

    String what() {
        return what;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (Fault f) {
            throw f;
        } catch (IOException e) {
            if (!source) {
                throw e;
            }
            throw new Fault(new PackageReadException(position, e.toString()));
        }
        if (n < 0) {
            ended = true;
            return -1;
        }
        position += n;
        if (position > limit) {
            throw new Fault(new ExpansionLimitException(what, limit, position));
        }
        return n;
    }

    /** Reads to the end; returns the bytes read. */
    long drain() throws IOException {
        long total = 0;
        byte[] scratch = new byte[64 * 1024];
        for (int r; (r = read(scratch, 0, scratch.length)) >= 0; ) {
            total += r;
        }
        return total;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() {
        // the source belongs to the layer below
    }
}
