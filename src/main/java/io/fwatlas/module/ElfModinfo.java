package io.fwatlas.module;

import java.io.IOException;

/**
 * Finds and reads the {@code .modinfo} section of an ELF image, validating as kmod's
 * libkmod-elf.c does. Reads only the header, the section table, the section-name table
 * and {@code .modinfo}, each range checked against the image size before it is allocated.
 */
final class ElfModinfo {
    static final int EI_NIDENT = 16;
    private static final int ELFCLASS32 = 1;
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int ELFDATA2MSB = 2;
    private static final byte[] MODINFO = {'.', 'm', 'o', 'd', 'i', 'n', 'f', 'o', 0};
    /** Name tables up to this size are read whole; larger ones name by name. */
    private static final int NAMES_READ_WHOLE = 1 << 20;

    final int elfClass;
    final boolean bigEndian;
    final int machine;
    /** The {@code .modinfo} bytes, or an empty array for an empty section. */
    final byte[] modinfo;

    private ElfModinfo(int elfClass, boolean bigEndian, int machine, byte[] modinfo) {
        this.elfClass = elfClass;
        this.bigEndian = bigEndian;
        this.machine = machine;
        this.modinfo = modinfo;
    }

    static ElfModinfo read(ByteSource src, long sizeLimit) throws IOException, ModuleException {
        long size = src.size();
        byte[] ident = new byte[EI_NIDENT];
        if (size < 4) {
            throw new NotElfException("ELF: file of " + size + " bytes is too short for the ELF magic");
        }
        int identLen = (int) Math.min(EI_NIDENT, size);
        src.readFully(0, ident, 0, identLen);
        if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') {
            throw new NotElfException(String.format("ELF: bad magic %02x %02x %02x %02x",
                    ident[0] & 0xff, ident[1] & 0xff, ident[2] & 0xff, ident[3] & 0xff));
        }
        if (identLen < EI_NIDENT) {
            throw new TruncatedException("ELF identification", 0, EI_NIDENT, size);
        }
        int cls = ident[4];
        int data = ident[5];
        if (cls != ELFCLASS32 && cls != ELFCLASS64) {
            throw new NotElfException("ELF: unsupported class " + cls + " (EI_CLASS must be 1 or 2)");
        }
        if (data != ELFDATA2LSB && data != ELFDATA2MSB) {
            throw new NotElfException("ELF: unsupported byte order " + data + " (EI_DATA must be 1 or 2)");
        }
        boolean is64 = cls == ELFCLASS64;
        Layout l = is64 ? Layout.ELF64 : Layout.ELF32;
        Reader r = new Reader(data == ELFDATA2MSB);

        byte[] hdr = readRange(src, 0, l.ehdrSize, size, "ELF header");
        int machine = r.u16(hdr, 18);
        long shoff = r.uword(hdr, l.eShoff, is64);
        int shentsize = r.u16(hdr, l.eShentsize);
        int shnum = r.u16(hdr, l.eShnum);
        int shstrndx = r.u16(hdr, l.eShstrndx);

        if (shentsize != l.shdrSize) {
            throw new BadSectionTableException("ELF: section entry size " + shentsize + ", expected "
                    + l.shdrSize + " for ELF" + (is64 ? "64" : "32"));
        }
        long tableSize = (long) shnum * shentsize;
        if (l.ehdrSize + tableSize >= size) {
            throw new BadSectionTableException("ELF: " + shnum + " section headers do not fit in a file of "
                    + size + " bytes");
        }
        if (shoff < 0 || shoff > size - tableSize) {
            throw new TruncatedException("ELF section table (" + shnum + " entries)", shoff, tableSize, size);
        }
        if (shstrndx == 0 || shstrndx >= shnum) {
            throw new BadSectionTableException("ELF: section-name table index " + shstrndx + " is not one of the "
                    + shnum + " sections (valid: 1 to " + (shnum - 1) + ")");
        }
        byte[] table = readRange(src, shoff, tableSize, size, "ELF section table");

        Section names = section(table, shstrndx, l, r, is64);
        if (!names.insideOf(size)) {
            throw outside("ELF section-name table", names, size);
        }
        if (names.size == 0) {
            throw new BadSectionTableException("ELF: section-name table is empty");
        }
        byte[] last = readRange(src, names.offset + names.size - 1, 1, size, "ELF section-name table");
        if (last[0] != 0) {
            throw new BadSectionTableException("ELF: section-name table of " + names.size
                    + " bytes does not end with NUL");
        }
        byte[] nameTable = names.size <= NAMES_READ_WHOLE
                ? readRange(src, names.offset, names.size, size, "ELF section-name table")
                : null;

