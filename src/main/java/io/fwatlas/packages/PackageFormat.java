package io.fwatlas.packages;

import io.fwatlas.module.Compression;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The kinds of package this reader takes, decided by their first bytes, never by the file name. */
public enum PackageFormat {
    DEB(Compression.NONE),
    RPM(Compression.NONE),
    TAR(Compression.NONE),
    TAR_XZ(Compression.XZ),
    TAR_ZST(Compression.ZSTD),
    TAR_GZ(Compression.GZIP);

    /** Bytes {@link #detect} looks at: a tar header's "ustar" magic ends at 262. */
    public static final int MAGIC_LENGTH = 512;

    private final Compression compression;

    PackageFormat(Compression compression) {
        this.compression = compression;
    }

    /** For tarballs, the compression around the tar; NONE for the others. */
    public Compression compression() {
        return compression;
    }

    /** "deb", "rpm", "tar", "tar.xz", "tar.zst", "tar.gz". */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The format {@code head} starts with, or null when it is none of them. */
    public static PackageFormat detect(byte[] head, int len) {
        if (startsWith(head, len, "!<arch>\n".getBytes(StandardCharsets.US_ASCII))) {
            return DEB;
        }
        if (startsWith(head, len, new byte[] {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb})) {
            return RPM;
        }
        switch (Compression.detect(head, len)) {
            case XZ:
                return TAR_XZ;
            case ZSTD:
                return TAR_ZST;
            case GZIP:
                return TAR_GZ;
            default:
                break;
        }
        return isTar(head, len) ? TAR : null;
    }

    /** A POSIX or GNU tar header: "ustar" at offset 257. */
    static boolean isTar(byte[] head, int len) {
        byte[] magic = "ustar".getBytes(StandardCharsets.US_ASCII);
        if (len < 257 + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[257 + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] head, int len, byte[] magic) {
        if (len < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
