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
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an output directory is judged before its lock is taken, when first runs race to create it. */
class TableLayoutTest {
    @TempDir
    Path tmp;

    private TableLayout layout(Path out) throws IOException {
        return TableLayout.of(TableLayout.location(out.toString()), new Configuration());
    }

    @Test
    void aDirectoryWhoseFirstRunIsWritingItsMarkerIsAccepted() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("t"));
        Files.writeString(out.resolve("_lock"), "{}");
        Files.writeString(out.resolve("_fwatlas.json.tmp"), "{\"format\":");
        layout(out).prepare(out.toString());
    }

    @Test
    void aDirectoryWhoseFirstRunHasStartedStagingIsReadAsATable() throws IOException {
        Path out = tmp.resolve("t");
        TableLayout first = layout(out);
        first.prepare(out.toString());
        first.ensureMarker();
        Files.createDirectories(out.resolve("_staging/run-a"));
        layout(out).prepare(out.toString());
    }

    @Test
    void stagingWithoutAMarkerIsRefused() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("t/_staging"));
        ScanException e = assertThrows(ScanException.class, () -> layout(out.getParent()).prepare("t"));
        assertEquals(ScanException.USAGE, e.exitCode());
        assertEquals("output t exists but is not an fwatlas table (no _fwatlas.json); name a new or empty directory",
                e.getMessage());
    }

    /** The order TableStore.open follows, then the first thing a run writes after it. */
    @Test
    void eightFirstRunsRacingForOneNewDirectoryAllGetIn() throws Exception {
        Path out = tmp.resolve("new");
        TableLock.Timing timing = TableLockTest.timing(Duration.ofSeconds(60), "1s", "60s");
        int runs = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String run = "run-" + i;
            done.add(pool.submit(() -> {
                TableLayout l = layout(out);
                go.await();
                l.prepare(out.toString());
                try (TableLock lock = TableLock.acquire(l, run, timing, new PrintWriter(new StringWriter()))) {
                    l.ensureMarker();
                    Files.createDirectories(out.resolve("_staging").resolve(run));
                    Files.writeString(out.resolve("_staging").resolve(run).resolve("part"), run);
                }
                return null;
            }));
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS));
        for (Future<?> f : done) {
            f.get();
        }
        try (var s = Files.list(out.resolve("_staging"))) {
            assertEquals(runs, s.count());
        }
    }

    @Test
    void aDirectoryMadeByARunThatFailsBeforeItsFirstCommitIsRemovedAgain() {
        Path out = tmp.resolve("parent").resolve("new");
        TableStore store = TableStore.open(out.toString(), new Configuration(), new PrintWriter(new StringWriter()));
        assertTrue(Files.isRegularFile(out.resolve(TableLayout.MARKER)));
        store.abandon();
        store.close();
        assertFalse(Files.exists(out), "the failed first run left its directory");
        assertTrue(Files.isDirectory(out.getParent()), "only the directory the run named is removed");
    }

    @Test
    void aTableThatExistedBeforeAFailedRunStays() throws IOException {
        Path out = tmp.resolve("kept");
        TableStore.open(out.toString(), new Configuration(), new PrintWriter(new StringWriter())).close();
        TableStore store = TableStore.open(out.toString(), new Configuration(), new PrintWriter(new StringWriter()));
        store.abandon();
        store.close();
        assertTrue(Files.isRegularFile(out.resolve(TableLayout.MARKER)));
        try (var s = Files.list(out)) {
            assertEquals(List.of(TableLayout.MARKER), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aNewDirectoryThatAnotherRunWroteIntoIsNotRemoved() throws IOException {
        Path out = tmp.resolve("shared");
        TableStore store = TableStore.open(out.toString(), new Configuration(), new PrintWriter(new StringWriter()));
        store.abandon();
        Files.writeString(out.resolve("_lock.other.new"), "another run's file");
        store.close();
        assertTrue(Files.exists(out.resolve("_lock.other.new")), "another run's file was removed");
    }
}
