package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.SampleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several scans of disjoint kernels started against one table at the same moment, each in a JVM
 * of its own: all succeed, one after another, and the table holds what the same scans run one by
 * one give, every row exactly once.
 */
class ConcurrentScanTest {
    /** The five sample releases, as four inputs of one or two releases each. */
    static final List<Path> INPUTS = List.of(
            ScanTestSupport.SAMPLES.resolve(SampleGenerator.S390),
            ScanTestSupport.SAMPLES.resolve(SampleGenerator.ARM),
            ScanTestSupport.SAMPLES.resolve("rootfs"),
            ScanTestSupport.SAMPLES.resolve("hostile"));
    static final List<String> TABLES_COLUMNS = List.of("*");

    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void setUp() {
        spark = ScanTestSupport.spark();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Every row of every table, and the manifests' kernels, as one comparable map. */
    static Map<String, List<String>> contents(SparkSession spark, Path out) throws Exception {
        Map<String, List<String>> all = new TreeMap<>();
        for (String t : Tables.NAMES) {
            all.put(t, ScanTestSupport.rows(spark, out, t, TABLES_COLUMNS));
        }
        List<String> manifests = new ArrayList<>();
        try (var s = Files.list(out.resolve("_manifests"))) {
            s.filter(Files::isRegularFile).forEach(p -> manifests.add(p.getFileName().toString()));
        }
        manifests.sort(null);
        all.put("_manifests", manifests);
        return all;
    }

    @Test
    void fourScansOfDisjointKernelsAtOnceAllSucceedAndKeepEveryRowOnce() throws Exception {
        Path reference = tmp.resolve("one-by-one");
        for (Path in : INPUTS) {
            ScanTestSupport.Run r = ScanTestSupport.scan("-o", reference.toString(), in.toString());
            assertEquals(0, r.code(), r.err());
        }
        Path out = tmp.resolve("at-once");
        List<ChildScan> children = new ArrayList<>();
        try {
            for (Path in : INPUTS) {
                children.add(ChildScan.start(List.of(), "scan", "--master", "local[1]", "-o", out.toString(),
                        in.toString()));
            }
            long waited = 0;
            for (ChildScan c : children) {
                assertEquals(0, c.exit(600), c.output());
                assertEquals(1, c.count("fwatlas scan: 1 kernels") + c.count("fwatlas scan: 2 kernels"), c.output());
                assertTrue(c.count("is being written by run") <= 1, "said more than once:\n" + c.output());
                waited += c.count("is being written by run");
            }
            assertTrue(waited >= 1, "no scan waited for another: they did not overlap");
        } finally {
            children.forEach(ChildScan::close);
        }
        assertEquals(contents(spark, reference), contents(spark, out));
        assertFalse(Files.exists(out.resolve("_lock")), "lock released");
        assertFalse(Files.exists(out.resolve("_staging")), "no staging left");
        assertTrue(Files.readString(out.resolve("_SUCCESS")).contains("\"generation\" : 4"),
                Files.readString(out.resolve("_SUCCESS")));
    }
}
