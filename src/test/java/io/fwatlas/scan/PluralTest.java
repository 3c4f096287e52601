package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PluralTest {
    @ParameterizedTest
    @CsvSource({
        "0, kernel, 0 kernels", "1, kernel, 1 kernel", "2, kernel, 2 kernels",
        "1, firmware directory, 1 firmware directory", "3, firmware directory, 3 firmware directories",
        "2, modalias, 2 modaliases", "2, change, 2 changes", "1, built-in module, 1 built-in module",
        "2, key, 2 keys", "2, patch, 2 patches", "1, error, 1 error",
    })
    void countsTakeTheNounTheyNeed(long n, String noun, String want) {
        assertEquals(want, Plural.of(n, noun));
    }
}
