package io.fwatlas.module;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads one module file of any class, byte order and compression into a {@link ModuleResult}.
 * Never throws for bad input: every fault becomes a {@link ModuleError}. Safe to share between threads.
 */
public final class ModuleReader implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final long DEFAULT_MAX_SIZE = 512L * 1024 * 1024;

    private final long maxSize;

    public ModuleReader() {
        this(DEFAULT_MAX_SIZE);
    }

    /** @param maxSize the most bytes a module may decompress to, and the largest {@code .modinfo} */
    public ModuleReader(long maxSize) {
        if (maxSize < 64) {
            throw new IllegalArgumentException("module size limit must be at least 64 bytes, got " + maxSize);
        }
        this.maxSize = maxSize;
    }

    public long maxSize() {
        return maxSize;
    }

    /** Which xz decoder this JVM uses: "liblzma VERSION", or "xz-java" where liblzma cannot be loaded. */
    public static String xzDecoder() {
        return Decompressor.xzDecoder();
    }

    /** Reads a file of the local file system; links are followed, anything but a regular file is refused. */
    public ModuleResult readFile(Path file) {
        return readFile(file, file.toString());
    }

    /** As {@link #readFile(Path)}, naming the file {@code path} in the result (a path relative to a tree, say). */
    public ModuleResult readFile(Path file, String path) {
        String name = ModuleNames.fromPath(path);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return error(path, name, 0, null, ErrorKind.IO_ERROR, "no such file (removed, or a dangling link)");
        } catch (IOException | RuntimeException e) {
            return error(path, name, 0, null, ErrorKind.IO_ERROR, "cannot stat: " + describe(e));
        }
        if (!attrs.isRegularFile()) {
            String what = attrs.isDirectory() ? "a directory" : "not a regular file (FIFO, socket or device)";
            return error(path, name, 0, null, ErrorKind.NOT_A_FILE, "is " + what);
        }
        try (FileByteSource src = FileByteSource.open(file)) {
            return read(path, src);
        } catch (NoSuchFileException e) {
            return error(path, name, attrs.size(), null, ErrorKind.IO_ERROR, "no such file (removed while reading)");
        } catch (IOException | RuntimeException e) {
            return error(path, name, attrs.size(), null, ErrorKind.IO_ERROR, "cannot open: " + describe(e));
        }
    }

    /** Reads a module from any seekable source; {@code path} names it in results and messages. */
    public ModuleResult read(String path, ByteSource src) {
        String name = ModuleNames.fromPath(path);
        long size = 0;
        Compression compression = null;
        try {
            size = src.size();
            compression = ModuleImage.detect(src);
            try (ModuleImage image = ModuleImage.open(src, compression, maxSize)) {
                ElfModinfo info = ElfModinfo.read(image.bytes(), maxSize);
                return new ModuleInfo(path, name, size, false, compression, info.elfClass,
                        info.bigEndian ? "big" : "little", Machines.name(info.machine),
                        ModinfoStrings.split(info.modinfo), image.signature());
            }
        } catch (ModuleException e) {
            String where = compression != null && compression != Compression.NONE
                    && e.kind() != ErrorKind.CORRUPT_COMPRESSED && e.kind() != ErrorKind.SIZE_LIMIT
                    ? " (after " + compression.label() + " decompression)" : "";
            return error(path, name, size, compression, e.kind(), e.getMessage() + where);
        } catch (IOException e) {
            return error(path, name, size, compression, ErrorKind.IO_ERROR, "read failed: " + describe(e));
        } catch (RuntimeException e) {
            return error(path, name, size, compression, ErrorKind.IO_ERROR, "unexpected reader failure: " + describe(e));
        }
    }

    private static ModuleError error(String path, String name, long size, Compression c, ErrorKind kind, String msg) {
        return new ModuleError(path, name, size, false, c, kind, path + ": " + msg);
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
