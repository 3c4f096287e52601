package io.fwatlas.module;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decompressed bytes held in a list of chunks: growing never copies, so memory stays near the
 * content size (at most {@link #MAX_CHUNK} more) instead of the two arrays a doubling copy holds.
 * Writing past the limit throws {@link SizeLimitException}. Chunks are heap arrays or native memory.
 */
abstract class ChunkList<C> implements ByteSource {
    static final int MAX_CHUNK = 8 << 20;

    private final long limit;
    private final String what;
    final List<C> chunks = new ArrayList<>();
    private long length;
    /** Bytes used in the last chunk. */
    private int used;
    private int nextSize;

    /** @param firstChunk a guess at the content size; later chunks double up to {@link #MAX_CHUNK} */
    ChunkList(long firstChunk, long limit, String what) {
        this.limit = limit;
        this.what = what;
        this.nextSize = (int) Math.max(1, Math.min(firstChunk, MAX_CHUNK));
    }

    abstract C allocate(int size);

    abstract int length(C chunk);

    abstract void copy(C chunk, int from, byte[] buf, int off, int len);

    /** The last chunk, with free space from {@link #offset()} on; a new one is added when it is full. */
    final C room() {
        C last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (last != null && used < length(last)) {
            return last;
        }
        // Full at the limit: one more byte would be too many. Reading it tells whether one comes.
        int size = length > limit - 1 ? 1 : (int) Math.min(nextSize, limit - length);
        nextSize = (int) Math.min((long) nextSize * 2, MAX_CHUNK);
        C chunk = allocate(size);
        chunks.add(chunk);
        used = 0;
        return chunk;
    }

    final int offset() {
        return used;
    }

    /** Marks {@code n} bytes written into {@link #room()} at {@link #offset()}. */
    final void advance(int n) throws SizeLimitException {
        used += n;
        length += n;
        if (length > limit) {
            throw new SizeLimitException(what, limit, length);
        }
    }

    @Override
    public final long size() {
        return length;
    }

    @Override
    public final void readFully(long pos, byte[] buf, int off, int len) {
        if (pos < 0 || len < 0 || pos > length - len) {
            throw new IndexOutOfBoundsException("read of " + len + " bytes at " + pos + " outside " + length);
        }
        long start = 0;
        int i = 0;
        while (len > 0) {
            C c = chunks.get(i);
            long end = start + length(c);
            if (pos < end) {
                int from = (int) (pos - start);
                int n = Math.min(len, length(c) - from);
                copy(c, from, buf, off, n);
                pos += n;
                off += n;
                len -= n;
            }
            start = end;
            i++;
        }
    }

    @Override
    public final InputStream stream() {
        return new SourceInputStream(this);
    }

    /** Forgets the content; reads after this fail. */
    void clear() {
        chunks.clear();
        length = 0;
        used = 0;
    }
}
