package io.fwatlas.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration on the command line: 0, 500ms, 30s, 10m, 2h, or ISO-8601 (PT10M). */
final class WaitTime {
    private static final Pattern SIMPLE = Pattern.compile("([0-9]{1,9})(ms|s|m|min|h)?");

    private WaitTime() {
    }

    static Duration parse(String option, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2);
            if (unit == null) {
                if (n != 0) {
                    throw new IllegalArgumentException(option + " '" + text + "' needs a unit: ms, s, m or h "
                            + "(for example 30s or 10m)");
                }
                return Duration.ZERO;
            }
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
        }
        try {
            Duration d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new IllegalArgumentException(option + " '" + text + "' is negative");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a duration (0, 500ms, 30s, 10m, 2h "
                    + "or ISO-8601 such as PT10M)");
        }
    }
}
