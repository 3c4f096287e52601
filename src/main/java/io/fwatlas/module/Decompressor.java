package io.fwatlas.module;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.XZInputStream;

/** Streams a compressed module into memory, never past a hard cap on the output. */
final class Decompressor {
    /** xz dictionaries above this are refused; the kernel uses 1 MiB, xz -9 uses 64 MiB. */
    static final int XZ_MEMORY_LIMIT_KIB = 128 * 1024;
    private static final int INPUT_BUFFER = 64 * 1024;

    private Decompressor() {
    }

    /** The decompressed bytes, never more than {@code limit}. */
    static ByteSource decompress(Compression format, ByteSource source, long limit)
            throws IOException, ModuleException {
        if (format == Compression.XZ && NativeXz.AVAILABLE) {
            long size = source.size();
            if (size > limit) {
                throw new SizeLimitException("xz input", limit, size);
            }
            return NativeXz.decode(source, limit, XZ_MEMORY_LIMIT_KIB * 1024L);
        }
        if (format == Compression.ZSTD && source.size() <= ChunkedBytes.MAX_CHUNK) {
            byte[] in = whole(source);
            ChunkedBytes decoded = zstdFrame(in, limit);
            if (decoded != null) {
                return decoded;
            }
            source = new ArrayByteSource(in);
        }
        SourceStream raw = new SourceStream(source.stream());
        long inputSize = source.size();
        try (InputStream in = open(format, new BufferedInputStream(raw, INPUT_BUFFER))) {
            ChunkedBytes out = new ChunkedBytes(initialCapacity(inputSize), limit, format.label() + " output");
            out.readAll(in);
            return out;
        } catch (SourceException e) {
            throw e.getCause();
        } catch (MemoryLimitException e) {
            throw new SizeLimitException("xz stream: decoder memory", (long) e.getMemoryLimit() * 1024,
                    (long) e.getMemoryNeeded() * 1024);
        } catch (EOFException e) {
            throw new CorruptCompressedException(format.label() + " stream ends early (" + inputSize + " bytes of input)");
        } catch (IOException | RuntimeException e) {
            // Decoders report bad data as IOException subclasses, and zstd-jni sometimes as RuntimeException.
            throw new CorruptCompressedException(format.label() + " stream is corrupt: " + e.getMessage());
        }
    }

    /**
     * One zstd frame that declares its size (as the kernel's modules_install writes them), decoded
     * in one call: zstd-jni's stream took 1.4 times what {@code zstd -dc} takes (JMH). Null when
     * the stream must say what is wrong or where the limit is passed: several frames, a frame that
     * does not end where the input does, an unknown size, or one above the limit or a chunk.
     */
    private static ChunkedBytes zstdFrame(byte[] in, long limit) throws ModuleException, SizeLimitException {
        long size;
        try {
            // zstd-jni throws ZstdException for what zstd returns as an error code
            if (Zstd.findFrameCompressedSize(in) != in.length) {
                return null;
            }
            size = Zstd.getFrameContentSize(in);
        } catch (ZstdException e) {
            return null;
        }
        if (size < 0 || size > Math.min(limit, ChunkedBytes.MAX_CHUNK)) {
            return null;
        }
        ChunkedBytes out = new ChunkedBytes((int) size, limit, "zstd output");
        byte[] room = out.room();
        try {
            out.advance((int) Zstd.decompressByteArray(room, 0, (int) size, in, 0, in.length));
        } catch (ZstdException e) {
            throw new CorruptCompressedException("zstd stream is corrupt: " + e.getMessage());
        }
        return out;
    }

    /** The whole compressed input; the caller has checked that its size fits an array. */
    private static byte[] whole(ByteSource source) throws IOException {
        byte[] in = new byte[(int) source.size()];
        source.readFully(0, in, 0, in.length);
        return in;
    }

    /** Which xz decoder runs here: the system's liblzma, or XZ for Java where it cannot be loaded. */
    static String xzDecoder() {
        return NativeXz.AVAILABLE ? "liblzma " + NativeXz.VERSION : "xz-java";
    }

    private static InputStream open(Compression format, InputStream in) throws IOException {
        switch (format) {
            case XZ:
                return new XZInputStream(in, XZ_MEMORY_LIMIT_KIB, true, BasicArrayCache.getInstance());
            case ZSTD:
                return new ZstdInputStreamNoFinalizer(in);
            case GZIP:
                return new GZIPInputStream(in, INPUT_BUFFER);
            default:
                throw new IllegalArgumentException("not a compressed format: " + format);
        }
    }

    /** Modules compress about 4:1: a first chunk near the content size usually holds it all. */
    static int initialCapacity(long inputSize) {
        return (int) Math.max(64 * 1024, Math.min(inputSize * 4, ChunkedBytes.MAX_CHUNK));
    }

    /** Marks I/O failures of the underlying source, so they are not mistaken for corrupt data. */
    private static final class SourceStream extends FilterInputStream {
        SourceStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new SourceException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new SourceException(e);
            }
        }
    }

    private static final class SourceException extends IOException {
        SourceException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
