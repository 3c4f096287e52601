package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.testfs.PausingFileSystem;
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
            // a copy out of HDFS brings .crc side files along
            s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .forEach(manifests::add);
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
                assertEquals(1, c.count("fwatlas scan: 1 kernel,") + c.count("fwatlas scan: 2 kernels"), c.output());
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

    @Test
    void aKilledHolderIsTakenOverByExactlyOneWaiterAndEveryWaiterFinishes() throws Exception {
        Path out = tmp.resolve("taken-over");
        // the holder: the first input, held at the commit point until it is killed
        ChildScan holder = ChildScan.start(List.of("-D" + PausingFileSystem.AT_PROPERTY + "="
                        + PausingFileSystem.BEFORE_COMMIT, "-D" + PausingFileSystem.MILLIS_PROPERTY + "=600000"),
                "scan", "--master", "local[1]", "-o", PausingFileSystem.uri(out), INPUTS.get(0).toString());
        List<ChildScan> waiters = new ArrayList<>();
        try {
            assertTrue(holder.await(PausingFileSystem.ANNOUNCEMENT + PausingFileSystem.BEFORE_COMMIT, 300),
                    holder.output());
            for (Path in : INPUTS.subList(1, INPUTS.size())) {
                waiters.add(ChildScan.start(List.of(), "scan", "--master", "local[1]", "-o", out.toString(),
                        in.toString()));
            }
            for (ChildScan w : waiters) {
                assertTrue(w.await("is being written by run", 120), w.output());
            }
            holder.process.destroyForcibly();
            assertTrue(holder.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            long takeovers = 0;
            for (ChildScan w : waiters) {
                assertEquals(0, w.exit(600), w.output());
                takeovers += w.count("taking over the lock of dead run");
            }
            assertEquals(1, takeovers, "takeovers:\n" + String.join("\n---\n",
                    waiters.stream().map(ChildScan::output).toList()));
            assertEquals(1, waiters.stream().filter(w -> w.count("removed the unfinished staging of run") == 1)
                    .count(), "the taker discards the killed run's staging");
        } finally {
            holder.close();
            waiters.forEach(ChildScan::close);
        }
        Path reference = tmp.resolve("waiters-one-by-one");
        for (Path in : INPUTS.subList(1, INPUTS.size())) {
            assertEquals(0, ScanTestSupport.scan("-o", reference.toString(), in.toString()).code());
        }
        assertEquals(contents(spark, reference), contents(spark, out), "the waiters' rows, and none of the holder's");
        assertFalse(Files.exists(out.resolve("_lock")), "lock released");
        assertFalse(Files.exists(out.resolve("_staging")), "no staging left");
    }
}
