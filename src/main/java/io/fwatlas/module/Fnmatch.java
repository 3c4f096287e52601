package io.fwatlas.module;

import java.nio.charset.StandardCharsets;

/**
 * glibc 2.36's {@code fnmatch(pattern, string, 0)} in the C locale, which is what kmod's trie calls
 * (modprobe never calls setlocale). Bytes are unsigned chars and a NUL byte ends a string, as in C.
 * With flags 0, {@code *} and {@code ?} match any byte, {@code /} and a leading {@code .} included,
 * and a backslash quotes the next byte, inside brackets too. {@code POSIXLY_CORRECT} is taken as
 * unset, so {@code [^...]} negates like {@code [!...]}.
 *
 * <p>glibc's quirks are kept, each checked against the real function: a {@code [} without its
 * {@code ]} is an ordinary character; a trailing backslash, or one ending a bracket, never matches;
 * in the C locale a range compares byte values and {@code [.x.]} and {@code [=x=]} stand for the one
 * byte x ({@code [.xy.]} never matches); a class name must be one of the twelve POSIX names.
 *
 * <p>Like glibc, a {@code *} takes the earliest place where the text up to the next {@code *}
 * matches and never returns to it: every other element matches exactly one byte, so that place is
 * the best one. The cost is bounded by pattern length times string length, never exponential.
 */
public final class Fnmatch {
    /** glibc's CHARCLASS_NAME_MAX: fnmatch gives up on a {@code [:name:]} this long. */
    private static final int CLASS_NAME_MAX = 2048;
    private static final String[] CLASSES = {"alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower",
        "print", "punct", "space", "upper", "xdigit"};

    private static final long FAIL = -1;
    private static final long MATCH = -2;

    private Fnmatch() {
    }

    /** {@code fnmatch} of {@code pattern[patternFrom..]} against {@code string[stringFrom..]}, each up to a NUL. */
    public static boolean match(byte[] pattern, int patternFrom, byte[] string, int stringFrom) {
        return match(pattern, patternFrom, cEnd(pattern, patternFrom), string, stringFrom, cEnd(string, stringFrom));
    }

