package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Modalias#normalize} against kmod 30's alias_normalize rules (shared/util.c): a loop over at
 * most PATH_MAX - 1 bytes that turns '-' into '_', copies a bracket whole up to its ']', and fails on
 * a ']' it meets outside one or a '[' whose ']' never comes. KmodResolveAliasTest checks the same
 * rules through modprobe.
 */
class ModaliasTest {
    private static final int MAX = Modalias.MAX_BYTES;

    /** raw alias, normalized form or null for invalid. */
    static Stream<Arguments> cases() {
        return Stream.of(
                c("", ""),
                c("pci:v00008086d00002723sv*sd*bc*sc*i*", "pci:v00008086d00002723sv*sd*bc*sc*i*"),
                c("char-major-10-229", "char_major_10_229"),
                c("-", "_"),
                c("--a--", "__a__"),
                c("platform:rtc_cmos", "platform:rtc_cmos"),
                c("of:N*T*Cqcom,adreno-630.2", "of:N*T*Cqcom,adreno_630.2"),
                c("usb:v1645p0007d01[0-2]*dc*", "usb:v1645p0007d01[0-2]*dc*"),
                c("a-[b-c]-d", "a_[b-c]_d"),
                c("x-[a-b]-[c-d]-y", "x_[a-b]_[c-d]_y"),
                c("[-]", "[-]"),
                c("[]", "[]"),
                c("[[-]", "[[-]"),
                c("a[!-]-", "a[!-]_"),
                c("a[b]c]", null),
                c("]", null),
                c("a]b", null),
                c("a-]", null),
                c("[a]]", null),
                c("[", null),
                c("[abc", null),
                c("a[b-c", null),
                c("[a][b", null),
                c("x-[a-b]-[c-d", null),
                c("acpi*:INT33D2:*", "acpi*:INT33D2:*"),
                c("input:b0019v0000p0001e0000-e0,1,k74,ramlsfw", "input:b0019v0000p0001e0000_e0,1,k74,ramlsfw"),
                c("dmi:bvnLENOVO:bvrN2HET-50W(1.33):*", "dmi:bvnLENOVO:bvrN2HET_50W(1.33):*"),
                c("of:NfooTbarCvendor,m\u00f6del-x", "of:NfooTbarCvendor,m\u00f6del_x"),
                c("\\-", "\\_"),
                c("\\[a]", "\\[a]"),
                c("\\]", null),
                // at and past kmod's limit of PATH_MAX - 1 bytes
                c("a".repeat(MAX), "a".repeat(MAX)),
                c("a".repeat(MAX + 1), "a".repeat(MAX)),
                c("-".repeat(5000), "_".repeat(MAX)),
                c("a".repeat(MAX) + "]", "a".repeat(MAX)),
                c("a".repeat(MAX) + "[", "a".repeat(MAX)),
                c("a".repeat(MAX) + "[b]", "a".repeat(MAX)),
                c("a".repeat(MAX - 1) + "]", null),
                c("a".repeat(MAX - 1) + "[", null),
                c("a".repeat(MAX - 3) + "[b]", "a".repeat(MAX - 3) + "[b]"),
                c("a".repeat(MAX - 3) + "[b]-", "a".repeat(MAX - 3) + "[b]"),
                // a bracket across the limit: kmod writes past its buffer, so there is no kmod answer
                c("a".repeat(MAX - 2) + "[b]", null),
                c("a".repeat(MAX - 10) + "[" + "b".repeat(100) + "]", null),
                c("a".repeat(MAX - 2) + "[b", null));
    }

    private static Arguments c(String raw, String normalized) {
        return Arguments.of(raw, normalized);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void normalizesAsKmod(String raw, String normalized) {
        assertEquals(normalized, Modalias.normalize(raw));
        byte[] bytes = Modalias.normalize(raw.getBytes(StandardCharsets.UTF_8));
        if (normalized == null) {
            assertNull(bytes);
            assertTrue(Modalias.problem(raw.getBytes(StandardCharsets.UTF_8)) != null);
        } else {
            assertArrayEquals(normalized.getBytes(StandardCharsets.UTF_8), bytes);
            assertNull(Modalias.problem(raw.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aNulEndsTheAliasAsInC() {
        byte[] raw = "ab-c\0-]".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals("ab_c".getBytes(StandardCharsets.US_ASCII), Modalias.normalize(raw));
        assertArrayEquals(new byte[0], Modalias.normalize(new byte[] {0, '['}));
    }

    @Test
    void theCutCountsBytesNotCharacters() {
        // 4094 ASCII bytes and a two-byte character: the cut falls inside it.
        String raw = "a".repeat(MAX - 1) + "\u00e9";
        byte[] n = Modalias.normalize(raw.getBytes(StandardCharsets.UTF_8));
        assertEquals(MAX, n.length);
        assertEquals((byte) 0xc3, n[MAX - 1]);
        assertEquals("a".repeat(MAX - 1) + "\ufffd", Modalias.normalize(raw));
    }

    @Test
    void theInputIsNotChanged() {
        byte[] raw = "a-b".getBytes(StandardCharsets.US_ASCII);
        Modalias.normalize(raw);
        assertArrayEquals("a-b".getBytes(StandardCharsets.US_ASCII), raw);
    }

    @Test
    void problemsAreNamed() {
        assertEquals("a ']' without an open '[' at byte 1", Modalias.problem(bytes("a]")));
        assertEquals("the '[' at byte 2 is never closed", Modalias.problem(bytes("ab[cd")));
        assertEquals("the bracket at byte 4093 ends past kmod's 4095-byte limit",
                Modalias.problem(bytes("a".repeat(MAX - 2) + "[b]")));
    }

    @Test
    void patternsAreAliasesWithWildcards() {
        assertTrue(Modalias.isPattern(bytes("pci:v*")));
        assertTrue(Modalias.isPattern(bytes("a?")));
        assertTrue(Modalias.isPattern(bytes("d0[0-2]")));
        assertTrue(Modalias.isPattern(bytes("\\*")), "kmod's trie does not look at backslashes");
        assertFalse(Modalias.isPattern(bytes("platform:rtc_cmos")));
        assertFalse(Modalias.isPattern(bytes("a]")));
        assertFalse(Modalias.isPattern(bytes("")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
