package io.fwatlas.module;

import java.util.Locale;

/** How a module file is compressed, decided by its first bytes (as kmod does), never by its name. */
public enum Compression {
    NONE,
    XZ,
    ZSTD,
    GZIP;

    /** Bytes needed to tell the formats apart. */
    public static final int MAGIC_LENGTH = 6;

    public static Compression detect(byte[] head, int len) {
        if (len >= 6 && (head[0] & 0xff) == 0xFD && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            return XZ;
        }
        if (len >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xB5 && (head[2] & 0xff) == 0x2F
                && (head[3] & 0xff) == 0xFD) {
            return ZSTD;
        }
        if (len >= 2 && (head[0] & 0xff) == 0x1F && (head[1] & 0xff) == 0x8B) {
            return GZIP;
        }
        return NONE;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
