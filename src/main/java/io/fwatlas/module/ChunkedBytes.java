package io.fwatlas.module;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decompressed bytes held in a list of arrays: growing never copies, so memory stays near the
 * content size (at most {@link #MAX_CHUNK} more) instead of the two arrays a doubling copy holds.
 * Writing past the limit throws {@link SizeLimitException}.
 */
final class ChunkedBytes implements ByteSource {
    static final int MAX_CHUNK = 8 << 20;

    private final long limit;
    private final String what;
    private final List<byte[]> chunks = new ArrayList<>();
    private long length;
    /** Bytes used in the last chunk. */
    private int used;
    private int nextSize;

    /** @param firstChunk a guess at the content size; later chunks double up to {@link #MAX_CHUNK} */
    ChunkedBytes(int firstChunk, long limit, String what) {
        this.limit = limit;
        this.what = what;
        this.nextSize = Math.max(1, Math.min(firstChunk, MAX_CHUNK));
    }

    /** Reads all of {@code in}; throws as soon as the content would pass the limit. */
    void readAll(InputStream in) throws IOException, SizeLimitException {
        while (true) {
            byte[] room = room();
            int n = in.read(room, used, room.length - used);
            if (n < 0) {
                return;
            }
            advance(n);
        }
    }

    /** The last chunk, with free space from {@link #offset()} on; a new one is added when it is full. */
    byte[] room() throws SizeLimitException {
        byte[] last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (last != null && used < last.length) {
            return last;
        }
        if (length > limit - 1) {
            // Full at the limit: one more byte would be too many. Reading it tells whether one comes.
            byte[] probe = new byte[1];
            chunks.add(probe);
            used = 0;
            return probe;
        }
        int size = (int) Math.min(nextSize, limit - length);
        nextSize = (int) Math.min((long) nextSize * 2, MAX_CHUNK);
        byte[] chunk = new byte[size];
        chunks.add(chunk);
        used = 0;
        return chunk;
    }

    int offset() {
        return used;
    }

    /** Marks {@code n} bytes written into {@link #room()} at {@link #offset()}. */
    void advance(int n) throws SizeLimitException {
        used += n;
        length += n;
        if (length > limit) {
            throw new SizeLimitException(what, limit, length);
        }
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
        long start = 0;
        int i = 0;
        while (len > 0) {
            byte[] c = chunks.get(i);
            long end = start + c.length;
            if (pos < end) {
                int from = (int) (pos - start);
                int n = Math.min(len, c.length - from);
                System.arraycopy(c, from, buf, off, n);
                pos += n;
                off += n;
                len -= n;
            }
            start = end;
            i++;
        }
    }

    @Override
    public InputStream stream() {
        return new SourceInputStream(this);
    }

    /** A copy in one array, for tests and small consumers. */
    byte[] toByteArray() {
        byte[] out = new byte[(int) length];
        readFully(0, out, 0, out.length);
        return out;
    }
}
