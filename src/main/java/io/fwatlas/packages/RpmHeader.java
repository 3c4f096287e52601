package io.fwatlas.packages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an rpm's lead, signature header and main header from the front of a stream, leaving the
 * stream at the payload. Every count, size and offset is checked against the package length and
 * against rpm's own limits before anything is allocated.
 *
 * @param payloadOffset where the payload starts in the package
 * @param format        PAYLOADFORMAT (tag 1124), "cpio" when absent as rpm assumes
 * @param compressor    PAYLOADCOMPRESSOR (tag 1125), "gzip" when absent as rpm assumes
 * @param control       NAME, [EPOCH:]VERSION-RELEASE, SUMMARY, DESCRIPTION and URL; null without a NAME
 */
record RpmHeader(long payloadOffset, String format, String compressor, PackageControl control) {
    static final int LEAD_SIZE = 96;
    static final int TAG_PAYLOADFORMAT = 1124;
    static final int TAG_PAYLOADCOMPRESSOR = 1125;
    static final int TAG_NAME = 1000;
    static final int TAG_VERSION = 1001;
    static final int TAG_RELEASE = 1002;
    static final int TAG_EPOCH = 1003;
    static final int TAG_SUMMARY = 1004;
    static final int TAG_DESCRIPTION = 1005;
    static final int TAG_URL = 1020;
    private static final int TYPE_INT32 = 4;
    /** rpm refuses headers with more index entries (hdrchkTags) or more data (hdrchkData). */
    static final int MAX_ENTRIES = 0xffff;
    static final int MAX_DATA = 0x0fffffff;
    private static final int TYPE_STRING = 6;
    private static final int TYPE_I18NSTRING = 9;
    /** Bytes of one element for types 0..9: NULL, CHAR, INT8, INT16, INT32, INT64, STRING, BIN, STRING_ARRAY, I18NSTRING. */
    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 1, 1};

    /** @param length the package's size in bytes, or -1 when unknown */
    static RpmHeader read(InputStream in, long length) throws IOException, PackageException {
        byte[] lead = readExactly(in, LEAD_SIZE, 0, length, "rpm lead");
        if (u8(lead, 0) != 0xed || u8(lead, 1) != 0xab || u8(lead, 2) != 0xee || u8(lead, 3) != 0xdb) {
            throw new CorruptPackageException("rpm lead: bad magic " + hex(lead, 0, 4));
        }
        int major = u8(lead, 4);
        if (major != 3 && major != 4) {
            throw new CorruptPackageException("rpm lead: format version " + major + ", expected 3 or 4");
        }
        int sigType = u16(lead, 78);
        if (sigType != 5) {
            throw new CorruptPackageException("rpm lead: signature type " + sigType + ", expected 5 (header signature)");
        }
        long pos = LEAD_SIZE;
        Section sig = Section.read(in, pos, length, "rpm signature header");
        pos += sig.byteSize();
        long pad = (8 - sig.byteSize() % 8) % 8;
        readExactly(in, (int) pad, pos, length, "rpm signature header padding");
        pos += pad;
        Section main = Section.read(in, pos, length, "rpm header");
        pos += main.byteSize();
        String format = main.string(TAG_PAYLOADFORMAT, "cpio");
        String compressor = main.string(TAG_PAYLOADCOMPRESSOR, "gzip");
        String name = main.string(TAG_NAME, null);
        PackageControl control = null;
        if (name != null) {
            long epoch = main.int32(TAG_EPOCH, -1);
            String version = (epoch >= 0 ? epoch + ":" : "") + main.string(TAG_VERSION, "")
                    + "-" + main.string(TAG_RELEASE, "");
            control = new PackageControl(name, version, main.string(TAG_SUMMARY, null),
                    main.string(TAG_DESCRIPTION, null), main.string(TAG_URL, null));
        }
        return new RpmHeader(pos, format, compressor, control);
    }

    /** One header structure: 16 bytes of intro, the index, then the data store. */
    private record Section(String what, long offset, int entries, byte[] index, byte[] data) {
        long byteSize() {
            return 16L + index.length + data.length;
        }

        static Section read(InputStream in, long offset, long length, String what) throws IOException, PackageException {
            byte[] intro = readExactly(in, 16, offset, length, what);
            if (u8(intro, 0) != 0x8e || u8(intro, 1) != 0xad || u8(intro, 2) != 0xe8 || u8(intro, 3) != 0x01) {
                throw new CorruptPackageException(what + " at offset " + offset + ": bad magic " + hex(intro, 0, 4));
            }
            long entries = u32(intro, 8);
            long dataSize = u32(intro, 12);
            if (entries < 1 || entries > MAX_ENTRIES) {
                throw new CorruptPackageException(what + " at offset " + offset + ": " + entries
                        + " index entries, expected 1 to " + MAX_ENTRIES);
            }
            if (dataSize > MAX_DATA) {
                throw new CorruptPackageException(what + " at offset " + offset + ": " + dataSize
                        + " data bytes, more than rpm's limit of " + MAX_DATA);
            }
            long needed = 16 * entries + dataSize;
            if (length >= 0 && offset + 16 + needed > length) {
                throw new TruncatedPackageException(what + " at offset " + offset + " (" + entries + " entries, "
                        + dataSize + " data bytes)", 16 + needed, Math.max(0, length - offset));
            }
            byte[] index = readExactly(in, (int) (16 * entries), offset + 16, length, what + " index");
            byte[] data = readExactly(in, (int) dataSize, offset + 16 + index.length, length, what + " data");
            Section s = new Section(what, offset, (int) entries, index, data);
            s.check();
            return s;
        }

        /** Every entry's type is known and its elements lie inside the data store. */
        private void check() throws PackageException {
            for (int i = 0; i < entries; i++) {
                int at = i * 16;
                long tag = u32(index, at);
                long type = u32(index, at + 4);
                long off = u32(index, at + 8);
                long count = u32(index, at + 12);
                String entry = what + " entry " + i + " (tag " + tag + ")";
                if (type >= TYPE_SIZES.length) {
                    throw new CorruptPackageException(entry + ": unknown type " + type);
                }
                if (count < 1 || count > data.length) {
                    throw new CorruptPackageException(entry + ": count " + count + " outside 1 to " + data.length);
                }
                if (off >= data.length || TYPE_SIZES[(int) type] * count > data.length - off) {
                    throw new CorruptPackageException(entry + ": " + count + " elements of type " + type
                            + " at offset " + off + " lie outside the " + data.length + "-byte data store");
                }
            }
        }

        /** The first INT32 value of {@code tag}, {@code absent} when there is none. */
        long int32(int tag, long absent) throws PackageException {
            for (int i = 0; i < entries; i++) {
                int at = i * 16;
                if (u32(index, at) != tag) {
                    continue;
                }
                if (u32(index, at + 4) != TYPE_INT32) {
                    throw new CorruptPackageException(what + " tag " + tag + ": type " + u32(index, at + 4)
                            + ", expected an int32");
                }
                return u32(data, (int) u32(index, at + 8));
            }
            return absent;
        }

        /** The string value of {@code tag}, {@code absent} when there is none. */
        String string(int tag, String absent) throws PackageException {
            for (int i = 0; i < entries; i++) {
                int at = i * 16;
                if (u32(index, at) != tag) {
                    continue;
                }
                long type = u32(index, at + 4);
                if (type != TYPE_STRING && type != TYPE_I18NSTRING) {
                    throw new CorruptPackageException(what + " tag " + tag + ": type " + type + ", expected a string");
                }
                int off = (int) u32(index, at + 8);
                int end = off;
                while (end < data.length && data[end] != 0) {
                    end++;
                }
                if (end == data.length) {
                    throw new CorruptPackageException(what + " tag " + tag + ": string at offset " + off
                            + " has no NUL before the end of the " + data.length + "-byte data store");
                }
                return new String(data, off, end - off, StandardCharsets.UTF_8);
            }
            return absent;
        }
    }

    private static byte[] readExactly(InputStream in, int n, long offset, long length, String what)
            throws IOException, PackageException {
        if (length >= 0 && offset + n > length) {
            throw new TruncatedPackageException(what + " at offset " + offset, n, Math.max(0, length - offset));
        }
        // readNBytes grows its buffer as bytes arrive: a lying size allocates no more than is there.
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new TruncatedPackageException(what + " at offset " + offset, n, b.length);
        }
        return b;
    }

    private static int u8(byte[] b, int at) {
        return b[at] & 0xff;
    }

    private static int u16(byte[] b, int at) {
        return (u8(b, at) << 8) | u8(b, at + 1);
    }

    private static long u32(byte[] b, int at) {
        return ((long) u8(b, at) << 24) | (u8(b, at + 1) << 16) | (u8(b, at + 2) << 8) | u8(b, at + 3);
    }

    private static String hex(byte[] b, int from, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            s.append(i > from ? " " : "").append(String.format("%02x", b[i] & 0xff));
        }
        return s.toString();
    }
}
