package io.fwatlas.module;

import java.io.IOException;
import java.io.InputStream;

/** A {@link ByteSource} read from its first byte by positioned reads. */
final class SourceInputStream extends InputStream {
    private final ByteSource source;
    private long pos;

    SourceInputStream(ByteSource source) {
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long size = source.size();
        if (pos >= size) {
            return -1;
        }
        int n = (int) Math.min(len, size - pos);
        source.readFully(pos, b, off, n);
        pos += n;
        return n;
    }
}
