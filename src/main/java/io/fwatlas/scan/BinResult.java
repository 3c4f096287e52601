package io.fwatlas.scan;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * What one bin wrote, counted as its rows went out; the driver sums these into the
 * {@link ScanSummary}, so no job reads the rows back.
 *
 * @param modules      modules rows of module files (not built-in), failed ones included
 * @param builtins     modules rows of built-in modules read without error
 * @param firmware     the distinct firmware strings of the bin
 * @param errorsByKind error rows by error_kind
 * @param tables       the tables the bin wrote a file to
 * @param xzDecoder    the xz decoder of the executor that ran the bin
 */
public record BinResult(int bin, String kernel, long modules, long builtins, long firmwareRows, Set<String> firmware,
                        Map<String, Long> errorsByKind, Set<String> tables, String xzDecoder) implements Serializable {
}
