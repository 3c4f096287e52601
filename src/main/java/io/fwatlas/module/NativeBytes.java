package io.fwatlas.module;

import com.sun.jna.Memory;

/**
 * Decoded bytes in native chunks that liblzma writes into directly, so they are never copied to
 * the heap nor zeroed (the copy and the heap chunks were about 1.5 s of CPU in a scan of five xz
 * kernels, perf and JFR). {@link #close} frees them.
 */
final class NativeBytes extends ChunkList<Memory> {

    /** @param firstChunk a guess at the content size; later chunks double up to {@link #MAX_CHUNK} */
    NativeBytes(long firstChunk, long limit, String what) {
        super(firstChunk, limit, what);
    }

    @Override
    Memory allocate(int size) {
        return new Memory(size);
    }

    @Override
    int length(Memory chunk) {
        return (int) chunk.size();
    }

    @Override
    void copy(Memory chunk, int from, byte[] buf, int off, int len) {
        chunk.read(from, buf, off, len);
    }

    /** Frees the chunks; reads after this fail. */
    @Override
    public void close() {
        for (Memory c : chunks) {
            c.close();
        }
        clear();
    }
}
