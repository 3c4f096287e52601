package io.fwatlas.scan;

/** A count and its noun, as people write them: {@code 1 kernel}, {@code 2 kernels}, {@code 3 directories}. */
public final class Plural {
    private Plural() {
    }

    /** {@code n} and {@code noun}, whose last word takes the plural form unless {@code n} is 1. */
    public static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : plural(noun));
    }

    static String plural(String noun) {
        int n = noun.length();
        if (n > 1 && noun.endsWith("y") && "aeiou".indexOf(noun.charAt(n - 2)) < 0) {
            return noun.substring(0, n - 1) + "ies";
        }
        if (noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("ch") || noun.endsWith("sh")) {
            return noun + "es";
        }
        return noun + "s";
    }
}
