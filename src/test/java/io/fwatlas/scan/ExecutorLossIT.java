package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fwatlas.testfs.SlowFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor JVM killed (SIGKILL) while it runs a read task: Spark retries the lost tasks on the
 * other executors and the scan still writes exactly the local run's tables. The input is read
 * through the test file system {@link SlowFileSystem} ({@code slowfile://}, from target/test-classes
 * on the driver's and the executors' class path), which on the cluster delays every open of a
 * module so that the kill lands inside a task; the executor's stderr reports the delay. The local
 * run reads the same {@code slowfile://} location without delay, so the source columns agree.
 * Alone: mvn verify -Dit.test=ExecutorLossIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("cluster")
class ExecutorLossIT {
    static final long SLOW_READ_MILLIS = 600;
    static final Path TEST_CLASSES = StandaloneCluster.TARGET.resolve("test-classes");

    @TempDir
    Path tmp;

    @Test
    void scanFinishesWithTheExactTablesAfterAnExecutorIsKilled() throws Exception {
        String input = SlowFileSystem.uri(ScanTestSupport.SAMPLES);
        Path local = StandaloneClusterIT.localRun(tmp.resolve("local"), input);
        Path out = tmp.resolve("cluster");
        try (StandaloneCluster c = StandaloneCluster.start("executor-loss", 2)) {
            List<String> args = StandaloneClusterIT.submitOptions(c,
                    "--driver-class-path", TEST_CLASSES.toString(),
                    "--conf", "spark.executor.extraClassPath=" + TEST_CLASSES,
                    "--conf", "spark.hadoop." + SlowFileSystem.DELAY_KEY + "=" + SLOW_READ_MILLIS);
            args.addAll(List.of("--", "scan", "--output", out.toString(), input));
            try (Submission s = Submission.start(c.logs.resolve("submit.log"), args)) {
                Path reading = awaitSlowRead(c, s);
                // work-N/APP/EXECUTOR/stderr: the executor that is inside a read task right now
                String id = reading.getParent().getFileName().toString();
                ProcessHandle victim = c.executor(id).orElseThrow(() -> new AssertionError("no process for executor "
                        + id + " among " + c.executors()));
                assertTrue(victim.destroyForcibly(), "kill refused");
                victim.onExit().get(60, TimeUnit.SECONDS);
                assertFalse(victim.isAlive(), "executor " + id + " still runs");

                assertEquals(0, s.await(420), s.output());
                assertTrue(s.output().contains("ExecutorLostFailure (executor " + id + " exited"),
                        "no task was lost with executor " + id + ":\n" + s.output());
                assertTrue(s.output().contains("fwatlas scan: 5 kernels, 28 modules, 7 built-in modules"), s.output());
            }
        }
        StandaloneClusterIT.assertSameTables(local, out);
    }

    /** Waits until an executor's stderr shows it reading a module; returns that stderr file. */
    private static Path awaitSlowRead(StandaloneCluster c, Submission s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            for (Path log : c.executorLogs()) {
                if (Files.readString(log).contains(SlowFileSystem.ANNOUNCEMENT)) {
                    return log;
                }
            }
            if (!s.alive()) {
                fail("the scan ended before any executor read a file:\n" + s.output());
            }
            Thread.sleep(100);
        }
        fail("no executor started reading within 300 s:\n" + s.output());
        return null;
    }
}
