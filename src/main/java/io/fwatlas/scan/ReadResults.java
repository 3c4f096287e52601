package io.fwatlas.scan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the tasks of a read wrote, merged on the executors ({@code treeAggregate}) so that the
 * driver receives one result per kernel of the trees and one per package or firmware directory,
 * whatever the number of bins: a big history has tens of thousands of bins, each with its own set
 * of firmware names. The firmware names are kept once, for the whole read, since the summary only
 * counts them; what query kernels counts is kept per kernel ({@link KernelRows}), its strings shared.
 */
final class ReadResults implements Serializable {
    private final Map<String, TaskResult> trees = new LinkedHashMap<>();
    private final List<TaskResult> inputs = new ArrayList<>();
    private final Set<String> firmware = new HashSet<>();
    private final Set<String> decoders = new TreeSet<>();
    private final Map<String, KernelRows> kernels = new LinkedHashMap<>();
    private final Map<String, String> canon = new HashMap<>();

    /** Folds one task in; a tree bin joins the result of its kernel. */
    ReadResults add(TaskResult t) {
        List<BinResult> bins = new ArrayList<>();
        for (BinResult b : t.bins()) {
            firmware.addAll(b.firmware());
            decoders.add(b.xzDecoder());
            addRows(b.kernel(), b.rows());
            bins.add(withoutFirmware(b));
        }
        if (t.input() != null || t.firmware() != null || t.pkg() != null) {
            inputs.add(new TaskResult(bins, t.input(), t.pkg(), t.firmware()));
            return this;
        }
        bins.forEach(this::addTree);
        return this;
    }

    /** Folds a tree bin (its firmware and rows already taken) into its kernel's result. */
    private void addTree(BinResult b) {
        TaskResult had = trees.get(b.kernel());
        trees.put(b.kernel(), new TaskResult(List.of(had == null ? b : sum(had.bins().get(0), b)), null, null));
    }

    private void addRows(String kernel, KernelRows rows) {
        kernels.put(kernel, kernels.getOrDefault(kernel, KernelRows.NONE).plus(rows, canon));
    }

    ReadResults merge(ReadResults other) {
        other.trees.values().forEach(t -> addTree(t.bins().get(0)));
        other.kernels.forEach(this::addRows);
        inputs.addAll(other.inputs);
        firmware.addAll(other.firmware);
        decoders.addAll(other.decoders);
        return this;
    }

    /** One task result per tree kernel, then one per package or firmware directory. */
    List<TaskResult> tasks() {
        List<TaskResult> all = new ArrayList<>(trees.values());
        all.addAll(inputs);
        return all;
    }

    boolean isEmpty() {
        return trees.isEmpty() && inputs.isEmpty();
    }

    /** The distinct firmware names of every row written. */
    int distinctFirmware() {
        return firmware.size();
    }

    Set<String> decoders() {
        return decoders;
    }

    /** Per kernel written, its line of query kernels. */
    Map<String, KernelStats> kernelStats() {
        Map<String, KernelStats> out = new LinkedHashMap<>();
        kernels.forEach((k, r) -> out.put(k, r.stats()));
        return out;
    }

    private static BinResult withoutFirmware(BinResult b) {
        return new BinResult(b.bin(), b.kernel(), b.modules(), b.builtins(), b.firmwareRows(), Set.of(),
                b.errorsByKind(), b.tables(), b.xzDecoder(), b.vermagic(), KernelRows.NONE);
    }

    private static BinResult sum(BinResult a, BinResult b) {
        Map<String, Long> errors = new TreeMap<>(a.errorsByKind());
        b.errorsByKind().forEach((k, n) -> errors.merge(k, n, Long::sum));
        Set<String> tables = new TreeSet<>(a.tables());
        tables.addAll(b.tables());
        Map<String, Long> vermagic = new TreeMap<>(a.vermagic());
        b.vermagic().forEach((k, n) -> vermagic.merge(k, n, Long::sum));
        return new BinResult(Math.min(a.bin(), b.bin()), a.kernel(), a.modules() + b.modules(),
                a.builtins() + b.builtins(), a.firmwareRows() + b.firmwareRows(), Set.of(), errors, tables,
                a.xzDecoder(), vermagic);
    }
}
