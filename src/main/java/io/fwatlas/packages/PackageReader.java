package io.fwatlas.packages;

import io.fwatlas.module.ModuleReader;
import java.io.InputStream;
import java.io.Serializable;

/**
 * Reads the kernel modules inside a package (.deb, .rpm, .tar, .tar.xz, .tar.zst, .tar.gz) in one
 * forward pass over its stream, without writing anything to disk. Members are visited in archive
 * order; each module member is held in memory alone, up to the module cap, and read by
 * {@link ModuleReader}. Never throws for bad input: a fault ends the pass with a
 * {@link PackageError}, after everything before it was delivered. Safe to share between threads.
 */
public final class PackageReader implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Enough for any distribution kernel package (a Debian one expands to about 0.5 GB). */
    public static final long DEFAULT_MAX_EXPANDED = 16L << 30;
    /** A member is held in one array. */
    public static final long MAX_MODULE_SIZE = Integer.MAX_VALUE - 16;

    private final long maxModuleSize;
    private final long maxExpandedBytes;
    private final ModuleReader modules;

    public PackageReader() {
        this(ModuleReader.DEFAULT_MAX_SIZE, DEFAULT_MAX_EXPANDED);
    }

    /**
     * @param maxModuleSize    the most bytes one module member may have, and decompress to (the
     *                         scan's --max-module-size); a larger member is a {@code size_limit} result
     * @param maxExpandedBytes the most bytes the package's archive may decompress to in total
     *                         (data.tar, rpm payload, tarball); past it the pass ends with {@code size_limit}
     */
    public PackageReader(long maxModuleSize, long maxExpandedBytes) {
        if (maxModuleSize < 64 || maxModuleSize > MAX_MODULE_SIZE) {
            throw new IllegalArgumentException("module size limit must be 64 to " + MAX_MODULE_SIZE + " bytes, got "
                    + maxModuleSize);
        }
        if (maxExpandedBytes < 1) {
            throw new IllegalArgumentException("expansion limit must be positive, got " + maxExpandedBytes);
        }
        this.maxModuleSize = maxModuleSize;
        this.maxExpandedBytes = maxExpandedBytes;
        this.modules = new ModuleReader(maxModuleSize);
    }

    public long maxModuleSize() {
        return maxModuleSize;
    }

    public long maxExpandedBytes() {
        return maxExpandedBytes;
    }

    /**
     * Reads one package.
     *
     * @param packageName names the package in messages (its file name, say)
     * @param in          the package from its first byte; read to the end of the archive, not closed
     * @param length      the package's size in bytes, or -1 when unknown; rpm header sizes are checked against it
     */
    public PackageSummary read(String packageName, InputStream in, long length, PackageVisitor visitor) {
        return new PackagePass(modules, maxModuleSize, maxExpandedBytes, packageName, length, visitor).run(in);
    }
}
