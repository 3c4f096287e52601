package io.fwatlas.module;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * xz decoding through the system's liblzma (every Linux distribution ships it).
 * {@link #AVAILABLE} is false where JNA or the library cannot be loaded; callers then use XZ for Java.
 */
final class NativeXz {
    static final int LZMA_OK = 0;
    static final int LZMA_STREAM_END = 1;
    static final int LZMA_MEMLIMIT_ERROR = 6;
    static final int LZMA_BUF_ERROR = 10;
    static final int LZMA_RUN = 0;
    static final int LZMA_FINISH = 3;
    static final int LZMA_CONCATENATED = 0x08;
    private static final String[] CODES = {"OK", "STREAM_END", "NO_CHECK", "UNSUPPORTED_CHECK", "GET_CHECK",
        "MEM_ERROR", "MEMLIMIT_ERROR", "FORMAT_ERROR", "OPTIONS_ERROR", "DATA_ERROR", "BUF_ERROR", "PROG_ERROR"};

    static final boolean AVAILABLE;
    static final String VERSION;

    static {
        boolean ok = false;
        String version = null;
        if (!Boolean.getBoolean("fwatlas.xz.java") && Native.SIZE_T_SIZE == 8 && Native.POINTER_SIZE == 8) {
            try {
                NativeLibrary lib = NativeLibrary.getInstance("lzma");
                Native.register(NativeXz.class, lib);
                version = lzma_version_string();
                ok = true;
            } catch (Throwable e) {
                // No JNA dispatch for this platform or no liblzma: fall back to XZ for Java.
                ok = false;
            }
        }
        AVAILABLE = ok;
        VERSION = version;
    }

    private NativeXz() {
    }

    /**
     * Decodes all concatenated xz streams of {@code source} into native chunks, failing past
     * {@code limit} output bytes; the caller closes the result. The input, whose size the caller
     * has checked, goes to native memory with no heap copy.
     */
    static NativeBytes decode(ByteSource source, long limit, long memLimit)
            throws IOException, CorruptCompressedException, SizeLimitException {
        int inLen = (int) source.size();
        Memory input = new Memory(Math.max(1, inLen));
        LzmaStream s = new LzmaStream();
        NativeBytes result = new NativeBytes(Decompressor.initialCapacity(inLen), limit, "xz output");
        boolean done = false;
        try {
            source.readFully(0, input.getByteBuffer(0, inLen));
            int rc = lzma_stream_decoder(s.memory, memLimit, LZMA_CONCATENATED);
            if (rc != LZMA_OK) {
                throw new CorruptCompressedException("xz: liblzma decoder init failed: " + code(rc));
            }
            s.input(input, 0, inLen);
            while (true) {
                NativeBytes.Chunk room = result.room();
                int free = room.length() - result.offset();
                s.output(room.memory(), result.offset(), free);
                rc = lzma_code(s.memory, s.availIn() == 0 ? LZMA_FINISH : LZMA_RUN);
                result.advance((int) (free - s.availOut()));
                if (rc == LZMA_STREAM_END) {
                    done = true;
                    return result;
                }
                if (rc == LZMA_MEMLIMIT_ERROR) {
                    throw new SizeLimitException("xz stream: decoder memory", memLimit, memLimit + 1);
                }
                if (rc == LZMA_BUF_ERROR) {
                    // No progress is possible with all input given: the stream was cut short.
                    throw new CorruptCompressedException("xz stream ends early (" + inLen + " bytes of input)");
                }
                if (rc != LZMA_OK) {
                    throw new CorruptCompressedException("xz stream is corrupt: liblzma " + code(rc)
                            + " after " + s.totalIn() + " of " + inLen + " input bytes");
                }
            }
        } finally {
            lzma_end(s.memory);
            // liblzma holds raw addresses of these buffers: they stay reachable (and unfreed) until here.
            s.close();
            input.close();
            if (!done) {
                result.close();
            }
        }
    }

    private static String code(int rc) {
        return rc >= 0 && rc < CODES.length ? "LZMA_" + CODES[rc] : "code " + rc;
    }

    static native String lzma_version_string();

    static native int lzma_stream_decoder(Pointer strm, long memlimit, int flags);

    static native int lzma_code(Pointer strm, int action);

    static native void lzma_end(Pointer strm);

    /**
     * liblzma's {@code lzma_stream} (136 bytes on LP64) in native memory, read and written by offset:
     * a JNA {@code Structure} synchronised every field by reflection around each call (1 s of CPU
     * in a scan of five xz kernels, perf).
     */
    static final class LzmaStream implements AutoCloseable {
        private static final int SIZE = 136;
        private static final int NEXT_IN = 0;
        private static final int AVAIL_IN = 8;
        private static final int TOTAL_IN = 16;
        private static final int NEXT_OUT = 24;
        private static final int AVAIL_OUT = 32;

        final Memory memory = new Memory(SIZE);

        LzmaStream() {
            memory.clear(); // LZMA_STREAM_INIT
        }

        void input(Pointer p, long offset, long n) {
            memory.setLong(NEXT_IN, Pointer.nativeValue(p) + offset);
            memory.setLong(AVAIL_IN, n);
        }

        void output(Pointer p, long offset, long n) {
            memory.setLong(NEXT_OUT, Pointer.nativeValue(p) + offset);
            memory.setLong(AVAIL_OUT, n);
        }

        long availIn() {
            return memory.getLong(AVAIL_IN);
        }

        long availOut() {
            return memory.getLong(AVAIL_OUT);
        }

        long totalIn() {
            return memory.getLong(TOTAL_IN);
        }

        @Override
        public void close() {
            memory.close();
        }
    }
}
