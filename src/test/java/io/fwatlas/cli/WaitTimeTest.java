package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WaitTimeTest {
    @ParameterizedTest
    @CsvSource({"0, PT0S", "500ms, PT0.5S", "30s, PT30S", "10m, PT10M", "10min, PT10M", "2h, PT2H", "PT90S, PT1M30S",
            "pt10m, PT10M"})
    void parsesTheUsualForms(String text, String iso) {
        assertEquals(Duration.parse(iso), WaitTime.parse("--lock-wait", text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10|--lock-wait '10' needs a unit: ms, s, m or h (for example 30s or 10m)",
            "soon|--lock-wait 'soon' is not a duration (0, 500ms, 30s, 10m, 2h or ISO-8601 such as PT10M)",
            "-5s|--lock-wait '-5s' is not a duration (0, 500ms, 30s, 10m, 2h or ISO-8601 such as PT10M)",
            "PT-5S|--lock-wait 'PT-5S' is negative"})
    void refusesWhatIsNotADuration(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class,
                () -> WaitTime.parse("--lock-wait", text)).getMessage());
    }
}
