package io.fwatlas.module;

import java.io.IOException;

/** The ELF image of a module file: the file itself when plain, its decompressed bytes otherwise. */
public final class ModuleImage {
    private ModuleImage() {
    }

    /**
     * Decompresses {@code src} when its first bytes say it is compressed (as kmod decides), never
     * past {@code maxSize} bytes; returns {@code src} itself for a plain file.
     */
    public static ByteSource of(ByteSource src, long maxSize) throws IOException, ModuleException {
        byte[] head = new byte[Compression.MAGIC_LENGTH];
        int n = (int) Math.min(head.length, src.size());
        src.readFully(0, head, 0, n);
        Compression c = Compression.detect(head, n);
        if (c == Compression.NONE) {
            return src;
        }
        Decompressor.Output out = Decompressor.decompress(c, src, maxSize);
        return new ArrayByteSource(out.data, out.length);
    }

    /** The raw {@code .modinfo} bytes of an image returned by {@link #of}. */
    public static byte[] modinfo(ByteSource image, long maxSize) throws IOException, ModuleException {
        return ElfModinfo.read(image, maxSize).modinfo;
    }
}
