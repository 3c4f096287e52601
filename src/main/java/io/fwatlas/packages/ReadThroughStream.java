package io.fwatlas.packages;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream whose single-byte read and skip go through {@link #read(byte[], int, int)}, so
 * every byte passes the subclass's counting and checks.
 */
abstract class ReadThroughStream extends InputStream {
    private static final int SKIP_BUFFER = 64 * 1024;

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Skips by reading, with a larger buffer than InputStream's own. */
    @Override
    public long skip(long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(Math.max(n, 1), SKIP_BUFFER)];
        long done = 0;
        while (done < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }
}
