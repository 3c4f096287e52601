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
 * @param vermagic     module files read, by the release their vermagic names (at most {@link #VERMAGIC_KEPT})
 * @param rows         what query kernels counts of the bin's rows ({@link KernelStats})
 */
public record BinResult(int bin, String kernel, long modules, long builtins, long firmwareRows, Set<String> firmware,
                        Map<String, Long> errorsByKind, Set<String> tables, String xzDecoder,
                        Map<String, Long> vermagic, KernelRows rows) implements Serializable {
    /** Distinct vermagic releases counted per bin: a tree of modules of many builds needs no more to be told. */
    public static final int VERMAGIC_KEPT = 16;

    /** A bin whose rows are not counted for {@link KernelStats}. */
    public BinResult(int bin, String kernel, long modules, long builtins, long firmwareRows, Set<String> firmware,
                     Map<String, Long> errorsByKind, Set<String> tables, String xzDecoder, Map<String, Long> vermagic) {
        this(bin, kernel, modules, builtins, firmwareRows, firmware, errorsByKind, tables, xzDecoder, vermagic,
                KernelRows.NONE);
    }
}
