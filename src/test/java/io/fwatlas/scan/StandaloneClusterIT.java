package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/fwatlas-submit against a real standalone cluster (a Master and two Workers, separate JVMs):
 * the executors run in JVMs of their own, and the three tables equal a local run's.
 * Alone: mvn verify -Dit.test=StandaloneClusterIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("cluster")
class StandaloneClusterIT {
    @TempDir
    Path tmp;

    /** spark-submit options for a cluster on loopback; the job waits for both executors. */
    static List<String> submitOptions(StandaloneCluster c, String... more) {
        List<String> o = new ArrayList<>(List.of("--master", c.masterUrl(),
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                "--executor-memory", "768m", "--total-executor-cores", "2"));
        o.addAll(List.of(more));
        return o;
    }

    /** The samples scanned in this JVM with local[2]: what the cluster runs must equal. */
    static Path localRun(Path out, Path input) {
        return localRun(out, input.toString());
    }

    /** As {@link #localRun(Path, Path)}, for an input given as a location (a path or a URI). */
    static Path localRun(Path out, String input) {
        ScanTestSupport.Run r = ScanTestSupport.scan("--master", "local[2]", "-o", out.toString(), input);
        assertEquals(0, r.code(), r.err());
        return out;
    }

    static void assertSameTables(Path want, Path got) throws Exception {
        assertSameTables(want, got, null, null);
    }

    /**
     * As {@link #assertSameTables(Path, Path)}, where {@code got} read from the input {@code gotSource}
     * what {@code want} read from {@code wantSource}.
     */
    static void assertSameTables(Path want, Path got, String wantSource, String gotSource) throws Exception {
        for (String t : Tables.NAMES) {
            List<String> rows = new java.util.ArrayList<>();
            for (String line : DumpTable.lines(want, t)) {
                // source is the last column
                boolean moved = wantSource != null && line.endsWith("\t" + wantSource);
                rows.add(moved ? line.substring(0, line.length() - wantSource.length()) + gotSource : line);
            }
            rows.sort(null);
            assertTrue(rows.size() > 5, t + " of the local run has " + rows.size() + " rows");
            assertEquals(rows, DumpTable.sortedLines(got, t), t);
        }
    }

    @Test
    void scanOnTwoWorkersEqualsTheLocalRun() throws Exception {
        Path local = localRun(tmp.resolve("local"), ScanTestSupport.SAMPLES);
        Path out = tmp.resolve("cluster");
        try (StandaloneCluster c = StandaloneCluster.start("standalone", 2)) {
            List<String> args = submitOptions(c);
            args.addAll(List.of("--", "scan", "--output", out.toString(), ScanTestSupport.SAMPLES.toString()));
            try (Submission s = Submission.start(c.logs.resolve("submit.log"), args)) {
                assertEquals(0, s.await(420), s.output());
                assertTrue(s.output().contains("fwatlas scan: 5 kernels, 28 modules, 7 built-in modules"), s.output());
            }
            // Both workers ran an executor JVM of the application, and each ran tasks.
            Set<String> workersWithTasks = new TreeSet<>();
            for (Path log : c.executorLogs()) {
                if (Files.readString(log).contains("Running task")) {
                    workersWithTasks.add(c.logs.relativize(log).getName(0).toString());
                }
            }
            assertEquals(Set.of("work-1", "work-2"), workersWithTasks, "executors that ran tasks");
        }
        assertSameTables(local, out);
    }
}
