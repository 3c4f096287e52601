package io.fwatlas.module;

import java.io.Closeable;
import java.io.IOException;

/**
 * The ELF image of a module file: the file itself when plain, its decompressed bytes otherwise.
 * Compression is decided by the first bytes, as kmod decides it, and output never passes the cap.
 * Closing frees decompressed bytes (liblzma's are in native memory); the source stays open.
 */
public final class ModuleImage implements Closeable {
    private final Compression compression;
    private final ByteSource bytes;

    private ModuleImage(Compression compression, ByteSource bytes) {
        this.compression = compression;
        this.bytes = bytes;
    }

    /** Opens {@code src}, decompressing it into memory when its magic says so. */
    public static ModuleImage open(ByteSource src, long maxSize) throws IOException, ModuleException {
        return open(src, detect(src), maxSize);
    }

    /** The compression {@code src} starts with; an empty source is an error. */
    public static Compression detect(ByteSource src) throws IOException, ModuleException {
        byte[] head = new byte[Compression.MAGIC_LENGTH];
        int n = (int) Math.min(head.length, src.size());
        if (n == 0) {
            throw new NotElfException("empty file (0 bytes)");
        }
        src.readFully(0, head, 0, n);
        return Compression.detect(head, n);
    }

    /** Opens {@code src} as compressed with {@code c}, as {@link #detect} found it. */
    public static ModuleImage open(ByteSource src, Compression c, long maxSize) throws IOException, ModuleException {
        if (c == Compression.NONE) {
            return new ModuleImage(c, src);
        }
        return new ModuleImage(c, Decompressor.decompress(c, src, maxSize));
    }

    public Compression compression() {
        return compression;
    }

    /** The image bytes (for a plain file, the source itself). */
    public ByteSource bytes() {
        return bytes;
    }

    /** The raw {@code .modinfo} bytes, for tools that print them byte for byte. */
    public byte[] modinfo(long maxSize) throws IOException, ModuleException {
        return ElfModinfo.read(bytes, maxSize).modinfo;
    }

    /** The appended signature, or null when there is none kmod would accept. */
    public ModuleSignature signature() throws IOException {
        return Signatures.read(bytes);
    }

    @Override
    public void close() throws IOException {
        if (compression != Compression.NONE) {
            bytes.close();
        }
    }
}
