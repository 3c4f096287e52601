package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Fnmatch} against glibc 2.36's fnmatch in the C locale. The table's expected values were
 * taken from glibc and are checked against it again on every run where libc loads; the
 * differential tests compare with the real function on random and alias-shaped input.
 */
class FnmatchTest {
    @BeforeAll
    static void cLocale() {
        if (Glibc.unavailable() == null) {
            Glibc.enterC();
        }
    }

    @AfterAll
    static void restoreLocale() {
        Glibc.restore();
    }

    /** pattern, string, glibc's answer. Backslashes are Java-escaped: "\\" is one backslash. */
    static Stream<Arguments> table() {
        return Stream.of(
                // plain, '?', '*'
                c("", "", true), c("", "a", false), c("a", "", false), c("abc", "abc", true), c("abc", "abd", false),
                c("abc", "ABC", false), c("ABC", "abc", false),
                c("?", "", false), c("?", "a", true), c("?", "/", true), c("?", ".", true), c("a?c", "abc", true),
                c("a?c", "ac", false), c("*", "", true), c("*", "/a/b", true), c("*", ".hidden", true),
                c("a*", "a", true), c("a*b", "a/x/b", true), c("*a", "ba", true), c("*a", "ab", false),
                c("**", "", true), c("*?", "", false), c("*?", "x", true), c("?*?", "x", false), c("?*?", "xy", true),
                c("*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
                c("*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true),
                c("pci:v00008086d00002723sv*sd*bc*sc*i*", "pci:v00008086d00002723sv00008086sd00000084bc02sc80i00", true),
                c("pci:v00008086d00002723sv*sd*bc*sc*i*", "pci:v00008086d00002723sv00008086sd00000084bc02sc80", false),
                // escapes
                c("\\*", "*", true), c("\\*", "a", false), c("\\?", "?", true), c("\\a", "a", true), c("\\[a]", "[a]", true),
                c("\\[a]", "a", false), c("\\\\", "\\", true), c("\\", "\\", false), c("\\", "", false),
                c("a\\", "a", false), c("a\\", "a\\", false), c("*\\", "a\\", false), c("*\\*", "ab*", true),
                c("*\\*", "ab", false),
                // brackets, ranges, negation
                c("[abc]", "b", true), c("[abc]", "d", false), c("[abc]", "", false), c("[a-c]", "b", true),
                c("[a-c]", "B", false), c("[A-z]", "_", true), c("[z-a]", "b", false), c("[z-a]", "z", false),
                c("[a-a]", "a", true), c("[!a-c]", "d", true), c("[!a-c]", "b", false), c("[^a-c]", "d", true),
                c("[^a-c]", "a", false), c("[!a]", "/", true), c("[!a]", ".", true), c("[a-]", "-", true),
                c("[-a]", "-", true), c("[a-c-e]", "d", false), c("[a-c-e]", "-", true), c("[--/]", ".", true),
                c("[]]", "]", true), c("[]a]", "a", true), c("[]-a]", "^", true), c("[!]a]", "b", true),
                c("[!]a]", "]", false), c("[^]]", "a", true), c("[]", "]", false), c("[]", "[]", true),
                c("[!]", "!", false), c("[!]", "[!]", true), c("[^]", "[^]", true), c("[\\]]", "]", true),
                c("[\\]a]", "a", true), c("[\\a-c]", "b", true), c("[a-\\c]", "b", true), c("[\\!a]", "!", true),
                c("[a\\-c]", "-", true), c("[a\\-c]", "b", false), c("[\\", "\\", false), c("[\\", "[\\", false),
                c("[a\\", "a", false), c("[a-", "a", false), c("[a-", "[a-", false), c("[a-\\", "b", false),
                c("d[0-2]*", "d1x", true), c("d[0-2]*", "d3", false), c("d0[0-2][0-9]dc", "d012dc", true),
                // unterminated brackets: the '[' is an ordinary character
                c("[", "[", true), c("[", "a", false), c("[a", "[a", true), c("[a", "a", false), c("[!a", "[!a", true),
                c("[!a", "b", false), c("[[", "[[", true), c("a[", "a[", true), c("[ab", "ab", false),
                c("*[", "x[", true), c("*[a", "x[a", true), c("[*", "[zzz", true), c("[?", "[x", true),
                c("[[:alpha:]", "a", false), c("[[:alpha:]", "[", false), c("[[:alpha:", "[:alpha:", false),
                // classes
                c("[[:alpha:]]", "a", true), c("[[:alpha:]]", "1", false), c("[[:digit:]]", "7", true),
                c("[[:upper:]]", "a", false), c("[[:lower:]]", "a", true), c("[[:xdigit:]]", "F", true),
                c("[[:xdigit:]]", "g", false), c("[[:space:]]", "\t", true), c("[[:blank:]]", "\n", false),
                c("[[:punct:]]", "_", true), c("[[:alnum:]]", "_", false), c("[[:print:]]", " ", true),
                c("[[:graph:]]", " ", false), c("[[:cntrl:]]", "\u007f", true), c("[![:digit:]]", "a", true),
                c("[[:alpha:][:digit:]]", "5", true), c("[[:alpha:]-z]", "-", true), c("[[:foo:]]", "a", false),
                c("[[:foo:]]", "[", false), c("[[:combining:]]", "a", false), c("[[::]]", ":", false),
                // not a class name (capitals, 'z', nothing): plain members up to the first ']'
                c("[[:Alpha:]]", "[", false), c("[[:Alpha:]]", "A]", true), c("[[:zzz:]]", ":", false),
                c("[[:zzz:]]", "z]", true), c("[[:]]", ":]", true), c("[[:a", "[:a", false),
                // collating symbols and equivalence classes: one byte in the C locale
                c("[[.a.]]", "a", true), c("[[.a.]]", "b", false), c("[[.ab.]]", "a", false), c("[[..]]", ".", false),
                c("[[.].]]", "]", true), c("[[.a.]-c]", "b", true), c("[a-[.c.]]", "b", true), c("[[.a.]-]", "a", false),
                c("[[.a.]-]", "-", true), c("[[.a", "a", false), c("[[=a=]]", "a", true), c("[[=a=]]", "b", false),
                c("[[=ab=]]", "a", false), c("[[=ab=]]", "[", false), c("[[=", "[=", false), c("[[=a=]-z]", "b", false),
                c("[a[=ab=]]", "a", false), c("[a[.ab.]]", "a", true), c("[a[=a", "a", false),
                // kmod alias shapes
                c("acpi*:INT33D2:*", "acpi:INT33D2:", true), c("acpi*:INT33D2:*", "acpiX:INT33D2:PNP0C02:", true),
                c("of:N*T*Cqcom,adreno*", "of:NgpuT(null)Cqcom,adreno-630.2Cqcom,adreno", true),
                c("usb:v13FDp3940d0[0-2]*dc*dsc*dp*ic*isc*ip*in*", "usb:v13FDp3940d0100dc00dsc00dp00ic08isc06ip50in00", true),
                c("usb:v13FDp3940d0[0-2]*dc*dsc*dp*ic*isc*ip*in*", "usb:v13FDp3940d0300dc00dsc00dp00ic08isc06ip50in00", false));
    }

    private static Arguments c(String pattern, String string, boolean expected) {
        return Arguments.of(pattern, string, expected);
    }

    @ParameterizedTest(name = "fnmatch({0}, {1}) = {2}")
    @MethodSource("table")
    void table(String pattern, String string, boolean expected) {
        assertEquals(expected, Fnmatch.match(pattern, string));
    }

    @ParameterizedTest(name = "glibc: fnmatch({0}, {1}) = {2}")
    @MethodSource("table")
    void tableIsWhatGlibcSays(String pattern, String string, boolean expected) {
        assumeLibc();
        assertEquals(expected, Glibc.fnmatch(utf8(pattern), utf8(string)));
    }

    @Test
    void offsetsAndNulEndTheStrings() {
        byte[] p = "xx*b\0zzz".getBytes(StandardCharsets.US_ASCII);
        byte[] s = "yab\0c".getBytes(StandardCharsets.US_ASCII);
        assertTrue(Fnmatch.match(p, 2, s, 1));
        assertFalse(Fnmatch.match(p, 0, s, 1));
        assertTrue(Fnmatch.match(p, p.length, s, s.length));
        assertTrue(Fnmatch.match(p, 4, s, 3), "both empty after the NUL");
        assertThrows(IndexOutOfBoundsException.class, () -> Fnmatch.match(p, p.length + 1, s, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> Fnmatch.match(p, 0, s, -1));
    }

    /** Random patterns and strings over an alphabet of mostly special characters. */
    @Test
    void randomAgainstGlibc() {
        assumeLibc();
        byte[] alphabet = "*?[]!^-\\/:aAzZ09_.bc=".getBytes(StandardCharsets.US_ASCII);
        long seed = 20240611L;
        Random r = new Random(seed);
        int matches = 0;
        for (int i = 0; i < 300_000; i++) {
            byte[] pattern = random(r, alphabet, r.nextInt(11));
            byte[] string = r.nextInt(3) == 0 ? instantiate(r, pattern, alphabet) : random(r, alphabet, r.nextInt(9));
            matches += compare(pattern, string, "seed " + seed + " case " + i) ? 1 : 0;
        }
        // The comparison means little if almost everything fails.
        assertTrue(matches > 30_000, "only " + matches + " matches");
    }

    /** Every byte value, high ones included: glibc's C locale takes them as unsigned chars. */
    @Test
    void allBytesAgainstGlibc() {
        assumeLibc();
        byte[] alphabet = new byte[255];
        for (int i = 0; i < 255; i++) {
            alphabet[i] = (byte) (i + 1);
        }
        byte[] specials = "*?[]!^-\\:.=".getBytes(StandardCharsets.US_ASCII);
        long seed = 77L;
        Random r = new Random(seed);
        for (int i = 0; i < 100_000; i++) {
            byte[] pattern = new byte[r.nextInt(8)];
            for (int k = 0; k < pattern.length; k++) {
                pattern[k] = r.nextBoolean() ? specials[r.nextInt(specials.length)] : alphabet[r.nextInt(255)];
            }
            byte[] string = r.nextBoolean() ? instantiate(r, pattern, alphabet) : random(r, alphabet, r.nextInt(6));
            compare(pattern, string, "seed " + seed + " case " + i);
        }
    }

    @Test
    void everyRangeAndClassOnEveryByte() {
        assumeLibc();
        Random r = new Random(5);
        for (int k = 0; k < 3000; k++) {
            int lo = 1 + r.nextInt(255);
            int hi = 1 + r.nextInt(255);
            byte[] pattern = {'[', (byte) lo, '-', (byte) hi, ']'};
            if (lo == '\\' || lo == '[' || lo == '!' || lo == '^' || hi == '\\' || hi == ']' || hi == '[') {
                continue;
            }
            int c = 1 + r.nextInt(255);
            compare(pattern, new byte[] {(byte) c}, "range case " + k);
        }
        for (String cls : List.of("alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
                "space", "upper", "xdigit")) {
            byte[] pattern = utf8("[[:" + cls + ":]]");
            for (int c = 1; c < 256; c++) {
                compare(pattern, new byte[] {(byte) c}, "class " + cls);
            }
        }
    }

    /** Class names at glibc's CHARCLASS_NAME_MAX (2048), in the matching and in the skipping loop. */
    @Test
    void longClassNamesAgainstGlibc() {
        assumeLibc();
        for (int len : new int[] {2046, 2047, 2048, 2049}) {
            String name = "a".repeat(len);
            for (String p : List.of("[[:" + name + ":]]", "[[:" + name + "Z]", "[x[:" + name + ":]]",
                    "[x[:" + name + "Z]]", "[x[:" + name + "]")) {
                for (String s : List.of("x", "[", "Z", ":")) {
                    compare(utf8(p), utf8(s), "name length " + len);
                }
            }
        }
    }

    /** Alias-shaped patterns from file2alias and devices near them. */
    @Test
    void aliasShapesAgainstGlibc() {
        assumeLibc();
        String[] shapes = {
            "pci:v%sd%ssv*sd*bc*sc*i*", "pci:v*d*sv*sd*bc%ssc%si*", "usb:v%sp%sd0[0-2]*dc*dsc*dp*ic*isc*ip*in*",
            "usb:v%sp%sd01[0-9]%sdc*dsc*dp*ic*isc*ip*in*", "acpi*:%s:*", "of:N*T*C%s,adreno*", "hid:b0003g*v%sp%s",
            "input:b*v*p*e*-e*1,*k*r*a*m*l*s*f*w*", "dmi*:svn*%s*:pvr*ThinkPad*", "vfio_pci:v%sd%ssv*sd*bc*sc*i*",
            "platform:%s", "i2c:%s", "usb:v*p*d*dc*dsc*dp*ic%sisc%sip*in*"};
        byte[] hexish = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        long seed = 99L;
        Random r = new Random(seed);
        for (int i = 0; i < 50_000; i++) {
            String shape = shapes[r.nextInt(shapes.length)];
            Object[] fields = new Object[3];
            for (int k = 0; k < fields.length; k++) {
                fields[k] = new String(random(r, hexish, 1 + r.nextInt(8)), StandardCharsets.US_ASCII);
            }
            byte[] pattern = utf8(String.format(shape, fields));
            byte[] device = instantiate(r, pattern, "0123456789ABCDEFabcxyz_:-,".getBytes(StandardCharsets.US_ASCII));
            if (r.nextInt(4) == 0 && device.length > 0) {
                device[r.nextInt(device.length)] = hexish[r.nextInt(hexish.length)];
            }
            compare(pattern, device, "seed " + seed + " case " + i);
        }
    }

    @Test
    void hostilePatternsStayFast() {
        byte[] s = utf8("a".repeat(20_000));
        byte[] star = utf8("*a".repeat(200) + "*b");
        byte[] brackets = utf8("*[[:alpha:]][!b][a-z]".repeat(50) + "*b");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertFalse(Fnmatch.match(star, 0, s, 0));
            assertFalse(Fnmatch.match(brackets, 0, s, 0));
        });
        if (Glibc.unavailable() == null) {
            assertEquals(Glibc.fnmatch(star, s), Fnmatch.match(star, 0, s, 0));
            assertEquals(Glibc.fnmatch(brackets, s), Fnmatch.match(brackets, 0, s, 0));
        }
    }

    private static boolean compare(byte[] pattern, byte[] string, String where) {
        boolean expected = Glibc.fnmatch(pattern, string);
        boolean actual;
        try {
            actual = Fnmatch.match(pattern, 0, string, 0);
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": fnmatch(" + Glibc.show(pattern) + ", " + Glibc.show(string) + ") threw", e);
        }
        assertEquals(expected, actual, () -> where + ": fnmatch(" + Glibc.show(pattern) + ", " + Glibc.show(string)
                + ") glibc says " + expected);
        return expected;
    }

