package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackingTest {
    private static List<FileTask> tasks(int n, long seed) {
        Random rnd = new Random(seed);
        List<FileTask> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String kernel = "k" + (i % 3);
            // A few huge modules among many small ones, as in real trees (amdgpu, i915, nvidia).
            long size = i % 97 == 0 ? 40_000_000L : 5_000 + rnd.nextInt(200_000);
            String ext = i % 2 == 0 ? ".ko.xz" : ".ko";
            out.add(new FileTask(kernel, "/r/" + kernel, true, "/r/" + kernel, "kernel/m" + i + ext, size, -1, FileTask.Kind.MODULE, null));
        }
        return out;
    }

    private static long load(List<FileTask> bin) {
        return bin.stream().mapToLong(Packing::cost).sum();
    }

    @Test
    void everyFileLandsInExactlyOneBin() {
        List<FileTask> all = tasks(5000, 1);
        List<List<FileTask>> bins = Packing.pack(all, 12);
        assertEquals(12, bins.size());
        Set<FileTask> seen = new HashSet<>();
        bins.forEach(b -> b.forEach(t -> assertTrue(seen.add(t), "twice: " + t)));
        assertEquals(new HashSet<>(all), seen);
    }

    @Test
    void binsAreBalancedByCost() {
        List<FileTask> all = tasks(5000, 2);
        List<List<FileTask>> bins = Packing.pack(all, 12);
        long total = all.stream().mapToLong(Packing::cost).sum();
        long biggest = all.stream().mapToLong(Packing::cost).max().orElseThrow();
        for (List<FileTask> b : bins) {
            // Largest-first into the lightest bin: no bin exceeds the mean by more than one file.
            assertTrue(load(b) <= total / bins.size() + biggest, "bin of " + load(b));
        }
    }

    @Test
    void binCountFollowsCoresAndWork() {
        List<FileTask> small = tasks(20, 3);
        assertEquals(6, Packing.binCount(small, 6, Packing.TARGET_BIN_COST));
        assertEquals(3, Packing.binCount(small.subList(0, 3), 6, Packing.TARGET_BIN_COST));
        List<FileTask> big = tasks(5000, 4);
        long total = big.stream().mapToLong(Packing::cost).sum();
        assertEquals((total + Packing.TARGET_BIN_COST - 1) / Packing.TARGET_BIN_COST,
                Packing.binCount(big, 6, Packing.TARGET_BIN_COST));
        assertEquals(0, Packing.binCount(List.of(), 6, Packing.TARGET_BIN_COST));
    }

    @Test
    void packingIsDeterministicAndSortedWithinBins() {
        List<FileTask> all = tasks(3000, 5);
        List<FileTask> shuffled = new ArrayList<>(all);
        java.util.Collections.shuffle(shuffled, new Random(9));
        assertEquals(Packing.pack(all, 8), Packing.pack(shuffled, 8));
        for (List<FileTask> b : Packing.pack(all, 8)) {
            for (int i = 1; i < b.size(); i++) {
                FileTask p = b.get(i - 1);
                FileTask t = b.get(i);
                int c = p.kernel().compareTo(t.kernel());
                assertTrue(c < 0 || c == 0 && p.path().compareTo(t.path()) < 0, p + " before " + t);
            }
        }
    }

    /** The rule written plainly: dearest first (ties by name) into the lightest bin (ties by number), bins by name. */
    private static List<List<FileTask>> largestFirst(List<FileTask> tasks, int bins) {
        java.util.Comparator<FileTask> byName = java.util.Comparator.comparing(FileTask::kernel)
                .thenComparing(FileTask::path);
        List<FileTask> order = new ArrayList<>(tasks);
        order.sort(java.util.Comparator.comparingLong(Packing::cost).reversed().thenComparing(byName));
        List<List<FileTask>> out = new ArrayList<>();
        long[] load = new long[bins];
        for (int i = 0; i < bins; i++) {
            out.add(new ArrayList<>());
        }
        for (FileTask t : order) {
            int best = 0;
            for (int b = 1; b < bins; b++) {
                if (load[b] < load[best]) {
                    best = b;
                }
            }
            out.get(best).add(t);
            load[best] += Packing.cost(t);
        }
        out.forEach(b -> b.sort(byName));
        out.removeIf(List::isEmpty);
        return out;
    }

    @Test
    void packingFollowsTheLargestFirstRule() {
        for (int seed = 0; seed < 20; seed++) {
            List<FileTask> all = tasks(200 + seed * 50, 100 + seed);
            java.util.Collections.shuffle(all, new Random(seed));
            for (int bins : new int[] {1, 3, 7, 64, 5000}) {
                assertEquals(largestFirst(all, bins), Packing.pack(all, bins), "seed " + seed + ", " + bins + " bins");
            }
        }
    }

    @Test
    void compressedFilesCostMore() {
        FileTask plain = new FileTask("k", "/r", true, "/r", "a.ko", 1_000_000, -1, FileTask.Kind.MODULE, null);
        FileTask xz = new FileTask("k", "/r", true, "/r", "a.ko.xz", 1_000_000, -1, FileTask.Kind.MODULE, null);
        assertTrue(Packing.cost(xz) > 4 * Packing.cost(plain) - 4 * Packing.PER_FILE_COST);
    }

    @Test
    void kernelBinsHoldOneKernelEachAndEveryFileOnce() {
        List<FileTask> all = tasks(5000, 6);
        List<Bin> bins = Packing.byKernel(all, 6, Packing.TARGET_BIN_COST);
        int total = Packing.binCount(all, 6, Packing.TARGET_BIN_COST);
        // each of the 3 kernels rounds its share up
        assertTrue(bins.size() >= total && bins.size() <= total + 3, bins.size() + " bins for " + total);
        Set<FileTask> seen = new HashSet<>();
        for (int i = 0; i < bins.size(); i++) {
            Bin b = bins.get(i);
            assertEquals(i, b.index());
            b.files().forEach(t -> {
                assertEquals(b.kernel(), t.kernel());
                assertTrue(seen.add(t), "twice: " + t);
            });
            if (i > 0) {
                assertTrue(load(bins.get(i - 1).files()) >= load(b.files()), "dearest first");
            }
        }
        assertEquals(new HashSet<>(all), seen);
    }

    @Test
    void aSmallKernelGetsItsOwnBinAndABigOneSeveral() {
        List<FileTask> all = new ArrayList<>(tasks(3000, 7).stream().filter(t -> t.kernel().equals("k0")).toList());
        all.add(new FileTask("tiny", "/r/tiny", true, "/r/tiny", "kernel/one.ko", 1000, -1, FileTask.Kind.MODULE, null));
        List<Bin> bins = Packing.byKernel(all, 6, Packing.TARGET_BIN_COST);
        assertEquals(1, bins.stream().filter(b -> b.kernel().equals("tiny")).count());
        assertTrue(bins.stream().filter(b -> b.kernel().equals("k0")).count() >= 5, bins.size() + " bins");
        List<FileTask> reversed = new ArrayList<>(all);
        java.util.Collections.reverse(reversed);
        assertEquals(Packing.byKernel(all, 6, Packing.TARGET_BIN_COST),
                Packing.byKernel(reversed, 6, Packing.TARGET_BIN_COST), "deterministic");
    }
}
