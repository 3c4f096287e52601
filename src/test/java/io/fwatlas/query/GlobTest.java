package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GlobTest {
    private static boolean path(String glob, String s) {
        return Glob.compile(glob, false).matcher(s).matches();
    }

    private static boolean name(String glob, String s) {
        return Glob.compile(glob, true).matcher(s).matches();
    }

    @Test
    void starAndQuestionMarkStopAtSlashInPaths() {
        assertTrue(path("ath11k/WCN6855/hw2.0/*", "ath11k/WCN6855/hw2.0/board-2.bin"));
        assertFalse(path("ath11k/*", "ath11k/WCN6855/hw2.0/board-2.bin"));
        assertFalse(path("a?b", "a/b"));
        assertTrue(name("ath11k/*", "ath11k/WCN6855/hw2.0/board-2.bin"));
        assertTrue(name("a?b", "a/b"));
    }

    @Test
    void bracketsRangesAndNegation() {
        assertTrue(path("fw[0-9].bin", "fw7.bin"));
        assertFalse(path("fw[0-9].bin", "fwx.bin"));
        assertTrue(path("fw[!0-9].bin", "fwx.bin"));
        assertFalse(path("fw[^0-9].bin", "fw1.bin"));
        assertTrue(path("fw[-a].bin", "fw-.bin"));
        assertTrue(path("fw[]a].bin", "fw].bin"));
        assertTrue(path("fw[.bin", "fw[.bin"));  // unclosed: literal
    }

    @Test
    void everythingElseIsLiteral() {
        assertTrue(path("brcm/brcmfmac*-pcie.*.bin", "brcm/brcmfmac4350-pcie.Apple Inc.-MacBookPro.bin"));
        assertFalse(path("a.b", "axb"));
        assertTrue(path("a{b,c}", "a{b,c}"));
        assertTrue(path("a+b(c)$", "a+b(c)$"));
    }

    @Test
    void globCharactersAsDracutSeesThem() {
        assertTrue(Glob.isGlob("a*"));
        assertTrue(Glob.isGlob("a?"));
        assertTrue(Glob.isGlob("a[b]"));
        assertFalse(Glob.isGlob("a{b}.bin"));
        assertEquals("^\\Qa\\E[^/]*$", Glob.regex("a*", false));
    }
}