        Section outOfRange = null;
        for (int i = 1; i < shnum; i++) {
            Section s = section(table, i, l, r, is64);
            if (s.nameOffset >= names.size || !isModinfoName(src, names, nameTable, s.nameOffset)) {
                continue;
            }
            if (!s.insideOf(size)) {
                // kmod skips it and may find a later .modinfo; if none, the error names this one.
                if (outOfRange == null) {
                    outOfRange = s;
                }
                continue;
            }
            if (s.size > sizeLimit) {
                throw new SizeLimitException(".modinfo section", sizeLimit, s.size);
            }
            byte[] modinfo = readRange(src, s.offset, s.size, size, ".modinfo section");
            return new ElfModinfo(is64 ? 64 : 32, r.bigEndian, machine, modinfo);
        }
        if (outOfRange != null) {
            throw outside(".modinfo section", outOfRange, size);
        }
        throw new NoModinfoException("ELF: no .modinfo section among " + shnum + " sections");
    }

    private static TruncatedException outside(String what, Section s, long size) {
        return new TruncatedException(what, s.offset, s.size, size);
    }

    private static boolean isModinfoName(ByteSource src, Section names, byte[] nameTable, long nameOffset)
            throws IOException {
        long avail = names.size - nameOffset;
        int n = (int) Math.min(MODINFO.length, avail);
        byte[] candidate;
        int base;
        if (nameTable != null) {
            candidate = nameTable;
            base = (int) nameOffset;
        } else {
            candidate = new byte[n];
            src.readFully(names.offset + nameOffset, candidate, 0, n);
            base = 0;
        }
        if (n < MODINFO.length) {
            return false; // the table ends (with NUL) before ".modinfo" could
        }
        for (int k = 0; k < MODINFO.length; k++) {
            if (candidate[base + k] != MODINFO[k]) {
                return false;
            }
        }
        return true;
    }

    private static Section section(byte[] table, int index, Layout l, Reader r, boolean is64) {
        int base = index * l.shdrSize;
        long nameOffset = r.u32(table, base);
        long offset = r.uword(table, base + l.shOffset, is64);
        long size = r.uword(table, base + l.shSize, is64);
        return new Section(nameOffset, offset, size);
    }

    private static byte[] readRange(ByteSource src, long offset, long length, long size, String what)
            throws IOException, ModuleException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new TruncatedException(what, offset, length, size);
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new SizeLimitException(what, Integer.MAX_VALUE - 16, length);
        }
        byte[] b = new byte[(int) length];
        src.readFully(offset, b, 0, b.length);
        return b;
    }

    /** Section offset and size as unsigned values; negative longs stand for values above 2^63. */
    private static final class Section {
        final long nameOffset;
        final long offset;
        final long size;

        Section(long nameOffset, long offset, long size) {
            this.nameOffset = nameOffset;
            this.offset = offset;
            this.size = size;
        }

        /** kmod 30's rule: offset + size must not pass the end of the file, without overflow. */
        boolean insideOf(long fileSize) {
            return offset >= 0 && size >= 0 && offset <= fileSize && size <= fileSize - offset;
        }
    }

    /** Field offsets of the two ELF classes. */
    private enum Layout {
        ELF32(52, 40, 0x20, 0x2E, 0x30, 0x32, 16, 20),
        ELF64(64, 64, 0x28, 0x3A, 0x3C, 0x3E, 24, 32);

        final int ehdrSize;
        final int shdrSize;
        final int eShoff;
        final int eShentsize;
        final int eShnum;
        final int eShstrndx;
        final int shOffset;
        final int shSize;

        Layout(int ehdrSize, int shdrSize, int eShoff, int eShentsize, int eShnum, int eShstrndx,
               int shOffset, int shSize) {
            this.ehdrSize = ehdrSize;
            this.shdrSize = shdrSize;
            this.eShoff = eShoff;
            this.eShentsize = eShentsize;
            this.eShnum = eShnum;
            this.eShstrndx = eShstrndx;
            this.shOffset = shOffset;
            this.shSize = shSize;
        }
    }

    /** Reads unsigned integers in the image's byte order, whatever the host's. */
    private static final class Reader {
        final boolean bigEndian;

        Reader(boolean bigEndian) {
            this.bigEndian = bigEndian;
        }

        long uint(byte[] b, int off, int width) {
            long v = 0;
            for (int i = 0; i < width; i++) {
                int idx = bigEndian ? off + i : off + width - 1 - i;
                v = (v << 8) | (b[idx] & 0xff);
            }
            return v;
        }

        int u16(byte[] b, int off) {
            return (int) uint(b, off, 2);
        }

        long u32(byte[] b, int off) {
            return uint(b, off, 4);
        }

        long uword(byte[] b, int off, boolean is64) {
            return uint(b, off, is64 ? 8 : 4);
        }
    }
}