    /** {@link #match(byte[], int, byte[], int)} on UTF-8 bytes. */
    public static boolean match(String pattern, String string) {
        return match(pattern.getBytes(StandardCharsets.UTF_8), 0, string.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** The same on {@code pattern[pFrom..pEnd)} and {@code string[sFrom..sEnd)}, which must hold no NUL. */
    static boolean match(byte[] pattern, int pFrom, int pEnd, byte[] string, int sFrom, int sEnd) {
        if (pFrom < 0 || pFrom > pEnd || pEnd > pattern.length || sFrom < 0 || sFrom > sEnd || sEnd > string.length) {
            throw new IndexOutOfBoundsException("pattern [" + pFrom + ", " + pEnd + ") of " + pattern.length
                    + ", string [" + sFrom + ", " + sEnd + ") of " + string.length);
        }
        long r = segment(pattern, pFrom, pEnd, string, sFrom, sEnd);
        while (r >= 0) {
            int p = (int) (r >>> 32) + 1; // just after the '*'
            int n = (int) r;
            // A run of '*' and '?' is one star that needs as many bytes as there are '?'.
            while (p < pEnd && (pattern[p] == '*' || pattern[p] == '?')) {
                if (pattern[p] == '?') {
                    if (n == sEnd) {
                        return false;
                    }
                    n++;
                }
                p++;
            }
            if (p == pEnd) {
                return true;
            }
            // The byte the next element must see, when it is a plain or quoted one: a quick filter.
            int first = -1;
            if (pattern[p] == '\\') {
                first = p + 1 < pEnd ? pattern[p + 1] & 0xff : 0;
            } else if (pattern[p] != '[') {
                first = pattern[p] & 0xff;
            }
            r = FAIL;
            for (; n < sEnd; n++) {
                if (first >= 0 && (string[n] & 0xff) != first) {
                    continue;
                }
                r = segment(pattern, p, pEnd, string, n, sEnd);
                if (r != FAIL) {
                    break;
                }
            }
        }
        return r == MATCH;
    }

    /**
     * Matches from {@code p} and {@code n} up to the next {@code *} outside brackets or to the end of
     * the pattern. Returns FAIL, MATCH (pattern and string both used up), or the offsets of that
     * {@code *} and of the string there, packed as {@code star << 32 | n}.
     */
    private static long segment(byte[] pat, int p, int pEnd, byte[] s, int n, int sEnd) {
        while (p < pEnd) {
            int c = pat[p++] & 0xff;
            switch (c) {
                case '*':
                    return (long) (p - 1) << 32 | n;
                case '?':
                    if (n == sEnd) {
                        return FAIL;
                    }
                    n++;
                    break;
                case '\\':
                    if (p == pEnd || n == sEnd || (s[n] & 0xff) != (pat[p] & 0xff)) {
                        return FAIL;
                    }
                    p++;
                    n++;
                    break;
                case '[': {
                    if (n == sEnd) {
                        return FAIL;
                    }
                    int after = bracket(pat, p, pEnd, s[n] & 0xff);
                    if (after == BRACKET_FAIL) {
                        return FAIL;
                    }
                    if (after == BRACKET_LITERAL) {
                        // No closing ']': the '[' stands for itself and the rest is read again.
                        if (s[n] != '[') {
                            return FAIL;
                        }
                    } else {
                        p = after;
                    }
                    n++;
                    break;
                }
                default:
                    if (n == sEnd || (s[n] & 0xff) != c) {
                        return FAIL;
                    }
                    n++;
            }
        }
        return n == sEnd ? MATCH : FAIL;
    }

    private static final int BRACKET_FAIL = -1;
    private static final int BRACKET_LITERAL = -2;

    /** Pattern byte {@code i}, or 0 (C's NUL) at and past the end. */
    private static int at(byte[] pat, int i, int pEnd) {
        return i < pEnd ? pat[i] & 0xff : 0;
    }

    /**
     * The bracket expression starting just after its {@code [} at {@code open}, tested on byte
     * {@code fn}: the offset after its {@code ]} when it accepts fn, BRACKET_LITERAL when it has no
     * {@code ]} (then the {@code [} is a plain character), BRACKET_FAIL when it rejects fn or is one of
     * the forms on which glibc gives up.
     */
    private static int bracket(byte[] pat, int open, int pEnd, int fn) {
        int p = open;
        boolean not = at(pat, p, pEnd) == '!' || at(pat, p, pEnd) == '^';
        if (not) {
            p++;
        }
        int c = at(pat, p++, pEnd);
        while (true) {
            boolean member = false; // c is a plain member, maybe the start of a range
            int low = -1;          // the start of a possible range, once c is past it
            if (c == '\\') {
                if (at(pat, p, pEnd) == 0) {
                    return BRACKET_FAIL;
                }
                c = at(pat, p++, pEnd);
                member = true;
            } else if (c == '[' && at(pat, p, pEnd) == ':') {
                int start = p;
                int len = 0;
                while (true) {
                    if (len == CLASS_NAME_MAX) {
                        return BRACKET_FAIL;
                    }
                    c = at(pat, ++p, pEnd);
                    if (c == ':' && at(pat, p + 1, pEnd) == ']') {
                        p += 2;
                        break;
                    }
                    if (c < 'a' || c >= 'z') {
                        // Not a class name: the '[' is a member and the ':' is read next.
                        p = start;
                        c = '[';
                        member = true;
                        break;
                    }
                    len++;
                }
                if (!member) {
                    int cls = classIndex(pat, start + 1, len);
                    if (cls < 0) {
                        return BRACKET_FAIL;
                    }
                    if (inClass(cls, fn)) {
                        return skipRest(pat, p, pEnd, not);
                    }
                    c = at(pat, p++, pEnd);
                }
            } else if (c == '[' && at(pat, p, pEnd) == '=') {
                int start = p;
                int x = at(pat, start + 1, pEnd);
                if (x == 0 || at(pat, start + 2, pEnd) != '=' || at(pat, start + 3, pEnd) != ']') {
                    c = '[';
                    member = true;
                } else {
                    p = start + 4;
                    if (fn == x) {
                        return skipRest(pat, p, pEnd, not);
                    }
                    c = at(pat, p++, pEnd);
                }
            } else if (c == 0) {
                return BRACKET_LITERAL;
            } else if (c == '[' && at(pat, p, pEnd) == '.') {
                int x = at(pat, p + 1, pEnd);
                p = symbolEnd(pat, p, pEnd);
                if (p == BRACKET_FAIL) {
                    return BRACKET_FAIL;
                }
                // Unlike a plain member, a symbol before "-]" counts as a range start, so "[[.a.]-]" misses 'a'.
                boolean range = at(pat, p, pEnd) == '-' && at(pat, p + 1, pEnd) != 0;
                if (!range && fn == x) {
                    return skipRest(pat, p, pEnd, not);
                }
                low = x;
                c = at(pat, p++, pEnd);
            } else {
                member = true;
            }
            if (member) {
                int next = at(pat, p, pEnd);
                boolean range = next == '-' && at(pat, p + 1, pEnd) != 0 && at(pat, p + 1, pEnd) != ']';
                if (!range && c == fn) {
                    return skipRest(pat, p, pEnd, not);
                }
                low = c;
                c = at(pat, p++, pEnd);
            }
            if (low >= 0 && c == '-' && at(pat, p, pEnd) != ']') {
                int high = at(pat, p++, pEnd);
                if (high == '[' && at(pat, p, pEnd) == '.') {
                    high = at(pat, p + 1, pEnd);
                    p = symbolEnd(pat, p, pEnd);
                    if (p == BRACKET_FAIL) {
                        return BRACKET_FAIL;
                    }
                } else {
                    if (high == '\\') {
                        high = at(pat, p++, pEnd);
                    }
                    if (high == 0) {
                        return BRACKET_FAIL;
                    }
                }
                // The C locale collates by byte value; a reversed range holds nothing.
                if (low <= fn && fn <= high) {
                    return skipRest(pat, p, pEnd, not);
                }
                c = at(pat, p++, pEnd);
            }
            if (c == ']') {
                return not ? p : BRACKET_FAIL;
            }
        }
    }

    /**
     * A collating symbol {@code [.x.]} whose {@code .} is at {@code dot}: the offset after its
     * {@code .]}, or BRACKET_FAIL when it never ends or is not one byte (the C locale has no
     * multi-byte collating elements). The symbol's byte is the one after {@code dot}.
     */
    private static int symbolEnd(byte[] pat, int dot, int pEnd) {
        int p = dot;
        int len = 0;
        while (true) {
            int c = at(pat, ++p, pEnd);
            if (c == '.' && at(pat, p + 1, pEnd) == ']') {
                return len == 1 ? p + 2 : BRACKET_FAIL;
            }
            if (c == 0) {
                return BRACKET_FAIL;
            }
            len++;
        }
    }

    /**
     * After a member accepted the byte: finds the {@code ]} that ends the bracket, reading the rest
     * as glibc's skipping loop does, which is stricter than its matching loop about {@code [=} and
     * {@code [.} and lenient about class names.
     */
    private static int skipRest(byte[] pat, int p, int pEnd, boolean not) {
        while (true) {
            int c = at(pat, p++, pEnd);
            if (c == ']') {
                return not ? BRACKET_FAIL : p;
            }
            if (c == 0) {
                return BRACKET_LITERAL;
            }
            if (c == '\\') {
                if (at(pat, p, pEnd) == 0) {
                    return BRACKET_FAIL;
                }
                p++;
            } else if (c == '[' && at(pat, p, pEnd) == ':') {
                int start = p;
                int len = 0;
                while (true) {
                    c = at(pat, ++p, pEnd);
                    if (++len == CLASS_NAME_MAX) {
                        return BRACKET_FAIL;
                    }
                    if (c == ':' && at(pat, p + 1, pEnd) == ']') {
                        break;
                    }
                    if (c < 'a' || c >= 'z') {
                        p = start - 2;
                        break;
                    }
                }
                p += 2;
            } else if (c == '[' && at(pat, p, pEnd) == '=') {
                if (at(pat, p + 1, pEnd) == 0 || at(pat, p + 2, pEnd) != '=' || at(pat, p + 3, pEnd) != ']') {
                    return BRACKET_FAIL;
                }
                p += 4;
            } else if (c == '[' && at(pat, p, pEnd) == '.') {
                while (true) {
                    c = at(pat, ++p, pEnd);
                    if (c == 0) {
                        return BRACKET_FAIL;
                    }
                    if (c == '.' && at(pat, p + 1, pEnd) == ']') {
                        break;
                    }
                }
                p += 2;
            }
        }
    }

    private static int classIndex(byte[] pat, int from, int len) {
        for (int k = 0; k < CLASSES.length; k++) {
            String name = CLASSES[k];
            if (name.length() != len) {
                continue;
            }
            int i = 0;
            while (i < len && pat[from + i] == name.charAt(i)) {
                i++;
            }
            if (i == len) {
                return k;
            }
        }
        return -1;
    }

    /** The C locale's classes: ASCII only, nothing at or above 0x80. */
    private static boolean inClass(int cls, int c) {
        boolean upper = c >= 'A' && c <= 'Z';
        boolean lower = c >= 'a' && c <= 'z';
        boolean digit = c >= '0' && c <= '9';
        boolean graph = c >= 0x21 && c <= 0x7e;
        switch (CLASSES[cls]) {
            case "alnum":
                return upper || lower || digit;
            case "alpha":
                return upper || lower;
            case "blank":
                return c == ' ' || c == '\t';
            case "cntrl":
                return c < 0x20 || c == 0x7f;
            case "digit":
                return digit;
            case "graph":
                return graph;
            case "lower":
                return lower;
            case "print":
                return graph || c == ' ';
            case "punct":
                return graph && !(upper || lower || digit);
            case "space":
                return c == ' ' || (c >= '\t' && c <= '\r');
            case "upper":
                return upper;
            case "xdigit":
                return digit || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
            default:
                throw new IllegalStateException(CLASSES[cls]);
        }
    }

    private static int cEnd(byte[] b, int from) {
        if (from < 0 || from > b.length) {
            throw new IndexOutOfBoundsException("offset " + from + " of " + b.length);
        }
        int i = from;
        while (i < b.length && b[i] != 0) {
            i++;
        }
        return i;
    }
}
