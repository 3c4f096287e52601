package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock of an output directory, on the local file system, with short heartbeats. */
class TableLockTest {
    @TempDir
    Path tmp;

    private TableLayout layout() throws IOException {
        return TableLayout.of(TableLayout.location(tmp.toString()), new Configuration());
    }

    static TableLock.Timing timing(Duration wait, String beat, String stale) {
        Configuration c = new Configuration(false);
        c.set(TableLock.Timing.HEARTBEAT_KEY, beat);
        c.set(TableLock.Timing.STALE_KEY, stale);
        return TableLock.Timing.of(wait, c);
    }

    private static String lockBody(String run, long pid, String host) {
        return "{\"run\":\"" + run + "\",\"pid\":" + pid + ",\"host\":\"" + host + "\",\"since\":\"x\"}";
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        return p.pid();
    }

    @Test
    void aSecondRunFailsAtOnceWithZeroWaitAndNamesTheHolder() throws Exception {
        TableLayout l = layout();
        try (TableLock first = TableLock.acquire(l, "run-a", timing(Duration.ZERO, "10s", "60s"), log())) {
            ScanException e = assertThrows(ScanException.class,
                    () -> TableLock.acquire(l, "run-b", timing(Duration.ZERO, "10s", "60s"), log()));
            assertEquals(ScanException.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("another run is writing " + l.out() + " (_lock held by run run-a (pid "
                    + ProcessHandle.current().pid() + " on "), e.getMessage());
            assertFalse(e.getMessage().contains("waited"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("_lock")), "released");
    }

    @Test
    void aWaiterSaysOnceWhomItWaitsForAndGetsTheLockWhenItIsReleased() throws Exception {
        TableLayout l = layout();
        TableLock first = TableLock.acquire(l, "run-a", timing(Duration.ZERO, "10s", "60s"), log());
        StringWriter said = new StringWriter();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TableLock> waiter = pool.submit(() -> TableLock.acquire(l, "run-b",
                    timing(Duration.ofSeconds(30), "10s", "60s"), new PrintWriter(said, true)));
            Thread.sleep(1500);
            assertFalse(waiter.isDone(), "took a held lock");
            first.close();
            try (TableLock second = waiter.get(10, TimeUnit.SECONDS)) {
                second.verify();
                assertTrue(Files.readString(tmp.resolve("_lock")).contains("\"run\":\"run-b\""));
            }
        } finally {
            pool.shutdownNow();
        }
        String[] lines = said.toString().split("\n");
        assertEquals(1, lines.length, said.toString());
        assertTrue(lines[0].matches("fwatlas scan: .* is being written by run run-a \\(pid \\d+ on .*\\); waiting up to "
                + "30 s for its lock"), lines[0]);
    }

