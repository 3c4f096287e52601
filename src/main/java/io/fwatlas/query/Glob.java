package io.fwatlas.query;

import java.util.regex.Pattern;

/**
 * Shell-style globs: {@code *}, {@code ?} and {@code [...]} (with {@code [!...]} or {@code [^...]}
 * negation); every other character is literal, braces included, as in bash and dracut.
 */
public final class Glob {
    private Glob() {
    }

    /** True when the name holds a glob character, as dracut decides it ({@code *}, {@code ?} or {@code [}). */
    public static boolean isGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0;
    }

    /**
     * A Java regex matching the whole string. With {@code crossSlash} false, {@code *} and
     * {@code ?} do not match {@code /} (path globbing); with it true they match anything, which
     * is what a user means by {@code iwlwifi-*} over firmware names.
     */
    public static String regex(String glob, boolean crossSlash) {
        String any = crossSlash ? "." : "[^/]";
        StringBuilder r = new StringBuilder("^");
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*') {
                r.append(any).append('*');
            } else if (c == '?') {
                r.append(any);
            } else if (c == '[') {
                int end = bracketEnd(glob, i);
                if (end < 0) {
                    r.append("\\[");  // an unclosed '[' is literal, as in the shell
                } else {
                    r.append(bracket(glob.substring(i + 1, end)));
                    i = end;
                }
            } else {
                r.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return r.append('$').toString();
    }

    public static Pattern compile(String glob, boolean crossSlash) {
        return Pattern.compile(regex(glob, crossSlash), Pattern.DOTALL);
    }

    /** Index of the ']' that closes the bracket at {@code start}; a ']' right after '[' or '[!' is literal. */
    private static int bracketEnd(String g, int start) {
        int i = start + 1;
        if (i < g.length() && (g.charAt(i) == '!' || g.charAt(i) == '^')) {
            i++;
        }
        if (i < g.length() && g.charAt(i) == ']') {
            i++;
        }
        while (i < g.length() && g.charAt(i) != ']') {
            i++;
        }
        return i < g.length() ? i : -1;
    }

    private static String bracket(String body) {
        StringBuilder r = new StringBuilder("[");
        int first = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            r.append('^');
            first = 1;
        }
        for (int i = first; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '-' && i > first && i < body.length() - 1) {
                r.append('-');  // a range; a '-' first or last is literal
            } else if (Character.isLetterOrDigit(c)) {
                r.append(c);
            } else {
                r.append('\\').append(c);
            }
        }
        return r.append(']').toString();
    }
}
