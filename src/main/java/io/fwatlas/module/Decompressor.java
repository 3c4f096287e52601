package io.fwatlas.module;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
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

    /** Decompressed bytes; {@code result.length} may exceed the content, see {@link Output#length}. */
    static Output decompress(Compression format, ByteSource source, long limit)
            throws IOException, ModuleException {
        if (format == Compression.XZ && NativeXz.AVAILABLE) {
            long size = source.size();
            if (size > limit) {
                throw new SizeLimitException("xz input", limit, size);
            }
            byte[] in = new byte[(int) size];
            source.readFully(0, in, 0, in.length);
            return NativeXz.decode(in, in.length, limit, XZ_MEMORY_LIMIT_KIB * 1024L);
        }
        SourceStream raw = new SourceStream(source.stream());
        long inputSize = source.size();
        try (InputStream in = open(format, new BufferedInputStream(raw, INPUT_BUFFER))) {
            return readCapped(in, limit, initialCapacity(format, inputSize, limit), format);
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

    private static int initialCapacity(Compression format, long inputSize, long limit) {
        // Modules compress about 4:1; start near that and grow by doubling.
        long guess = Math.max(64 * 1024, Math.min(inputSize * 4, 64L * 1024 * 1024));
        return (int) Math.min(guess, Math.min(limit + 1, Integer.MAX_VALUE - 16));
    }

    private static Output readCapped(InputStream in, long limit, int initial, Compression format)
            throws IOException, SizeLimitException {
        byte[] buf = new byte[initial];
        int len = 0;
        while (true) {
            if (len == buf.length) {
                if (len > limit) {
                    throw new SizeLimitException(format.label() + " output", limit, len);
                }
                long grown = Math.min((long) buf.length * 2, Math.min(limit + 1, Integer.MAX_VALUE - 16L));
                if (grown <= buf.length) {
                    throw new SizeLimitException(format.label() + " output", limit, (long) len + 1);
                }
                buf = Arrays.copyOf(buf, (int) grown);
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
            if (len > limit) {
                throw new SizeLimitException(format.label() + " output", limit, len);
            }
        }
        return new Output(buf, len);
    }

    /** Decompressed bytes in {@code data[0..length)}. */
    static final class Output {
        final byte[] data;
        final int length;

        Output(byte[] data, int length) {
            this.data = data;
            this.length = length;
        }
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
