package io.fwatlas.module;

import com.sun.jna.Memory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoded bytes in native chunks that liblzma writes into directly, so they are never copied to
 * the heap nor zeroed (the copy and the heap chunks were about 1.5 s of CPU in a scan of five xz
 * kernels, perf and JFR). Chunks grow and stop at the limit as {@link ChunkedBytes}' do.
 * {@link #close} frees them.
 */
final class NativeBytes implements ByteSource {
    private final long limit;
    private final String what;
    private final List<Memory> chunks = new ArrayList<>();
    private long length;
    /** Bytes used in the last chunk. */
    private long used;
    private long nextSize;

    /** @param firstChunk a guess at the content size; later chunks double up to {@link ChunkedBytes#MAX_CHUNK} */
    NativeBytes(long firstChunk, long limit, String what) {
        this.limit = limit;
        this.what = what;
        this.nextSize = Math.max(1, Math.min(firstChunk, ChunkedBytes.MAX_CHUNK));
    }

    /** The last chunk, with free space from {@link #offset()} on; a new one is added when it is full. */
    Memory room() throws SizeLimitException {
        Memory last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (last != null && used < last.size()) {
            return last;
        }
        // Full at the limit: a one-byte probe tells whether one more byte comes.
        long size = length > limit - 1 ? 1 : Math.min(nextSize, limit - length);
        nextSize = Math.min(nextSize * 2, ChunkedBytes.MAX_CHUNK);
        Memory chunk = new Memory(size);
        chunks.add(chunk);
        used = 0;
        return chunk;
    }

    long offset() {
        return used;
    }

    /** Marks {@code n} bytes written into {@link #room()} at {@link #offset()}. */
    void advance(long n) throws SizeLimitException {
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
            Memory c = chunks.get(i);
            long end = start + c.size();
            if (pos < end) {
                long from = pos - start;
                int n = (int) Math.min(len, c.size() - from);
                c.read(from, buf, off, n);
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

    /** Frees the chunks; reads after this fail. */
    @Override
    public void close() {
        for (Memory c : chunks) {
            c.close();
        }
        chunks.clear();
        length = 0;
    }
}
