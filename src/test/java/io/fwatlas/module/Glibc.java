package io.fwatlas.module;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Arrays;

/**
 * The real glibc {@code fnmatch}, through JNA, run in the C locale as modprobe runs it. The JVM sets
 * the locale from the environment at start; {@link #enterC()} switches the whole process to "C" and
 * {@link #restore()} puts back what was there, so other tests in the same JVM are not affected.
 */
final class Glibc {
    private static final int LC_ALL = 6; // glibc's value
    static final int FNM_NOMATCH = 1;

    interface LibC extends Library {
        int fnmatch(byte[] pattern, byte[] string, int flags);

        String setlocale(int category, String locale);
    }

    private static final LibC LIBC = load();
    private static String saved;

    private Glibc() {
    }

    private static LibC load() {
        try {
            return Native.load("c", LibC.class);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Null when libc can be used, else why not. */
    static String unavailable() {
        if (LIBC == null) {
            return "libc cannot be loaded through JNA";
        }
        if (System.getenv("POSIXLY_CORRECT") != null) {
            return "POSIXLY_CORRECT is set: glibc would not take [^...] as negation, kmod's environment does not set it";
        }
        return null;
    }

    static synchronized void enterC() {
        if (saved == null) {
            saved = LIBC.setlocale(LC_ALL, null);
        }
        if (LIBC.setlocale(LC_ALL, "C") == null) {
            throw new IllegalStateException("setlocale(LC_ALL, \"C\") failed");
        }
    }

    static synchronized void restore() {
        if (LIBC != null && saved != null) {
            LIBC.setlocale(LC_ALL, saved);
            saved = null;
        }
    }

    /** fnmatch(pattern, string, 0) == 0; both are taken up to their first NUL, as C does. */
    static boolean fnmatch(byte[] pattern, byte[] string) {
        int rc = LIBC.fnmatch(Arrays.copyOf(pattern, pattern.length + 1), Arrays.copyOf(string, string.length + 1), 0);
        if (rc != 0 && rc != FNM_NOMATCH) {
            throw new IllegalStateException("fnmatch returned " + rc + " for " + show(pattern) + " " + show(string));
        }
        return rc == 0;
    }

    /** Bytes as a Java-like string literal: printable ASCII as is, the rest as \xNN. */
    static String show(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.append('"').toString();
    }
}
