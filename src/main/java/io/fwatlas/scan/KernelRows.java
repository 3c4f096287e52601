package io.fwatlas.scan;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * What {@code fwatlas query kernels} reports of one kernel's rows, counted as a bin writes them and
 * merged over the kernel's bins: the counts add up, and the distinct firmware names and the
 * distinct (path, module) pairs of firmware rows are kept, sorted, until the commit turns them
 * into {@link KernelStats}. Strings are shared through the read's {@code canon} map, so a history
 * of many kernels holds each name once and a reference per kernel.
 */
final class KernelRows implements Serializable {
    static final KernelRows NONE = new KernelRows(0, 0, 0, 0, new String[0], new String[0]);

    private final long modules;
    private final long errors;
    private final long firmwareRows;
    private final long builtinFirmwareRows;
    private final String[] firmware;
    private final String[] firmwareModules;

    private KernelRows(long modules, long errors, long firmwareRows, long builtinFirmwareRows, String[] firmware,
                       String[] firmwareModules) {
        this.modules = modules;
        this.errors = errors;
        this.firmwareRows = firmwareRows;
        this.builtinFirmwareRows = builtinFirmwareRows;
        this.firmware = firmware;
        this.firmwareModules = firmwareModules;
    }

    /**
     * One bin's rows: modules rows with a module name, modules rows with status error, firmware
     * rows, built-in firmware rows, the firmware names, and {@link #moduleKey}s of firmware rows.
     */
    static KernelRows of(long modules, long errors, long firmwareRows, long builtinFirmwareRows,
                         Collection<String> firmware, Collection<String> firmwareModules) {
        return new KernelRows(modules, errors, firmwareRows, builtinFirmwareRows, sorted(firmware),
                sorted(firmwareModules));
    }

    /** A firmware row's (path, module) as one string; null when the row has no module (Spark's count(DISTINCT) skips it). */
    static String moduleKey(String path, String module) {
        return module == null ? null : path + '\0' + module;
    }

    /** This kernel's rows and {@code other}'s, with every string taken from {@code canon}. */
    KernelRows plus(KernelRows other, Map<String, String> canon) {
        return new KernelRows(modules + other.modules, errors + other.errors, firmwareRows + other.firmwareRows,
                builtinFirmwareRows + other.builtinFirmwareRows, union(firmware, other.firmware, canon),
                union(firmwareModules, other.firmwareModules, canon));
    }

    KernelStats stats() {
        return new KernelStats(modules, firmwareModules.length, firmwareRows, firmware.length, builtinFirmwareRows,
                errors);
    }

    private static String[] sorted(Collection<String> names) {
        String[] a = names.toArray(new String[0]);
        Arrays.sort(a);
        return a;
    }

    /** The sorted union of two sorted, distinct arrays. */
    private static String[] union(String[] a, String[] b, Map<String, String> canon) {
        String[] out = new String[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            int c = i == a.length ? 1 : j == b.length ? -1 : a[i].compareTo(b[j]);
            String s = c <= 0 ? a[i] : b[j];
            if (c <= 0) {
                i++;
            }
            if (c >= 0) {
                j++;
            }
            out[n++] = canon.computeIfAbsent(s, x -> x);
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
