package io.fwatlas.module;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.util.List;

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
    /** Output per call: 64 KiB stays in cache (1 MiB measured 7,300 µs against 7,231 per e1000e.ko.xz). */
    private static final int OUT_CHUNK = 64 << 10;

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

    /** Decodes all concatenated xz streams of {@code in}, failing past {@code limit} output bytes. */
    static ChunkedBytes decode(byte[] in, int inLen, long limit, long memLimit)
            throws CorruptCompressedException, SizeLimitException {
        Memory input = new Memory(Math.max(1, inLen));
        input.write(0, in, 0, inLen);
        Memory out = new Memory(OUT_CHUNK);
        LzmaStream s = new LzmaStream();
        try {
            int rc = lzma_stream_decoder(s, memLimit, LZMA_CONCATENATED);
            if (rc != LZMA_OK) {
                throw new CorruptCompressedException("xz: liblzma decoder init failed: " + code(rc));
            }
            s.next_in = input;
            s.avail_in = inLen;
            ChunkedBytes result = new ChunkedBytes(Decompressor.initialCapacity(inLen), limit, "xz output");
            while (true) {
                s.next_out = out;
                s.avail_out = OUT_CHUNK;
                rc = lzma_code(s, s.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
                int produced = (int) (OUT_CHUNK - s.avail_out);
                for (int copied = 0; copied < produced; ) {
                    byte[] room = result.room();
                    int n = Math.min(produced - copied, room.length - result.offset());
                    out.read(copied, room, result.offset(), n);
                    result.advance(n);
                    copied += n;
                }
                if (rc == LZMA_STREAM_END) {
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
                            + " after " + s.total_in + " of " + inLen + " input bytes");
                }
            }
        } finally {
            lzma_end(s);
            // After each call JNA replaces next_in with a plain Pointer, so the buffers are reachable
            // only through these locals: freeing them here keeps them alive while liblzma reads them.
            input.close();
            out.close();
        }
    }

    private static String code(int rc) {
        return rc >= 0 && rc < CODES.length ? "LZMA_" + CODES[rc] : "code " + rc;
    }

    static native String lzma_version_string();

    static native int lzma_stream_decoder(LzmaStream strm, long memlimit, int flags);

    static native int lzma_code(LzmaStream strm, int action);

    static native void lzma_end(LzmaStream strm);

    /** liblzma's {@code lzma_stream}; LZMA_STREAM_INIT is all zeros. */
    public static final class LzmaStream extends Structure {
        public Pointer next_in;
        public long avail_in;
        public long total_in;
        public Pointer next_out;
        public long avail_out;
        public long total_out;
        public Pointer allocator;
        public Pointer internal;
        public Pointer reserved_ptr1;
        public Pointer reserved_ptr2;
        public Pointer reserved_ptr3;
        public Pointer reserved_ptr4;
        public long reserved_int1;
        public long reserved_int2;
        public long reserved_int3;
        public long reserved_int4;
        public int reserved_enum1;
        public int reserved_enum2;

        @Override
        protected List<String> getFieldOrder() {
            return List.of("next_in", "avail_in", "total_in", "next_out", "avail_out", "total_out", "allocator",
                    "internal", "reserved_ptr1", "reserved_ptr2", "reserved_ptr3", "reserved_ptr4",
                    "reserved_int1", "reserved_int2", "reserved_int3", "reserved_int4", "reserved_enum1",
                    "reserved_enum2");
        }
    }
}
