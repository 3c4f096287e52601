package io.fwatlas.module;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A byte array, or a prefix of one, as a {@link ByteSource}. */
public final class ArrayByteSource implements ByteSource {
    private final byte[] data;
    private final int length;

    public ArrayByteSource(byte[] data) {
        this(data, data.length);
    }

    public ArrayByteSource(byte[] data, int length) {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside array of " + data.length);
        }
        this.data = data;
        this.length = length;
    }

    @Override
    public long size() {
        return length;
    }

    @Override
    public void readFully(long pos, byte[] buf, int off, int len) {
        if (pos < 0 || len < 0 || pos > length - len) {
            throw new IndexOutOfBoundsException("read of " + len + " bytes at " + pos + " outside " + length);
        }
        System.arraycopy(data, (int) pos, buf, off, len);
    }

    @Override
    public InputStream stream() {
        return new ByteArrayInputStream(data, 0, length);
    }
}
