package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The executors' merge of task results: what the driver is sent, and that nothing is lost in it. */
class ReadResultsTest {
    private static BinResult bin(int index, String kernel, long modules, Set<String> firmware, Map<String, Long> errors,
                                 Set<String> tables) {
        return new BinResult(index, kernel, modules, 1, firmware.size(), firmware, errors, tables, "liblzma 5.4.1", Map.of());
    }

    private static TaskResult tree(BinResult b) {
        return new TaskResult(List.of(b), null, null);
    }

    @Test
    void binsOfOneKernelBecomeOneResultWithTheirSums() {
        ReadResults r = new ReadResults()
                .add(tree(bin(3, "6.1.0-1-amd64", 10, Set.of("a.bin", "b.bin"), Map.of("truncated", 1L),
                        Set.of("modules", "modinfo"))))
                .add(tree(bin(1, "6.1.0-1-amd64", 5, Set.of("b.bin", "c.bin"), Map.of("truncated", 2L, "not_elf", 1L),
                        Set.of("modules", "firmware"))))
                .add(tree(bin(2, "6.1.0-2-amd64", 7, Set.of("a.bin"), Map.of(), Set.of("modules"))));
        List<TaskResult> tasks = r.tasks();
        assertEquals(2, tasks.size());
        BinResult one = tasks.get(0).bins().get(0);
        assertEquals("6.1.0-1-amd64", one.kernel());
        assertEquals(1, one.bin());
        assertEquals(15, one.modules());
        assertEquals(2, one.builtins());
        assertEquals(4, one.firmwareRows());
        assertEquals(Map.of("truncated", 3L, "not_elf", 1L), one.errorsByKind());
        assertEquals(Set.of("modules", "modinfo", "firmware"), one.tables());
        assertEquals(Set.of(), one.firmware(), "names are kept once for the read, not per kernel");
        assertEquals(3, r.distinctFirmware());
        assertEquals(Set.of("liblzma 5.4.1"), r.decoders());
    }

    @Test
    void packagesAndFirmwareDirectoriesStayOneResultEach() {
        PackageInput deb = new PackageInput("file:/debs/linux-image.deb", true, 10, 1);
        TaskResult pkg = new TaskResult(List.of(bin(9, "6.1.0-1-amd64", 4, Set.of("d.bin"), Map.of(), Set.of("modules")),
                bin(9, "6.1.0-2-amd64", 4, Set.of(), Map.of(), Set.of("modules"))), deb, null);
        ReadResults r = new ReadResults().add(pkg).add(pkg);
        assertEquals(2, r.tasks().size());
        assertEquals(deb, r.tasks().get(0).input());
        assertEquals(2, r.tasks().get(0).bins().size());
        assertEquals(1, r.distinctFirmware());
    }

    /** Any split of the tasks over partitions, merged in any tree, sums to what one list of them does. */
    @Test
    void anySplitAndMergeOrderGivesTheSameTotals() throws Exception {
        Random random = new Random(7);
        List<TaskResult> all = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            Set<String> fw = new HashSet<>();
            for (int j = random.nextInt(5); j > 0; j--) {
                fw.add("fw-" + random.nextInt(300));
            }
            names.addAll(fw);
            Map<String, Long> errors = random.nextInt(4) == 0 ? Map.of("truncated", 1L) : Map.of();
            all.add(tree(bin(i, "6.1.0-" + random.nextInt(20) + "-amd64", random.nextInt(100), fw, errors,
                    Set.of("modules"))));
        }
        ReadResults whole = new ReadResults();
        all.forEach(whole::add);
        for (int trial = 0; trial < 5; trial++) {
            ReadResults merged = splitAndMerge(all, random, 30);
            assertEquals(totals(whole), totals(merged));
            assertEquals(names.size(), merged.distinctFirmware());
        }
        assertTrue(whole.tasks().size() <= 20, "one result per kernel: " + whole.tasks().size());
    }

    /**
     * Per kernel, over its bins of trees and of packages (which may repeat a path): the counts add
     * up and the distinct names are the union, for any split and merge order, as Spark would count.
     */
    @Test
    void kernelStatsAreTheUnionOverTheKernelsBinsWhateverTheMerge() throws Exception {
        Random random = new Random(11);
        List<TaskResult> all = new ArrayList<>();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Set<String>> firmware = new TreeMap<>();
        Map<String, Set<String>> modules = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            String kernel = "6.1.0-" + random.nextInt(8) + "-amd64";
            Set<String> fw = new HashSet<>();
            Set<String> keys = new HashSet<>();
            for (int j = random.nextInt(6); j > 0; j--) {
                fw.add("fw-" + random.nextInt(40));
                keys.add(KernelRows.moduleKey("kernel/m" + random.nextInt(30) + ".ko", "m"));
            }
            long named = random.nextInt(50);
            long errors = random.nextInt(3);
            long rows = fw.size() + random.nextInt(3);
            long builtin = random.nextInt(2);
            long[] c = counts.computeIfAbsent(kernel, k -> new long[4]);
            c[0] += named;
            c[1] += errors;
            c[2] += rows;
            c[3] += builtin;
            firmware.computeIfAbsent(kernel, k -> new TreeSet<>()).addAll(fw);
            modules.computeIfAbsent(kernel, k -> new TreeSet<>()).addAll(keys);
            BinResult b = new BinResult(i, kernel, named, 0, rows, fw, Map.of(), Set.of("modules"), "liblzma 5.4.1",
                    Map.of(), KernelRows.of(named, errors, rows, builtin, fw, keys));
            all.add(random.nextInt(3) == 0
                    ? new TaskResult(List.of(b), new PackageInput("file:/debs/p" + i + ".deb", true, 1, 1), null)
                    : tree(b));
        }
        Map<String, KernelStats> expected = new TreeMap<>();
        counts.forEach((k, c) -> expected.put(k, new KernelStats(c[0], modules.get(k).size(), c[2],
                firmware.get(k).size(), c[3], c[1])));
        for (int trial = 0; trial < 5; trial++) {
            assertEquals(expected, new TreeMap<>(splitAndMerge(all, random, 20).kernelStats()));
        }
    }

    private static Map<String, List<Long>> totals(ReadResults r) {
        Map<String, List<Long>> t = new TreeMap<>();
        for (TaskResult task : r.tasks()) {
            for (BinResult b : task.bins()) {
                t.put(b.kernel(), List.of(b.modules(), b.builtins(), b.firmwareRows(),
                        b.errorsByKind().getOrDefault("truncated", 0L), (long) b.bin()));
            }
        }
        return t;
    }

    /** The tasks over up to {@code maxParts} partitions at random, merged in a random tree, each part sent as Spark sends it. */
    private static ReadResults splitAndMerge(List<TaskResult> all, Random random, int maxParts) throws Exception {
        List<ReadResults> parts = new ArrayList<>();
        for (int p = 0; p < 1 + random.nextInt(maxParts); p++) {
            parts.add(new ReadResults());
        }
        for (TaskResult t : all) {
            parts.get(random.nextInt(parts.size())).add(t);
        }
        while (parts.size() > 1) {
            ReadResults a = parts.remove(random.nextInt(parts.size()));
            ReadResults b = parts.remove(random.nextInt(parts.size()));
            parts.add(roundTrip(a).merge(roundTrip(b)));
        }
        return parts.get(0);
    }

    /** As Spark sends a partial result between executors and to the driver. */
    private static ReadResults roundTrip(ReadResults r) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(r);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return (ReadResults) in.readObject();
        }
    }
}
