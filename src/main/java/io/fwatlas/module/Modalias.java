package io.fwatlas.module;

import java.nio.charset.StandardCharsets;

/**
 * Module aliases and device modaliases in the form kmod compares them: kmod 30's
 * {@code alias_normalize} (shared/util.c), which depmod applies to every alias before it writes
 * {@code modules.alias.bin} and modprobe to the string it is asked to resolve. Outside brackets
 * {@code -} becomes {@code _}; inside {@code [...]} nothing changes. A {@code ]} with no open
 * {@code [}, or a {@code [} that is never closed, makes the alias invalid. Works on bytes, as kmod
 * works on C strings: a NUL byte ends the alias.
 */
public final class Modalias {
    /**
     * kmod normalizes into a PATH_MAX buffer and stops after PATH_MAX - 1 bytes: a longer alias is
     * silently cut there, and a bracket or a stray {@code ]} past the cut is never seen.
     */
    public static final int MAX_BYTES = 4095;

    private Modalias() {
    }

    /**
     * The normalized alias, or null when kmod rejects it. A bracket opened before the cut and closed
     * after it is rejected too: kmod copies it past the end of its buffer (undefined behaviour;
     * modprobe 30 aborts with "stack smashing detected" on a long one), so it has no kmod meaning.
     */
    public static byte[] normalize(byte[] alias) {
        if (problem(alias) != null) {
            return null;
        }
        int limit = Math.min(cLength(alias), MAX_BYTES);
        byte[] out = new byte[limit];
        boolean inBracket = false;
        for (int i = 0; i < limit; i++) {
            byte c = alias[i];
            if (c == '[') {
                inBracket = true;
            } else if (c == ']') {
                inBracket = false;
            } else if (c == '-' && !inBracket) {
                c = '_';
            }
            out[i] = c;
        }
        return out;
    }

    /** Why kmod rejects the alias, in a few words, or null when it accepts it. */
    static String problem(byte[] alias) {
        int end = cLength(alias);
        int limit = Math.min(end, MAX_BYTES);
        for (int i = 0; i < limit; i++) {
            byte c = alias[i];
            if (c == ']') {
                return "a ']' without an open '[' at byte " + i;
            }
            if (c == '[') {
                int close = i + 1;
                while (close < end && alias[close] != ']') {
                    close++;
                }
                if (close >= end) {
                    return "the '[' at byte " + i + " is never closed";
                }
                if (close >= MAX_BYTES) {
                    return "the bracket at byte " + i + " ends past kmod's " + MAX_BYTES + "-byte limit";
                }
                i = close;
            }
        }
        return null;
    }

    private static int cLength(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return end;
    }

    /** {@link #normalize(byte[])} on the UTF-8 bytes; a cut inside a character decodes as U+FFFD. */
    public static String normalize(String alias) {
        byte[] n = normalize(alias.getBytes(StandardCharsets.UTF_8));
        return n == null ? null : new String(n, StandardCharsets.UTF_8);
    }

    /** True when the alias holds {@code *}, {@code ?} or {@code [}: kmod's trie tests it with fnmatch. */
    public static boolean isPattern(byte[] normalized) {
        return firstWildcard(normalized, 0, normalized.length) >= 0;
    }

    /** Offset of the first {@code *}, {@code ?} or {@code [} in {@code b[from..to)}, or -1. */
    static int firstWildcard(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (isWildcard(b[i])) {
                return i;
            }
        }
        return -1;
    }

    static boolean isWildcard(byte c) {
        return c == '*' || c == '?' || c == '[';
    }
}
