package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in queries over small hand-written tables whose answers are known: three amd64
 * releases whose string order differs from their release order (6.1.0-10 sorts before 6.1.0-9 as
 * a string) and one release of another flavour.
 */
class QueriesTest {
    static final String K9 = "6.1.0-9-amd64";
    static final String K10 = "6.1.0-10-amd64";
    static final String K12 = "6.12.1-amd64";
    static final String C10 = "6.1.0-10-cloud-amd64";
    static final String BUILTIN = "modules.builtin.modinfo";

    static SparkSession spark;
    static Dataset<Row> firmware;
    static Dataset<Row> modules;

    @BeforeAll
    static void start() {
        spark = TestSpark.start();
        List<Row> fw = List.of(
                fw(K9, "iwlwifi", "iwl-a.ucode"), fw(K9, "iwlwifi", "iwl-b.ucode"), fw(K9, "i915", "i915/tgl.bin"),
                RowFactory.create(K9, "ucode_x", "intel/ucode.bin", true, BUILTIN, "/trees"),
                fw(K10, "iwlwifi", "iwl-a.ucode"), fw(K10, "iwlwifi", "iwl-c.ucode"), fw(K10, "i915", "i915/tgl.bin"),
                fw(K12, "iwlwifi", "iwl-a.ucode"), fw(K12, "iwlwifi", "iwl-b.ucode"), fw(K12, "i915", "i915/tgl.bin"),
                fw(K12, "i915", "i915/adl.bin"), fw(K12, "ath11k_pci", "ath11k/WCN6855/hw2.0/*"),
                fw(K12, "iwlmvm", "iwl-a.ucode"),
                fw(C10, "iwlwifi", "iwl-b.ucode"));
        firmware = spark.createDataFrame(fw, AtlasTables.FIRMWARE).cache();
        List<Row> mods = new ArrayList<>();
        for (String m : List.of("iwlwifi", "i915", "e1000e")) {
            mods.add(mod(K9, m, "ok"));
        }
        mods.add(RowFactory.create(K9, "ucode_x", BUILTIN, true, null, null, null, null, null, null, null, false,
                "ok", null, null, "/trees"));
        for (String m : List.of("iwlwifi", "i915")) {
            mods.add(mod(K10, m, "ok"));
        }
        mods.add(mod(K10, "broken", "error"));
        for (String m : List.of("iwlwifi", "i915", "ath11k_pci", "iwlmvm")) {
            mods.add(mod(K12, m, "ok"));
        }
        mods.add(mod(C10, "iwlwifi", "ok"));
        modules = spark.createDataFrame(mods, AtlasTables.MODULES).cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Row fw(String kernel, String module, String firmware) {
        return RowFactory.create(kernel, module, firmware, false, "kernel/" + module + ".ko", "/trees");
    }

    static Row mod(String kernel, String module, String status) {
        return RowFactory.create(kernel, module, "kernel/" + module + ".ko", false, 100L, "none", 64, "little",
                "x86_64", "vermagic", kernel, false, status, status.equals("ok") ? null : "not_elf",
                status.equals("ok") ? null : "bad", "/trees");
    }

    /** Rows as strings, in the Dataset's order. */
    static List<String> rows(Dataset<Row> d) {
        List<String> out = new ArrayList<>();
        for (Row r : d.collectAsList()) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length(); i++) {
                b.append(i == 0 ? "" : " | ").append(ResultWriter.text(r.get(i)));
            }
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void kernelsInReleaseOrderPerFlavour() {
        assertEquals(List.of("kernel", "flavour", "modules", "modules_with_firmware", "firmware_rows",
                "distinct_firmware", "builtin_firmware_rows", "errors"),
                List.of(Queries.kernels(firmware, modules, null).columns()));
        assertEquals(List.of(
                K9 + " | amd64 | 4 | 3 | 4 | 4 | 1 | 0",
                K10 + " | amd64 | 3 | 2 | 3 | 3 | 0 | 1",
                K12 + " | amd64 | 4 | 4 | 6 | 5 | 0 | 0",
                C10 + " | cloud-amd64 | 1 | 1 | 1 | 1 | 0 | 0"),
                rows(Queries.kernels(firmware, modules, null)));
        assertEquals(List.of(C10 + " | cloud-amd64 | 1 | 1 | 1 | 1 | 0 | 0"),
                rows(Queries.kernels(firmware, modules, "cloud-amd64")));
    }

    /** Debian's i386 flavours start with a digit: each is a series of its own, and --flavour picks it. */
    @Test
    void i386FlavoursAreSeriesOfTheirOwn() {
        List<String> i386 = List.of("6.1.0-50-686", "6.1.0-50-686-pae", "6.1.0-50-rt-686-pae", "6.1.0-51-686-pae");
        List<Row> mods = new ArrayList<>();
        for (String k : i386) {
            mods.add(mod(k, "e1000e", "ok"));
        }
        Dataset<Row> m = spark.createDataFrame(mods, AtlasTables.MODULES);
        Dataset<Row> f = spark.createDataFrame(List.of(), AtlasTables.FIRMWARE);
        assertEquals(List.of("6.1.0-50-686-pae | 686-pae | 1 | 0 | 0 | 0 | 0 | 0",
                "6.1.0-51-686-pae | 686-pae | 1 | 0 | 0 | 0 | 0 | 0"), rows(Queries.kernels(f, m, "686-pae")));
        assertEquals(List.of("6.1.0-50-686 | 686 | 1 | 0 | 0 | 0 | 0 | 0"), rows(Queries.kernels(f, m, "686")));
        QueryException e = assertThrows(QueryException.class, () -> Queries.kernels(f, m, "pae"));
        assertEquals("no kernel of flavour 'pae'; flavours: 686, 686-pae, rt-686-pae", e.getMessage());
    }

    /**
     * A package's errors before its release was seen are rows of no kernel (Spark's null partition):
     * query kernels names them by their partition and counts their errors, as the stats recorded with it do.
     */
    @Test
    void rowsOfNoKernelCountUnderTheirPartitionsName() {
        Dataset<Row> m = spark.createDataFrame(List.of(mod(K9, "e1000e", "ok"), mod(null, null, "error"),
                mod(null, null, "error")), AtlasTables.MODULES);
        Dataset<Row> f = spark.createDataFrame(List.of(fw(K9, "e1000e", "e1000e.bin")), AtlasTables.FIRMWARE);
        assertEquals(List.of(K9, "__HIVE_DEFAULT_PARTITION__"), Queries.kernels(f, m).stream().sorted().toList());
        assertEquals(List.of("__HIVE_DEFAULT_PARTITION__ |  | 0 | 0 | 0 | 0 | 0 | 2",
                K9 + " | amd64 | 1 | 1 | 1 | 1 | 0 | 0"), rows(Queries.kernels(f, m, null)));
        assertEquals(List.of("__HIVE_DEFAULT_PARTITION__ |  | 0 | 0 | 0 | 0 | 0 | 2",
                K9 + " | amd64 | 1 | 1 | 1 | 1 | 0 | 0"),
                rows(Queries.kernels(f, m, List.of(K9, "__HIVE_DEFAULT_PARTITION__"), null)));
    }

    @Test
    void unknownFlavourOrKernelIsRefused() {
        QueryException e = assertThrows(QueryException.class, () -> Queries.kernels(firmware, modules, "rt-amd64"));
        assertEquals("no kernel of flavour 'rt-amd64'; flavours: amd64, cloud-amd64", e.getMessage());
        assertEquals(2, e.exitCode());
        e = assertThrows(QueryException.class, () -> Queries.diff(firmware, modules, K9, "6.2"));
        assertEquals("unknown kernel '6.2'; kernels: " + K9 + ", " + K10 + ", " + K12 + ", " + C10, e.getMessage());
        assertThrows(QueryException.class, () -> Queries.top(firmware, modules, "6.2", null, 3));
    }

    @Test
    void diffListsFirmwareAndModuleChanges() {
        assertEquals(List.of("kind", "change", "name", "related"),
                List.of(Queries.diff(firmware, modules, K9, K10).columns()));
        assertEquals(List.of(
                "firmware | added | iwl-c.ucode | iwlwifi",
                "firmware | removed | intel/ucode.bin | ucode_x",
                "firmware | removed | iwl-b.ucode | iwlwifi",
                "module | gained | iwlwifi | iwl-c.ucode",
                "module | lost | iwlwifi | iwl-b.ucode",
                "module | lost | ucode_x | intel/ucode.bin"),
                rows(Queries.diff(firmware, modules, K9, K10)));
        // iwl-a.ucode is in both kernels: iwlmvm taking it too is a module change only
        assertEquals(List.of(
                "firmware | added | ath11k/WCN6855/hw2.0/* | ath11k_pci",
                "firmware | added | i915/adl.bin | i915",
                "firmware | added | iwl-b.ucode | iwlwifi",
                "firmware | removed | iwl-c.ucode | iwlwifi",
                "module | gained | ath11k_pci | ath11k/WCN6855/hw2.0/*",
                "module | gained | i915 | i915/adl.bin",
                "module | gained | iwlmvm | iwl-a.ucode",
                "module | gained | iwlwifi | iwl-b.ucode",
                "module | lost | iwlwifi | iwl-c.ucode"),
                rows(Queries.diff(firmware, modules, K10, K12)));
        assertTrue(rows(Queries.diff(firmware, modules, K12, K12)).isEmpty());
    }

    @Test
    void historyFindsGapsInReleaseOrder() {
        assertEquals(List.of("firmware", "flavour", "first", "last", "kernels", "gaps"),
                List.of(Queries.history(firmware, modules, "iwl-b.ucode", null).columns()));
        // 6.1.0-10 lies between 6.1.0-9 and 6.12.1 in release order, not in string order
        assertEquals(List.of(
                "iwl-b.ucode | amd64 | " + K9 + " | " + K12 + " | 2 | " + K10,
                "iwl-b.ucode | cloud-amd64 | " + C10 + " | " + C10 + " | 1 | "),
                rows(Queries.history(firmware, modules, "iwl-b.ucode", null)));
        assertEquals(List.of(
                "iwl-a.ucode | amd64 | " + K9 + " | " + K12 + " | 3 | ",
                "iwl-b.ucode | amd64 | " + K9 + " | " + K12 + " | 2 | " + K10,
                "iwl-c.ucode | amd64 | " + K10 + " | " + K10 + " | 1 | "),
                rows(Queries.history(firmware, modules, "iwl-?.ucode", "amd64")));
        assertTrue(rows(Queries.history(firmware, modules, "nothing*", null)).isEmpty());
        // a declared glob name is found by its exact spelling
        assertEquals(1, rows(Queries.history(firmware, modules, "ath11k/WCN6855/hw2.0/*", null)).size());
    }

    @Test
    void whoNeedsListsKernelsInReleaseOrder() {
        assertEquals(List.of(
                "iwl-a.ucode | iwlmvm | 1 | " + K12,
                "iwl-a.ucode | iwlwifi | 3 | " + K9 + ", " + K10 + ", " + K12),
                rows(Queries.whoNeeds(firmware, modules, "iwl-a*")));
        assertEquals(List.of("i915/adl.bin | i915 | 1 | " + K12, "i915/tgl.bin | i915 | 3 | " + K9 + ", " + K10
                + ", " + K12), rows(Queries.whoNeeds(firmware, modules, "i915/[a-t]*.bin")));
        assertTrue(rows(Queries.whoNeeds(firmware, modules, "iwl-a")).isEmpty());  // exact, not a prefix
    }

    @Test
    void topCountsDistinctModulesAndFirmware() {
        assertEquals(List.of(
                "firmware | 1 | iwl-a.ucode | 2",
                "firmware | 2 | ath11k/WCN6855/hw2.0/* | 1",
                "module | 1 | iwlwifi | 3",
                "module | 2 | i915 | 2"),
                rows(Queries.top(firmware, modules, null, null, 2)));
        assertEquals(List.of(
                "firmware | 1 | i915/tgl.bin | 1",
                "firmware | 2 | intel/ucode.bin | 1",
                "module | 1 | iwlwifi | 2",
                "module | 2 | i915 | 1"),
                rows(Queries.top(firmware, modules, K9, null, 2)));
        assertEquals(List.of("firmware | 1 | iwl-b.ucode | 1", "module | 1 | iwlwifi | 1"),
                rows(Queries.top(firmware, modules, null, "cloud-amd64", 5)));
    }

    @Test
    void reportChangesBetweenConsecutiveReleasesOfAFlavour() {
        assertEquals(List.of(
                "amd64 | " + K10 + " | " + K12 + " | 3 | 1",
                "amd64 | " + K9 + " | " + K10 + " | 1 | 2"),
                rows(Report.changes(firmware, modules, 10)));
        assertEquals(1, rows(Report.changes(firmware, modules, 1)).size());
    }
}
