package io.fwatlas.scan;

import static io.fwatlas.scan.ScanTestSupport.rows;
import static io.fwatlas.scan.ScanTestSupport.sample;
import static io.fwatlas.scan.ScanTestSupport.scan;
import static io.fwatlas.scan.ScanTestSupport.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.fixtures.SampleGenerator.SampleModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end scans of data-samples through the scan command, on one local[2] session. */
class ScanJobTest {
    static final List<String> NORMAL = List.of(SampleGenerator.DEB12, SampleGenerator.DEB13, SampleGenerator.S390,
            SampleGenerator.ARM);

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path out;
    static ScanTestSupport.Run first;

    @BeforeAll
    static void scanSamples() {
        spark = ScanTestSupport.spark();
        out = tmp.resolve("tables");
        first = scan("-o", out.toString(), ScanTestSupport.SAMPLES.resolve("rootfs").toString(),
                ScanTestSupport.SAMPLES.resolve("mirror").toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void commandExitsZeroAndPrintsTheSummary() {
        assertEquals(0, first.code(), first.err());
        long builtins = Expected.builtins(NORMAL).stream().mapToLong(b -> Expected.builtinModules(b).size()).sum();
        List<List<Object>> fw = Expected.firmware(NORMAL);
        Set<Object> distinct = new HashSet<>();
        fw.forEach(r -> distinct.add(r.get(2)));
        String want = String.format("fwatlas scan: 4 kernels, %d modules, %d built-in modules, %d firmware rows "
                + "(%d distinct), 0 errors", Expected.goodModules(NORMAL).size(), builtins, fw.size(), distinct.size());
        assertTrue(first.out().contains(want), "want '" + want + "' in:\n" + first.out());
        assertTrue(Files.isRegularFile(out.resolve(TableStore.MARKER)));
        assertFalse(Files.exists(out.resolve("_staging")), "staging left behind");
        assertFalse(Files.exists(out.resolve("_lock")), "lock left behind");
    }

    @Test
    void samplesGiveExactlyTheSpecifiedRows() {
        assertEquals(Expected.sorted(Expected.firmware(NORMAL)), rows(spark, out, "firmware", Expected.FIRMWARE_COLUMNS));
        assertEquals(Expected.sorted(Expected.modinfo(NORMAL)), rows(spark, out, "modinfo", Expected.MODINFO_COLUMNS));
        assertEquals(Expected.sorted(Expected.modules(NORMAL)), rows(spark, out, "modules", Expected.MODULES_COLUMNS));
    }

    @Test
    void vermagicThatDisagreesWithItsDirectoryIsRecordedNotGuessed() {
        List<Row> r = spark.read().parquet(out.resolve("modules").toString())
                .filter("vermagic_release <> kernel").select("kernel", "module", "vermagic_release").collectAsList();
        assertEquals(1, r.size());
        assertEquals("6.1.0-18-amd64", r.get(0).getString(0));
        assertEquals("nvidia_current", r.get(0).getString(1));
        assertEquals("6.1.0-17-amd64", r.get(0).getString(2));
    }

    @Test
    void rescanGivesIdenticalTables() throws IOException {
        Path again = tmp.resolve("again");
        assertEquals(0, scan("-o", again.toString(), ScanTestSupport.SAMPLES.resolve("rootfs").toString(),
                ScanTestSupport.SAMPLES.resolve("mirror").toString()).code());
        for (String t : Tables.NAMES) {
            // Same rows in the same order, file by file, partition by partition.
            assertEquals(ParquetTables.readInFileOrder(out.resolve(t)), ParquetTables.readInFileOrder(again.resolve(t)), t);
        }
    }

    @Test
    void rescanningOneKernelReplacesOnlyItsPartitions() throws IOException {
        Path tables = tmp.resolve("partial");
        assertEquals(0, scan("-o", tables.toString(), ScanTestSupport.SAMPLES.resolve("rootfs").toString(),
                ScanTestSupport.SAMPLES.resolve("mirror").toString()).code());
        Map<String, Map<String, String>> before = new TreeMap<>();
        for (String t : Tables.NAMES) {
            before.put(t, snapshot(tables.resolve(t)));
        }
        // The same release with ext4 gone, in a directory of another name: --kernel names it.
        Path copy = tmp.resolve("copy-deb12");
        ScanTestSupport.copyTree(sample(SampleGenerator.DEB12), copy);
        Files.delete(copy.resolve("kernel/fs/ext4/ext4.ko"));
        ScanTestSupport.Run r = scan("-o", tables.toString(), "--kernel", "6.1.0-18-amd64", copy.toString());
        assertEquals(0, r.code(), r.err());

        for (String t : Tables.NAMES) {
            Map<String, String> after = snapshot(tables.resolve(t));
            for (Map.Entry<String, String> e : before.get(t).entrySet()) {
                if (!e.getKey().startsWith("kernel=6.1.0-18-amd64/")) {
                    assertEquals(e.getValue(), after.get(e.getKey()), t + " " + e.getKey() + " changed");
                }
            }
            assertNotEquals(before.get(t).keySet(), after.keySet(), t + ": the rescanned partition was not replaced");
        }
        List<List<Object>> want = new ArrayList<>();
        for (List<Object> row : Expected.modules(NORMAL)) {
            if (!row.get(2).equals("kernel/fs/ext4/ext4.ko")) {
                want.add(row);
            }
        }
        assertEquals(Expected.sorted(want), rows(spark, tables, "modules", Expected.MODULES_COLUMNS));
    }

    @Test
    void hostileTreeGivesEveryValidRowAndAnErrorRowPerBadFile() {
        Path tables = tmp.resolve("hostile");
        ScanTestSupport.Run r = scan("-o", tables.toString(), "--max-module-size",
                Long.toString(SampleGenerator.HOSTILE_CAP), ScanTestSupport.SAMPLES.resolve("hostile").toString());
        assertEquals(0, r.code(), r.err());
        List<String> hostile = List.of(SampleGenerator.HOSTILE);
        assertEquals(Expected.sorted(Expected.firmware(hostile)), rows(spark, tables, "firmware", Expected.FIRMWARE_COLUMNS));
        assertEquals(Expected.sorted(Expected.modinfo(hostile)), rows(spark, tables, "modinfo", Expected.MODINFO_COLUMNS));

        List<String> ok = rows(spark, tables, "modules", Expected.MODULES_COLUMNS).stream()
                .filter(s -> s.contains(", ok, null, null]")).toList();
        assertEquals(Expected.sorted(Expected.modules(hostile)), ok);

        Map<String, String> errors = new TreeMap<>();   // path|module -> error_kind
        for (Row row : spark.read().parquet(tables.resolve("modules").toString())
                .filter("status = 'error'").select("path", "module", "error_kind", "error").collectAsList()) {
            String path = row.getString(0);
            String message = row.getString(3);
            assertTrue(message.startsWith(path + ": "), message);
            errors.merge(path + "|" + row.getString(1), row.getString(2), (a, b) -> a + "," + b);
        }
        Map<String, String> want = new TreeMap<>();
        for (SampleModule m : SampleGenerator.modules()) {
            if (m.release().equals(SampleGenerator.HOSTILE) && m.expectedError() != null) {
                want.put(m.path() + "|" + Expected.moduleName(m.path()), m.expectedError());
            }
        }
        want.put(SampleGenerator.DANGLING_PATH + "|" + Expected.moduleName(SampleGenerator.DANGLING_PATH),
                SampleGenerator.DANGLING_ERROR);
        want.put(Expected.BUILTIN_PATH + "|null", String.join(",", SampleGenerator.rejectedBuiltinStrings().stream()
                .map(s -> Tables.BAD_BUILTIN_STRING).toList()));
        assertEquals(want, errors);
        // The second name of e100.ko and the loop back to the release add no rows.
        assertEquals(0, spark.read().parquet(tables.resolve("modules").toString())
                .filter("path like 'kernel/zlinks/%' or path like 'kernel/loop/%'").count());
        assertTrue(r.out().contains("errors by kind: bad_builtin_string=2 corrupt_compressed=1 io_error=1 "
                + "not_elf=2 size_limit=1 truncated=2"), r.out());
    }

    @Test
    void hadoopFileSystemInputsGiveTheSameRows() {
        // viewfs maps a non-local URI onto the samples: discovery, listing and reading all go through
        // Hadoop's FileSystem (listStatus, FSDataInputStream) instead of java.nio.
        String key = "spark.hadoop.fs.viewfs.mounttable.samples.link./s";
        System.setProperty(key, ScanTestSupport.SAMPLES.toUri().toString());
        try {
            Path tables = tmp.resolve("viewfs");
            ScanTestSupport.Run r = scan("-o", tables.toString(), "viewfs://samples/s/rootfs", "viewfs://samples/s/mirror");
            assertEquals(0, r.code(), r.err());
            assertEquals(rows(spark, out, "modules", Expected.MODULES_COLUMNS),
                    rows(spark, tables, "modules", Expected.MODULES_COLUMNS));
            assertEquals(rows(spark, out, "modinfo", Expected.MODINFO_COLUMNS),
                    rows(spark, tables, "modinfo", Expected.MODINFO_COLUMNS));
            assertEquals(rows(spark, out, "firmware", Expected.FIRMWARE_COLUMNS),
                    rows(spark, tables, "firmware", Expected.FIRMWARE_COLUMNS));
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void parquetFilesReadBackWithoutSpark() throws IOException {
        Map<String, List<String>> columns = Map.of("firmware", Expected.FIRMWARE_COLUMNS,
                "modinfo", Expected.MODINFO_COLUMNS, "modules", Expected.MODULES_COLUMNS);
        Map<String, List<List<Object>>> want = Map.of("firmware", Expected.firmware(NORMAL),
                "modinfo", Expected.modinfo(NORMAL), "modules", Expected.modules(NORMAL));
        for (String t : Tables.NAMES) {
            List<List<Object>> got = new ArrayList<>();
            for (ParquetTables.FileRows f : ParquetTables.readInFileOrder(out.resolve(t))) {
                assertEquals(ParquetTables.SCHEMAS.get(t), f.schema(), t + " schema");
                for (List<Object> row : f.rows()) {
                    List<Object> withKernel = new ArrayList<>();
                    withKernel.add(f.kernel());
                    withKernel.addAll(row.subList(0, row.size() - 1));
                    got.add(withKernel);
                    assertEquals(sourceOf(f.kernel()), row.get(row.size() - 1), t + " source");
                }
                if (!t.equals("modules")) {
                    ParquetTables.assertSortedByPath(f, t);
                }
            }
            assertEquals(Expected.sorted(want.get(t)), Expected.sorted(got), t + " rows " + columns.get(t));
            if (t.equals("firmware")) {
                // Within a module, firmware rows keep section order, duplicates included.
                assertEquals(byModule(want.get(t)), byModule(got));
            }
        }
    }

    /** The input each sample kernel was found under: the scan was given rootfs and mirror. */
    private static String sourceOf(String kernel) {
        String release = NORMAL.stream().filter(r -> r.endsWith("/" + kernel)).findFirst().orElseThrow();
        String input = release.substring(0, release.indexOf('/'));
        return ScanTestSupport.SAMPLES.resolve(input).toAbsolutePath().normalize().toString();
    }

    @Test
    void everyRowNamesTheInputItWasReadFrom() {
        for (String t : Tables.NAMES) {
            List<org.apache.spark.sql.Row> pairs = spark.read().parquet(out.resolve(t).toString())
                    .select("kernel", "source").distinct().collectAsList();
            Map<String, String> got = new TreeMap<>();
            pairs.forEach(r -> assertNull(got.put(r.getString(0), r.getString(1)), "two sources"));
            Map<String, String> want = new TreeMap<>();
            NORMAL.forEach(r -> {
                String k = r.substring(r.lastIndexOf('/') + 1);
                want.put(k, sourceOf(k));
            });
            if (t.equals("firmware")) {
                want.keySet().retainAll(got.keySet()); // a kernel without firmware has no partition here
            }
            assertEquals(want, got, t);
        }
    }

    private static Map<String, List<Object>> byModule(List<List<Object>> firmwareRows) {
        Map<String, List<Object>> out = new TreeMap<>();
        for (List<Object> r : firmwareRows) {
            out.computeIfAbsent(r.get(0) + "|" + r.get(4) + "|" + r.get(1), k -> new ArrayList<>()).add(r.get(2));
        }
        return out;
    }
}
