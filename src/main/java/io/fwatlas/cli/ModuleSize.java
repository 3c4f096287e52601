package io.fwatlas.cli;

import java.util.Locale;

/** Parses {@code --max-module-size}: bytes, or a number with K/KiB, M/MiB or G/GiB (powers of 1024). */
final class ModuleSize {
    static final String OPTION = "--max-module-size";
    private static final String[][] SUFFIXES = {{"GIB", "G"}, {"MIB", "M"}, {"KIB", "K"}};
    private static final long[] UNITS = {1L << 30, 1L << 20, 1L << 10};

    private ModuleSize() {
    }

    /** The size in bytes; an {@link IllegalArgumentException} with a one-line message otherwise. */
    static long parse(String s) {
        long bytes = bytes(OPTION, s);
        if (bytes < 64) {
            throw new IllegalArgumentException(OPTION + " " + s + " is below 64 bytes, too small for any ELF header");
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(OPTION + " " + s + " exceeds the 2 GiB a module can be held in");
        }
        return bytes;
    }

    /** A positive size given to {@code option}, without the module bounds. */
    static long parse(String option, String s) {
        long bytes = bytes(option, s);
        if (bytes < 1) {
            throw new IllegalArgumentException(option + " " + s + " must be at least 1 byte");
        }
        return bytes;
    }

    private static long bytes(String option, String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        outer:
        for (int i = 0; i < SUFFIXES.length; i++) {
            for (String suf : SUFFIXES[i]) {
                if (t.endsWith(suf)) {
                    t = t.substring(0, t.length() - suf.length()).strip();
                    unit = UNITS[i];
                    break outer;
                }
            }
        }
        if (unit == 1 && t.endsWith("B")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + s + "' is not a size in bytes (e.g. 536870912 or 512MiB)");
        }
        if (n < 0 || n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException(option + " '" + s + "' is out of range");
        }
        return n * unit;
    }
}
