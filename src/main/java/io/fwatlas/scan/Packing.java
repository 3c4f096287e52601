package io.fwatlas.scan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Driver side of stage 2: deals the listed files into balanced bins, one Spark task each; every
 * bin holds files of one kernel, so each task writes into one partition of each table.
 * A file's cost estimates the CPU it takes, in nanoseconds on one core (measured with JMH and
 * the end-to-end scans of docs/BENCHMARKS.md): a fixed charge per file, plus its bytes, dearer
 * for compressed files, which must be decompressed whole. Plain modules need only a few
 * positioned reads, so for them the per-file charge dominates. Bins are filled largest-first
 * into the lightest bin, so big releases spread over many bins.
 */
public final class Packing {
    /** Opening, reading and writing the rows of one file: about 65 µs. */
    static final long PER_FILE_COST = 64 * 1024;
    /** Per compressed byte: liblzma took 7.3 ms for a 129 KB .ko.xz, zstd-jni 0.87 ms for 131 KB. */
    static final long XZ_WEIGHT = 56;
    static final long ZSTD_WEIGHT = 7;
    static final long GZIP_WEIGHT = 12;
    /**
     * Work per bin when there is plenty, about a second of CPU: each bin opens three Parquet
     * files (about 3 ms each) and a task, so smaller bins cost more than they balance.
     */
    public static final long TARGET_BIN_COST = 1L << 30;

    private Packing() {
    }

    public static long cost(FileTask t) {
        long size = Math.max(0, t.size());
        String p = t.path();
        long weight = p.endsWith(".xz") ? XZ_WEIGHT : p.endsWith(".zst") ? ZSTD_WEIGHT : p.endsWith(".gz") ? GZIP_WEIGHT : 1;
        return PER_FILE_COST + size * weight;
    }

    /** How many bins: at least {@code minBins} (a few per core), more when the work is large. */
    public static int binCount(List<FileTask> tasks, int minBins, long targetCost) {
        if (tasks.isEmpty()) {
            return 0;
        }
        long total = 0;
        for (FileTask t : tasks) {
            total += cost(t);
        }
        long byCost = (total + targetCost - 1) / targetCost;
        return (int) Math.min(tasks.size(), Math.max(minBins, byCost));
    }

    /** Bins of tasks; within a bin, files are in (kernel, path) order. Deterministic for a given input. */
    public static List<List<FileTask>> pack(List<FileTask> tasks, int bins) {
        List<List<FileTask>> out = new ArrayList<>();
        if (bins <= 0 || tasks.isEmpty()) {
            return out;
        }
        // costs and name order computed once: comparators that recomputed them took 6 % of the
        // executors' samples in a 100,000-module scan (JFR)
        int n = tasks.size();
        long[] cost = new long[n];
        Integer[] byName = new Integer[n];
        for (int i = 0; i < n; i++) {
            cost[i] = cost(tasks.get(i));
            byName[i] = i;
        }
        Arrays.sort(byName, Comparator.<Integer, String>comparing(i -> tasks.get(i).kernel())
                .thenComparing(i -> tasks.get(i).path()));
        int[] rank = new int[n];
        for (int k = 0; k < n; k++) {
            rank[byName[k]] = k;
        }
        Integer[] dearest = byName.clone();
        Arrays.sort(dearest, (a, b) -> cost[a] != cost[b] ? Long.compare(cost[b], cost[a])
                : Integer.compare(rank[a], rank[b]));
        long[] load = new long[bins];
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.<Integer>comparingLong(i -> load[i]).thenComparingInt(i -> i));
        for (int i = 0; i < bins; i++) {
            out.add(new ArrayList<>());
            lightest.add(i);
        }
        int[] binOf = new int[n];
        for (int t : dearest) {
            int b = lightest.poll();
            binOf[t] = b;
            load[b] += cost[t];
            lightest.add(b);
        }
        for (int t : byName) {
            out.get(binOf[t]).add(tasks.get(t));
        }
        out.removeIf(List::isEmpty);
        return out;
    }

    /**
     * Bins of one kernel (and one input) each, numbered dearest first (Spark starts tasks in that order, so the
     * long ones do not come last). {@link #binCount} decides the size of a bin; each kernel gets its
     * cost's share of bins rounded up (so up to one more bin per kernel), at most one per file.
     */
    public static List<Bin> byKernel(List<FileTask> tasks, int minBins, long targetCost) {
        List<Bin> out = new ArrayList<>();
        int total = binCount(tasks, minBins, targetCost);
        if (total == 0) {
            return out;
        }
        Map<List<String>, List<FileTask>> kernels = new TreeMap<>(
                Comparator.<List<String>, String>comparing(k -> k.get(0)).thenComparing(k -> k.get(1)));
        long all = 0;
        for (FileTask t : tasks) {
            kernels.computeIfAbsent(List.of(t.kernel(), t.source()), k -> new ArrayList<>()).add(t);
            all += cost(t);
        }
        long perBin = Math.max(1, (all + total - 1) / total);
        List<List<FileTask>> bins = new ArrayList<>();
        for (List<FileTask> files : kernels.values()) {
            long c = binCost(files);
            int n = (int) Math.max(1, Math.min(files.size(), (c + perBin - 1) / perBin));
            bins.addAll(pack(files, n));
        }
        Comparator<List<FileTask>> dearest = Comparator.comparingLong(Packing::binCost);
        bins.sort(dearest.reversed().thenComparing(b -> b.get(0).kernel()).thenComparing(b -> b.get(0).path()));
        for (List<FileTask> b : bins) {
            out.add(new Bin(out.size(), b.get(0).kernel(), b.get(0).source(), b));
        }
        return out;
    }

    /** A release's share of the bins: bins {@code first} to {@code first + count - 1}. */
    public record Shard(int release, int first, int count) implements java.io.Serializable {
    }

    /**
     * The bins of {@link #byKernel}, planned from the releases' summaries alone: each release with
     * files gets its cost's share of bins, numbered dearest first; the executor that holds a
     * release's listing deals its files into them ({@link #pack}, deterministic).
     */
    public static List<Shard> shards(List<ReleaseSummary> releases, int minBins, long targetCost) {
        long records = 0;
        long all = 0;
        for (ReleaseSummary r : releases) {
            records += r.records();
            all += r.cost();
        }
        List<Shard> out = new ArrayList<>();
        if (records == 0) {
            return out;
        }
        long byCost = (all + targetCost - 1) / targetCost;
        long total = Math.min(records, Math.max(minBins, byCost));
        long perBin = Math.max(1, (all + total - 1) / total);
        record Share(ReleaseSummary r, int n) {
        }
        List<Share> shares = new ArrayList<>();
        for (ReleaseSummary r : releases) {
            if (r.records() > 0) {
                shares.add(new Share(r, (int) Math.max(1, Math.min(r.records(), (r.cost() + perBin - 1) / perBin))));
            }
        }
        shares.sort(Comparator.<Share>comparingLong(s -> s.r().cost() / s.n()).reversed()
                .thenComparing(s -> s.r().kernel()).thenComparingInt(s -> s.r().index()));
        int next = 0;
        for (Share s : shares) {
            out.add(new Shard(s.r().index(), next, s.n()));
            next += s.n();
        }
        return out;
    }

    private static long binCost(List<FileTask> bin) {
        long c = 0;
        for (FileTask t : bin) {
            c += cost(t);
        }
        return c;
    }
}
