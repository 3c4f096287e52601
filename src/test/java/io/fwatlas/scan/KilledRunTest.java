package io.fwatlas.scan;

import static io.fwatlas.scan.ScanTestSupport.rows;
import static io.fwatlas.scan.ScanTestSupport.scan;
import static io.fwatlas.scan.ScanTestSupport.snapshot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.testfs.PausingFileSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A scan killed (destroyForcibly) in a child JVM, held at a known point of the commit protocol by
 * writing its output through the test file system {@link PausingFileSystem} ({@code pausefile://}):
 * before the commit point the old tables stay as they were; during the swap the next start
 * finishes the commit.
 */
class KilledRunTest {
    static final String S390 = "5.10.0-30-s390x";
    static final String ARM = "4.9.0-13-armmp";
    static final List<String> MIRROR = List.of(SampleGenerator.S390, SampleGenerator.ARM);

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path changed;

    @BeforeAll
    static void setUp() throws IOException {
        spark = ScanTestSupport.spark();
        // The s390x release without qeth.ko: what the killed runs were writing.
        changed = tmp.resolve("changed").resolve(S390);
        Files.createDirectories(changed.getParent());
        ScanTestSupport.copyTree(ScanTestSupport.sample(SampleGenerator.S390), changed);
        Files.delete(changed.resolve("kernel/drivers/s390/net/qeth.ko"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Path freshTables(String name) {
        Path out = tmp.resolve(name);
        ScanTestSupport.Run r = scan("-o", out.toString(), ScanTestSupport.SAMPLES.resolve("mirror").toString());
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private static Map<String, String> tables(Path out) throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (String t : Tables.NAMES) {
            snapshot(out.resolve(t)).forEach((k, v) -> all.put(t + "/" + k, v));
        }
        return all;
    }

    /** Starts the CLI in a child JVM and waits until it reports the pause; the caller kills it. */
    private static Process startPaused(Path out, String pauseAt, List<String> log) throws Exception {
        return startPaused(pauseAt, log, "-o", PausingFileSystem.uri(out), changed.getParent().toString());
    }

    /**
     * Runs {@code scan ARGS} in a child JVM until it reports the pause at {@code pauseAt}; the output
     * in ARGS must be a {@code pausefile://} location for the pause to happen. {@code log} (safe
     * for a second thread) collects the child's output until it ends.
     */
    static Process startPaused(String pauseAt, List<String> log, String... scanArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "-D" + PausingFileSystem.AT_PROPERTY + "=" + pauseAt,
                "-D" + PausingFileSystem.MILLIS_PROPERTY + "=600000",
                "-Dspark.ui.showConsoleProgress=false",
                "io.fwatlas.cli.Main", "scan", "--master", "local[2]"));
        cmd.addAll(List.of(scanArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(SparkSetup.CONF_DIR_ENV);
        Process p = pb.start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    log.add(l);
                    lines.add(l);
                }
            } catch (IOException e) {
                // the child was killed
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && l.equals(PausingFileSystem.ANNOUNCEMENT + pauseAt)) {
                return p;
            }
            if (l == null && !p.isAlive()) {
                break;
            }
        }
        p.destroyForcibly();
        fail("child never paused at " + pauseAt + "; its output:\n" + String.join("\n", log));
        return null;
    }

    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not die");
    }

    static List<String> runDirs(Path out) throws IOException {
        Path staging = out.resolve(TableLayout.STAGING);
        if (!Files.exists(staging)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(staging)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String recover(Path out) {
        StringWriter w = new StringWriter();
        try (TableStore store = TableStore.open(out.toString(), new Configuration(), new PrintWriter(w, true))) {
            return w.toString();
        }
    }

    @Test
    void killedBeforeTheCommitPointLeavesTheOldTablesUnchanged() throws Exception {
        Path out = freshTables("before-commit");
        Map<String, String> before = tables(out);
        List<String> oldRows = rows(spark, out, "modules", Expected.MODULES_COLUMNS);

        List<String> log = new CopyOnWriteArrayList<>();
        Process p = startPaused(out, "before-commit", log);
        kill(p);

        List<String> runs = runDirs(out);
        assertEquals(1, runs.size(), "the killed run staged nothing?");
        assertTrue(Files.isDirectory(out.resolve(TableLayout.STAGING).resolve(runs.get(0))
                .resolve("modules").resolve("kernel=" + S390)), "nothing staged: the kill came too early to test");
        assertEquals(before, tables(out), "live tables changed by a killed run");
        assertEquals(oldRows, rows(spark, out, "modules", Expected.MODULES_COLUMNS));

        String msg = recover(out);
        assertTrue(msg.contains("removed the unfinished staging of run " + runs.get(0)), msg);
        assertTrue(msg.contains("taking over the lock of dead run"), msg);
        assertEquals(List.of(), runDirs(out));
        assertEquals(before, tables(out));
        assertFalse(Files.exists(out.resolve("_lock")));
    }

    @Test
    void killedDuringTheSwapIsFinishedByTheNextStart() throws Exception {
        Path out = freshTables("mid-swap");
        Map<String, String> before = tables(out);

        List<String> log = new CopyOnWriteArrayList<>();
        Process p = startPaused(out, "mid-swap", log);
        kill(p);
        assertTrue(Files.exists(out.resolve(TableLayout.STAGING).resolve(runDirs(out).get(0))
                .resolve(TableLayout.JOURNAL)), "journal missing: the kill did not land inside the swap");

        String msg = recover(out);
        assertTrue(msg.contains("finished the interrupted commit"), msg);
        assertEquals(List.of(), runDirs(out));

        // The arm release is untouched; the s390x one is exactly the rescanned tree.
        Map<String, String> after = tables(out);
        before.forEach((k, v) -> {
            if (k.contains("kernel=4.9.0-13-armmp/")) {
                assertEquals(v, after.get(k), k);
            }
        });
        assertNotEquals(before, after);
        assertTablesWithoutQeth(out);
    }

    /**
     * An interrupt (SIGINT, or SIGTERM where the child inherited SIGINT ignored, as jobs started
     * in the background of a script do) ends the run with the signal's status and one line that
     * says what state the table is in; nothing else, no stack trace.
     */
    @ParameterizedTest
    @CsvSource({"INT, before-commit, is as it was before this run", "TERM, before-commit, is as it was before this run",
        "INT, mid-swap, had begun: the next scan or resolve of it finishes it", "TERM, mid-swap, had begun"})
    void anInterruptSaysInOneLineWhatStateTheTableIsIn(String signal, String at, String state) throws Exception {
        Path out = freshTables("interrupt-" + signal + "-" + at);
        List<String> log = new CopyOnWriteArrayList<>();
        Process p = startPaused(out, at, log);
        int sig = signal.equals("INT") ? 2 : 15;
        assumeTrue(sig != 2 || !ignores(p.pid(), sig), "this JVM's children inherit SIGINT ignored");
        int before = log.size();
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not end on SIG" + signal);
        Thread.sleep(200); // the reader's last lines
        assertEquals(128 + sig, p.exitValue(), String.join("\n", log));
        List<String> after = log.subList(before, log.size());
        assertEquals(1, after.size(), "one line after the signal: " + after);
        assertTrue(after.get(0).startsWith("fwatlas scan: interrupted; ") && after.get(0).contains(state),
                after.get(0));
        recover(out); // the next run finishes or removes the interrupted one
        assertEquals(List.of(), runDirs(out));
    }

    /** Whether process {@code pid} ignores signal {@code sig}, by its SigIgn mask in /proc. */
    private static boolean ignores(long pid, int sig) throws IOException {
        for (String l : Files.readAllLines(Paths.get("/proc", String.valueOf(pid), "status"))) {
            if (l.startsWith("SigIgn:")) {
                return (Long.parseLong(l.substring(7).strip(), 16) & (1L << (sig - 1))) != 0;
            }
        }
        return false;
    }

    /** The tables hold exactly the mirror samples without qeth.ko: what the killed runs were writing. */
    private static void assertTablesWithoutQeth(Path out) {
        List<List<Object>> want = new ArrayList<>();
        for (List<Object> r : Expected.modules(MIRROR)) {
            if (!r.get(2).equals("kernel/drivers/s390/net/qeth.ko")) {
                want.add(r);
            }
        }
        assertEquals(Expected.sorted(want), rows(spark, out, "modules", Expected.MODULES_COLUMNS));
        List<List<Object>> wantInfo = new ArrayList<>();
        for (List<Object> r : Expected.modinfo(MIRROR)) {
            if (!r.get(2).equals("kernel/drivers/s390/net/qeth.ko")) {
                wantInfo.add(r);
            }
        }
        assertEquals(Expected.sorted(wantInfo), rows(spark, out, "modinfo", Expected.MODINFO_COLUMNS));
        assertEquals(Expected.sorted(Expected.firmware(MIRROR)), rows(spark, out, "firmware", Expected.FIRMWARE_COLUMNS));
    }

    /** A table of the mirror copy, then qeth.ko removed from the copy: the change the killed runs write. */
    private static Path[] incrementalSetUp(String name) throws IOException {
        Path in = tmp.resolve(name + "-in");
        for (String r : MIRROR) {
            ScanTestSupport.copyTree(ScanTestSupport.sample(r), in.resolve(Paths.get(r).getFileName().toString()));
        }
        Path out = tmp.resolve(name);
        ScanTestSupport.Run r = scan("-o", out.toString(), in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(manifest(out, S390)));
        Files.delete(in.resolve(S390).resolve("kernel/drivers/s390/net/qeth.ko"));
        return new Path[] {in, out};
    }

    private static Path manifest(Path out, String kernel) {
        return out.resolve(TableLayout.MANIFESTS).resolve(kernel + ".json");
    }

    @Test
    void killedIncrementalRunBeforeTheCommitPointLeavesNoManifestClaimingTheNewInputs() throws Exception {
        Path[] io = incrementalSetUp("inc-before-commit");
        Path in = io[0];
        Path out = io[1];
        Map<String, String> before = tables(out);
        byte[] arm = Files.readAllBytes(manifest(out, ARM));

        Process p = startPaused("before-commit", new CopyOnWriteArrayList<>(), "--incremental", "-o",
                PausingFileSystem.uri(out), in.toString());
        kill(p);
        assertTrue(Files.isDirectory(out.resolve(TableLayout.STAGING).resolve(runDirs(out).get(0))
                .resolve("modules").resolve("kernel=" + S390)), "nothing staged: the kill came too early to test");
        assertFalse(Files.exists(manifest(out, S390)), "a manifest of the release being replaced survived");
        assertArrayEquals(arm, Files.readAllBytes(manifest(out, ARM)), "the skipped release's manifest changed");
        assertEquals(before, tables(out));

        ScanTestSupport.Run r = scan("-o", out.toString(), "--incremental", in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("releases: 1 unchanged (skipped), 1 rescanned, 0 new, 0 pruned"), r.out());
        assertTablesWithoutQeth(out);
        assertTrue(Files.isRegularFile(manifest(out, S390)));
    }

    @Test
    void killedIncrementalRunDuringTheSwapGetsItsManifestFromRecovery() throws Exception {
        Path[] io = incrementalSetUp("inc-mid-swap");
        Path in = io[0];
        Path out = io[1];

        Process p = startPaused("mid-swap", new CopyOnWriteArrayList<>(), "--incremental", "-o", PausingFileSystem.uri(out),
                in.toString());
        kill(p);
        assertTrue(Files.exists(out.resolve(TableLayout.STAGING).resolve(runDirs(out).get(0))
                .resolve(TableLayout.JOURNAL)), "journal missing: the kill did not land inside the swap");
        assertFalse(Files.exists(manifest(out, S390)), "a manifest while its partitions are half swapped");

        // Recovery finishes the swap and writes the journal's manifest: nothing is left to read.
        ScanTestSupport.Run r = scan("-o", out.toString(), "--incremental", in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("finished the interrupted commit"), r.err());
        assertTrue(r.out().contains("releases: 2 unchanged (skipped), 0 rescanned, 0 new, 0 pruned"), r.out());
        assertTablesWithoutQeth(out);
    }
}
