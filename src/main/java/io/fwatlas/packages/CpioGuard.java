package io.fwatlas.packages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Watches the newc cpio headers streaming past and checks them before commons-compress's cpio reader
 * acts on them: the magic, hex fields, and a name size it would otherwise buffer whole, even when
 * a decompression bomb supplies gigabytes of name. Stops watching after the TRAILER!!! entry.
 */
final class CpioGuard extends ReadThroughStream {
    static final int HEADER = 110;
    /** PATH_MAX plus its NUL; rpm's own names are far shorter. */
    static final int MAX_NAME = 4097;
    private static final byte[] TRAILER = "TRAILER!!!\0".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final String what;
    private final byte[] header = new byte[HEADER];
    private final byte[] name = new byte[MAX_NAME];
    private long position;
    /** Where the next header starts; bytes before it are name padding or data. */
    private long nextHeader;
    private long headerStart;
    private int headerFill;
    private int nameSize;
    private int nameFill;
    private boolean inHeader;
    private boolean inName;
    private boolean done;

    CpioGuard(InputStream in, String what) {
        this.in = in;
        this.what = what;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0 && !done) {
            watch(b, off, n);
        }
        return n;
    }

    private void watch(byte[] b, int off, int n) throws Fault {
        int i = 0;
        while (i < n && !done) {
            long at = position + i;
            if (!inHeader && !inName) {
                if (at < nextHeader) {
                    i += (int) Math.min(n - i, nextHeader - at);
                } else {
                    inHeader = true;
                    headerStart = at;
                    headerFill = 0;
                }
            } else if (inHeader) {
                int k = Math.min(n - i, HEADER - headerFill);
                System.arraycopy(b, off + i, header, headerFill, k);
                headerFill += k;
                i += k;
                if (headerFill == HEADER) {
                    parseHeader();
                }
            } else {
                int k = Math.min(n - i, nameSize - nameFill);
                System.arraycopy(b, off + i, name, nameFill, k);
                nameFill += k;
                i += k;
                if (nameFill == nameSize) {
                    inName = false;
                    done = nameSize == TRAILER.length && Arrays.equals(name, 0, nameSize, TRAILER, 0, nameSize);
                }
            }
        }
        position += n;
    }

    private void parseHeader() throws Fault {
        String magic = new String(header, 0, 6, StandardCharsets.US_ASCII);
        if (!magic.equals("070701") && !magic.equals("070702")) {
            throw new Fault(new CorruptPackageException(what + ": cpio header at byte " + headerStart + " has magic '"
                    + printable(magic) + "', expected the newc format 070701 or 070702"));
        }
        long size = hex(54, "filesize");
        long names = hex(94, "namesize");
        if (names < 1 || names > MAX_NAME) {
            throw new Fault(new CorruptPackageException(what + ": cpio header at byte " + headerStart + " has a name of "
                    + names + " bytes, expected 1 to " + MAX_NAME));
        }
        nameSize = (int) names;
        nameFill = 0;
        inHeader = false;
        inName = true;
        nextHeader = align4(align4(headerStart + HEADER + names) + size);
    }

    private long hex(int at, String field) throws Fault {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            int d = Character.digit(header[i], 16);
            if (d < 0) {
                throw new Fault(new CorruptPackageException(what + ": cpio header at byte " + headerStart + " has "
                        + field + " '" + printable(new String(header, at, 8, StandardCharsets.US_ASCII))
                        + "', not 8 hex digits"));
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static long align4(long v) {
        return (v + 3) & ~3L;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }

    @Override
    public void close() {
        // the stream below belongs to the package reader
    }
}
