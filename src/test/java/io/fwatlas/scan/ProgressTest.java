package io.fwatlas.scan;

import static io.fwatlas.scan.ScanTestSupport.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.testfs.SlowFileSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read's progress: what a line says and when one is printed, by a clock the test moves; then a real scan. */
class ProgressTest {
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = ScanTestSupport.spark();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final long S = 1_000_000_000L;

    private static List<Progress.Part> parts() {
        return List.of(Progress.Part.bin("6.1.0-18-amd64", 10), Progress.Part.bin("6.1.0-18-amd64", 10),
                Progress.Part.bin("6.12.9+deb13-amd64", 5), Progress.Part.packageFile(), Progress.Part.firmwareDir());
    }

    @Test
    void plainLinesAtMostEveryIntervalWithCountsRateAndTimeLeft() {
        AtomicLong now = new AtomicLong(100 * S);
        StringWriter w = new StringWriter();
        Progress p = new Progress(parts(), new Progress.Settings(new PrintWriter(w), false, Duration.ofSeconds(2)),
                now::get);
        now.addAndGet(S);
        p.done(0);
        p.tick();
        assertEquals("", w.toString(), "nothing before the first interval");
        now.addAndGet(S + S / 2);
        p.tick();
        assertEquals("fwatlas scan: read 10 of 25 files, 0 of 2 kernels, 0 of 1 package, 0 of 1 firmware directory; "
                + "4 files/s, about 10 s left\n", w.toString());
        p.done(1);
        p.done(1); // a retried task counts once
        now.addAndGet(S);
        p.tick();
        assertEquals(1, w.toString().lines().count(), "not due yet");
        now.addAndGet(S + S / 2);
        p.tick();
        assertEquals("fwatlas scan: read 20 of 25 files, 1 of 2 kernels, 0 of 1 package, 0 of 1 firmware directory; "
                + "4 files/s, about 7 s left", w.toString().lines().toList().get(1)); // 5 s for 2 of 5 tasks: 7.5 s more
        now.addAndGet(5 * S);
        p.tick();
        assertEquals(2, w.toString().lines().count(), "nothing new, nothing printed");
        p.done(2);
        p.done(3);
        p.done(4);
        p.tick();
        assertEquals("fwatlas scan: read 25 of 25 files, 2 of 2 kernels, 1 of 1 package, 1 of 1 firmware directory; "
                + "3 files/s", w.toString().lines().toList().get(2)); // 25 files in 10 s
        p.finish();
        assertEquals(3, w.toString().lines().count());
    }

    @Test
    void aTerminalGetsOneLineRewrittenAndClearedAtTheEnd() {
        AtomicLong now = new AtomicLong(0);
        StringWriter w = new StringWriter();
        Progress p = new Progress(parts(), new Progress.Settings(new PrintWriter(w), true, Duration.ofSeconds(2)),
                now::get);
        now.addAndGet(3 * S);
        p.done(2);
        p.tick();
        now.addAndGet(3 * S);
        p.done(3);
        p.tick();
        p.finish();
        assertEquals("\r\033[Kfwatlas scan: read 5 of 25 files, 1 of 2 kernels, 0 of 1 package, 0 of 1 firmware "
                + "directory; 2 files/s, about 12 s left"
                + "\r\033[Kfwatlas scan: read 5 of 25 files, 1 of 2 kernels, 1 of 1 package, 0 of 1 firmware "
                + "directory; 1 files/s, about 9 s left" + "\r\033[K", w.toString()); // 6 s for 2 of 5 tasks
    }

    @Test
    void aShortRunPrintsNoProgress() {
        StringWriter w = new StringWriter();
        Progress p = new Progress(parts(), new Progress.Settings(new PrintWriter(w), true, Duration.ofSeconds(2)),
                () -> 0L);
        for (int i = 0; i < 5; i++) {
            p.done(i);
            p.tick();
        }
        p.finish();
        assertEquals("", w.toString());
    }

    private static final Pattern LINE = Pattern.compile(
            "fwatlas scan: read (\\d+) of (\\d+) files?, (\\d+) of (\\d+) kernels?(; \\d+ files/s)?(, about .* left)?");

    /** A scan slowed down (each module open waits) prints lines that count up to the listed files. */
    @Test
    void aSlowScanReportsItsProgressAndQuietSilencesIt() {
        String[] keys = {"spark.hadoop." + SlowFileSystem.DELAY_KEY, "spark.hadoop.fs.slowfile.impl.disable.cache",
            "spark.hadoop." + Progress.Settings.INTERVAL_KEY};
        System.setProperty(keys[0], "150");
        System.setProperty(keys[1], "true");
        System.setProperty(keys[2], "0");
        try {
            String in = SlowFileSystem.uri(ScanTestSupport.SAMPLES.resolve("mirror"));
            ScanTestSupport.Run r = scan("-o", tmp.resolve("a").toString(), in);
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.err().lines().filter(l -> l.startsWith("fwatlas scan: read ")
                    && !l.startsWith("fwatlas scan: read and staged")).toList();
            assertFalse(lines.isEmpty(), r.err());
            long total = -1;
            long last = 0;
            for (String l : lines) {
                Matcher m = LINE.matcher(l);
                assertTrue(m.matches(), l);
                long done = Long.parseLong(m.group(1));
                assertTrue(total < 0 || total == Long.parseLong(m.group(2)), l);
                total = Long.parseLong(m.group(2));
                assertTrue(done >= last && done <= total, l);
                assertEquals("2", m.group(4), l);
                last = done;
            }
            Matcher listed = Pattern.compile("reading (\\d+) files of 2 releases").matcher(r.err());
            assertTrue(listed.find(), r.err());
            assertEquals(Long.parseLong(listed.group(1)), total, r.err());

            ScanTestSupport.Run quiet = scan("--quiet", "-o", tmp.resolve("b").toString(), in);
            assertEquals(0, quiet.code(), quiet.err());
            assertEquals("", quiet.err(), "--quiet");
            assertTrue(quiet.out().contains("fwatlas scan: 2 kernels, "), quiet.out());
        } finally {
            for (String k : keys) {
                System.clearProperty(k);
            }
        }
    }
}
