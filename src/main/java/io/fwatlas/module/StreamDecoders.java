package io.fwatlas.module;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.XZInputStream;

/**
 * Streaming decoders for archives that are read once from start to end, such as a package's
 * data.tar.xz: the system's liblzma for xz where it loads (XZ for Java otherwise), zstd-jni and
 * the JDK's gzip. Output is unbounded here; the caller counts it. Closing closes {@code in}.
 */
public final class StreamDecoders {
    private StreamDecoders() {
    }

    /** Which xz decoder {@link #open} uses: "liblzma VERSION" or "xz-java". */
    public static String xzDecoder() {
        return Decompressor.xzDecoder();
    }

    public static InputStream open(Compression format, InputStream in) throws IOException {
        switch (format) {
            case XZ:
                if (NativeXz.AVAILABLE) {
                    return new NativeXzInputStream(in, Decompressor.XZ_MEMORY_LIMIT_KIB * 1024L);
                }
                return new XZInputStream(in, Decompressor.XZ_MEMORY_LIMIT_KIB, true, BasicArrayCache.getInstance());
            case ZSTD:
                return new ZstdInputStreamNoFinalizer(in);
            case GZIP:
                return new GZIPInputStream(in, 64 * 1024);
            case NONE:
                return in;
            default:
                throw new IllegalArgumentException("unknown format: " + format);
        }
    }
}