    private static byte[] random(Random r, byte[] alphabet, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return b;
    }

    /** A string likely to match: '*' becomes a few bytes, '?' one, a bracket one of its bytes. */
    private static byte[] instantiate(Random r, byte[] pattern, byte[] alphabet) {
        List<Byte> out = new ArrayList<>();
        for (int i = 0; i < pattern.length; i++) {
            byte c = pattern[i];
            if (c == '*') {
                for (int k = r.nextInt(4); k > 0; k--) {
                    out.add(alphabet[r.nextInt(alphabet.length)]);
                }
            } else if (c == '?') {
                out.add(alphabet[r.nextInt(alphabet.length)]);
            } else if (c == '[') {
                int close = i + 1;
                while (close < pattern.length && pattern[close] != ']') {
                    close++;
                }
                if (close < pattern.length && close > i + 1 && r.nextBoolean()) {
                    out.add(pattern[i + 1 + r.nextInt(close - i - 1)]);
                    i = close;
                } else {
                    out.add(c);
                }
            } else if (c == '\\' && i + 1 < pattern.length) {
                out.add(pattern[++i]);
            } else {
                out.add(c);
            }
        }
        byte[] b = new byte[out.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = out.get(i);
        }
        return b;
    }

    private static void assumeLibc() {
        String why = Glibc.unavailable();
        assumeTrue(why == null, why);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
