package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModuleSizeTest {

    @ParameterizedTest
    @CsvSource({"1048576, 1048576", "1MiB, 1048576", "1M, 1048576", "512m, 536870912", "64 KiB, 65536",
        "64K, 65536", "100B, 100", "1G, 1073741824"})
    void sizes(String text, long bytes) {
        assertEquals(bytes, ModuleSize.parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "lots | is not a size in bytes",
        "63 | below 64 bytes",
        "-1K | out of range",
        "2GiB | exceeds the 2 GiB",
        "99999999999999999999 | is not a size",
        "1KB | is not a size"})
    void refusals(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModuleSize.parse(text));
        assertTrue(e.getMessage().startsWith("--max-module-size"), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
