package io.fwatlas.module;

import com.sun.jna.Memory;
import java.util.ArrayDeque;

/**
 * Decoded bytes in native chunks that liblzma writes into directly, so they are never copied to
 * the heap nor zeroed (the copy and the heap chunks were about 1.5 s of CPU in a scan of five xz
 * kernels, perf and JFR). {@link #close} gives the memory back to its thread's {@link Pool}.
 */
final class NativeBytes extends ChunkList<NativeBytes.Chunk> {

    /** A chunk: {@code length} bytes used of a pooled block of native memory at least as large. */
    record Chunk(Memory memory, int length) {
    }

    /** @param firstChunk a guess at the content size; later chunks double up to {@link #MAX_CHUNK} */
    NativeBytes(long firstChunk, long limit, String what) {
        super(firstChunk, limit, what);
    }

    @Override
    Chunk allocate(int size) {
        return new Chunk(Pool.LOCAL.get().take(size), size);
    }

    @Override
    int length(Chunk chunk) {
        return chunk.length();
    }

    @Override
    void copy(Chunk chunk, int from, byte[] buf, int off, int len) {
        chunk.memory().read(from, buf, off, len);
    }

    /** Gives the chunks back; reads after this fail. */
    @Override
    public void close() {
        Pool pool = Pool.LOCAL.get();
        for (Chunk c : chunks) {
            pool.give(c.memory());
        }
        clear();
    }

    /**
     * A thread's freed blocks, by power-of-two size, kept for its next modules. Fresh blocks of
     * this size come from mmap, and every page liblzma wrote was a page fault: 3.1 million faults
     * against 0.13 million with heap chunks in the JMH xz read, which was 6 % slower for it.
     * Holds at most {@link #KEPT} bytes; blocks past that are freed.
     */
    static final class Pool {
        static final ThreadLocal<Pool> LOCAL = ThreadLocal.withInitial(Pool::new);
        static final long KEPT = 32L << 20;
        private static final int MIN_BLOCK = 64 * 1024;

        @SuppressWarnings("unchecked")
        private final ArrayDeque<Memory>[] free = new ArrayDeque[32];
        private long kept;

        /** A block of at least {@code size} bytes: a power of two from 64 KiB, or {@code size} past 2^30. */
        Memory take(int size) {
            int c = sizeClass(size);
            ArrayDeque<Memory> q = c < 0 ? null : free[c];
            if (q != null && !q.isEmpty()) {
                Memory m = q.pop();
                kept -= m.size();
                return m;
            }
            return new Memory(c < 0 ? size : 1L << c);
        }

        void give(Memory m) {
            int c = sizeClass((int) Math.min(m.size(), Integer.MAX_VALUE));
            if (c < 0 || (1L << c) != m.size() || kept + m.size() > KEPT) {
                m.close();
                return;
            }
            if (free[c] == null) {
                free[c] = new ArrayDeque<>();
            }
            free[c].push(m);
            kept += m.size();
        }

        long kept() {
            return kept;
        }

        private static int sizeClass(int size) {
            int block = Math.max(MIN_BLOCK, size);
            int c = 32 - Integer.numberOfLeadingZeros(block - 1);
            return c > 30 ? -1 : c;
        }
    }
}