    @Test
    void aWaitThatEndsSaysHowLongItWaited() throws Exception {
        TableLayout l = layout();
        try (TableLock first = TableLock.acquire(l, "run-a", timing(Duration.ZERO, "100ms", "60s"), log())) {
            long t0 = System.nanoTime();
            ScanException e = assertThrows(ScanException.class,
                    () -> TableLock.acquire(l, "run-b", timing(Duration.ofMillis(1200), "100ms", "60s"), log()));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(1200));
            assertTrue(e.getMessage().contains("; waited 1 s; try again later, or raise --lock-wait"), e.getMessage());
        }
    }

    @Test
    void aLockOfAProcessThatEndedOnThisHostIsTakenOverAtOnce() throws Exception {
        TableLayout l = layout();
        Files.writeString(tmp.resolve("_lock"), lockBody("dead-run", deadPid(), TableLock.host()));
        StringWriter said = new StringWriter();
        try (TableLock lock = TableLock.acquire(l, "run-b", timing(Duration.ZERO, "10s", "60s"),
                new PrintWriter(said, true))) {
            lock.verify();
        }
        assertTrue(said.toString().startsWith("fwatlas scan: taking over the lock of dead run dead-run (pid "),
                said.toString());
        assertTrue(said.toString().contains("has ended"), said.toString());
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList(), "nothing left beside the lock");
        }
    }

    @Test
    void aSilentLockOfAnotherHostIsTakenOverOnlyAfterTheStaleTime() throws Exception {
        TableLayout l = layout();
        Files.writeString(tmp.resolve("_lock"), lockBody("remote-run", 1, "some-other-host"));
        StringWriter said = new StringWriter();
        long t0 = System.nanoTime();
        try (TableLock lock = TableLock.acquire(l, "run-b", timing(Duration.ofSeconds(20), "200ms", "1500ms"),
                new PrintWriter(said, true))) {
            lock.verify();
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited >= 1500, "took over after " + waited + " ms");
        assertTrue(said.toString().contains("taking over the lock of dead run remote-run (pid 1 on some-other-host): "
                + "no heartbeat for 1 s or more"), said.toString());
    }

    @Test
    void aHeartbeatKeepsALiveHolderFromBeingTakenOver() throws Exception {
        TableLayout l = layout();
        try (TableLock holder = TableLock.acquire(l, "run-a", timing(Duration.ZERO, "100ms", "500ms"), log())) {
            // a live pid does not keep a lock: a holder silent for the stale time counts as hung
            ScanException e = assertThrows(ScanException.class,
                    () -> TableLock.acquire(l, "run-b", timing(Duration.ofMillis(2000), "100ms", "500ms"), log()));
            assertTrue(e.getMessage().contains("waited 2 s"), e.getMessage());
            holder.verify();
        }
    }

    @Test
    void ofManyRunsRacingForADeadLockOneTakesItOverAndNoTwoHoldItAtOnce() throws Exception {
        TableLayout l = layout();
        Files.writeString(tmp.resolve("_lock"), lockBody("dead-run", deadPid(), TableLock.host()));
        int runs = 8;
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        StringWriter said = new StringWriter();
        PrintWriter log = new PrintWriter(said, true);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String run = "run-" + i;
            done.add(pool.submit(() -> {
                start.await();
                try (TableLock lock = TableLock.acquire(l, run, timing(Duration.ofSeconds(60), "10s", "60s"), log)) {
                    most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                    Thread.sleep(50);
                    lock.verify();
                    holding.decrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(1, most.get(), "two runs held the lock at once");
        long takeovers = said.toString().lines().filter(x -> x.contains("taking over the lock of dead run dead-run"))
                .count();
        assertEquals(1, takeovers, said.toString());
        assertFalse(Files.exists(tmp.resolve("_lock")));
    }

    @Test
    void aTakeoverGuardLeftByATakerThatDiedIsRemovedAndTheDeadLockTakenOver() throws Exception {
        TableLayout l = layout();
        Files.writeString(tmp.resolve("_lock"), lockBody("dead-run", deadPid(), TableLock.host()));
        Files.writeString(tmp.resolve("_lock.takeover"), lockBody("dead-taker", deadPid(), TableLock.host()));
        StringWriter said = new StringWriter();
        try (TableLock lock = TableLock.acquire(l, "run-b", timing(Duration.ofSeconds(10), "10s", "60s"),
                new PrintWriter(said, true))) {
            lock.verify();
            assertTrue(Files.readString(tmp.resolve("_lock")).contains("\"run\":\"run-b\""));
        }
        assertTrue(said.toString().contains("taking over the lock of dead run dead-run"), said.toString());
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).toList(), "no guard or lock left");
        }
    }

    @Test
    void aLiveTakersGuardKeepsOthersFromRemovingTheLock() throws Exception {
        TableLayout l = layout();
        Files.writeString(tmp.resolve("_lock"), lockBody("dead-run", deadPid(), TableLock.host()));
        Files.writeString(tmp.resolve("_lock.takeover"),
                lockBody("slow-taker", ProcessHandle.current().pid(), TableLock.host()));
        ScanException e = assertThrows(ScanException.class,
                () -> TableLock.acquire(l, "run-b", timing(Duration.ofMillis(1500), "100ms", "60s"), log()));
        assertTrue(e.getMessage().contains("dead-run") && e.getMessage().contains("another run is taking over"),
                e.getMessage());
        assertTrue(Files.readString(tmp.resolve("_lock")).contains("dead-run"), "the guarded lock stays");
    }

    @Test
    void verifyFailsOnceAnotherRunHoldsTheLock() throws Exception {
        TableLayout l = layout();
        try (TableLock lock = TableLock.acquire(l, "run-a", timing(Duration.ZERO, "10s", "60s"), log())) {
            Files.writeString(tmp.resolve("_lock"), lockBody("run-x", 1, "elsewhere"));
            IOException e = assertThrows(IOException.class, lock::verify);
            assertTrue(e.getMessage().startsWith("this run (run-a) no longer holds the lock of "), e.getMessage());
            assertTrue(e.getMessage().contains("run-x"), e.getMessage());
        }
        assertTrue(Files.readString(tmp.resolve("_lock")).contains("run-x"), "close leaves another run's lock alone");
    }

    @Test
    void timingRefusesAStaleTimeThatAHeartbeatCannotBeat() {
        ScanException e = assertThrows(ScanException.class, () -> timing(Duration.ZERO, "10s", "15s"));
        assertEquals("fwatlas.lock.stale (15000 ms) must be more than twice fwatlas.lock.heartbeat (10000 ms), and "
                + "both positive", e.getMessage());
    }

    /**
     * On HDFS a create without overwrite can fail because the lock exists and find it gone a moment
     * later, its holder having released it: the run must try again, not give up (HdfsIT saw it).
     */
    @Test
    void aLockReleasedBetweenTheRefusedCreateAndTheLookIsTakenOnTheNextTry() throws Exception {
        Configuration c = new Configuration();
        c.set("fs." + ReleasedLockFileSystem.SCHEME + ".impl", ReleasedLockFileSystem.class.getName());
        c.setBoolean("fs." + ReleasedLockFileSystem.SCHEME + ".impl.disable.cache", true);
        TableLayout l = TableLayout.of(new org.apache.hadoop.fs.Path(ReleasedLockFileSystem.SCHEME + "://" + tmp), c);
        try (TableLock lock = TableLock.acquire(l, "run-b", timing(Duration.ZERO, "10s", "60s"), log())) {
            assertEquals(1, ((ReleasedLockFileSystem) l.fs()).refused);
            assertTrue(Files.readString(tmp.resolve("_lock")).contains("\"run\":\"run-b\""));
        }
    }

    /**
     * Local files under another scheme, so that the lock takes its Hadoop path; the first exclusive
     * create of the lock is refused as if a holder had released it just after.
     */
    public static final class ReleasedLockFileSystem extends org.apache.hadoop.fs.RawLocalFileSystem {
        static final String SCHEME = "releasedlock";
        int refused;

        @Override
        public String getScheme() {
            return SCHEME;
        }

        @Override
        public java.net.URI getUri() {
            return java.net.URI.create(SCHEME + ":///");
        }

        @Override
        public org.apache.hadoop.fs.FSDataOutputStream create(org.apache.hadoop.fs.Path f, boolean overwrite,
                int bufferSize, short replication, long blockSize, org.apache.hadoop.util.Progressable progress)
                throws IOException {
            if (!overwrite && f.getName().equals("_lock") && refused == 0) {
                refused++;
                throw new org.apache.hadoop.fs.FileAlreadyExistsException(f + " for client 127.0.0.1 already exists");
            }
            return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
        }
    }

    private static PrintWriter log() {
        return new PrintWriter(new StringWriter(), true);
    }
}
