package io.fwatlas.scan;

import static io.fwatlas.scan.ScanTestSupport.rows;
import static io.fwatlas.scan.ScanTestSupport.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.SampleGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import io.fwatlas.query.KernelSummaryCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scan --incremental, --prune and --digest on copies of data-samples, through the scan command. */
class IncrementalTest {
    static final String S390 = "5.10.0-30-s390x";
    static final String ARM = "4.9.0-13-armmp";
    static final String DEB12 = "6.1.0-18-amd64";
    static final String QETH = "kernel/drivers/s390/net/qeth.ko";
    static final String WL18XX = "kernel/drivers/net/wireless/ti/wl18xx/wl18xx.ko";

    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = ScanTestSupport.spark();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A directory holding copies of sample releases (paths below data-samples). */
    static Path inputs(String name, String... releases) throws IOException {
        Path dir = tmp.resolve(name);
        for (String r : releases) {
            ScanTestSupport.copyTree(ScanTestSupport.sample(r), dir.resolve(Path.of(r).getFileName().toString()));
        }
        return dir;
    }

    static ScanTestSupport.Run ok(String... args) {
        ScanTestSupport.Run r = scan(args);
        assertEquals(0, r.code(), r.err());
        return r;
    }

    /** The releases line says {@code want}, then how many kernels the table holds; returns that number. */
    static int assertReleases(String want, ScanTestSupport.Run r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^releases: " + java.util.regex.Pattern.quote(want)
                + "; the table holds (\\d+) kernels?$").matcher(r.out());
        assertTrue(m.find(), "want 'releases: " + want + "; the table holds N kernels' in:\n" + r.out());
        return Integer.parseInt(m.group(1));
    }

    /** The kernels of a table, by its modules partitions. */
    static long partitions(Path out) throws IOException {
        try (var s = Files.list(out.resolve("modules"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("kernel=")).count();
        }
    }

    /** Every file of the tables and manifests: content hash, size and modification time. */
    static Map<String, String> state(Path out) throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (String d : List.of("firmware", "modinfo", "modules", TableLayout.MANIFESTS)) {
            all.putAll(files(out.resolve(d), d + "/"));
        }
        return all;
    }

    /** The files of one kernel's partitions in all three tables. */
    static Map<String, String> partitions(Path out, String kernel) throws IOException {
        Map<String, String> all = new TreeMap<>();
        for (String t : Tables.NAMES) {
            String part = t + "/kernel=" + kernel;
            all.putAll(files(out.resolve(part), part + "/"));
        }
        return all;
    }

    private static Map<String, String> files(Path dir, String prefix) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.naturalOrder())::iterator) {
                if (Files.isRegularFile(p)) {
                    byte[] b = Files.readAllBytes(p);
                    out.put(prefix + dir.relativize(p), HexFormat.of().formatHex(sha256(b)) + " " + b.length + "@"
                            + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path manifest(Path out, String kernel) {
        return out.resolve(TableLayout.MANIFESTS).resolve(kernel + ".json");
    }

    @Test
    void unchangedRescanSkipsEveryReleaseAndTouchesNothing() throws IOException {
        Path out = tmp.resolve("unchanged");
        String rootfs = ScanTestSupport.SAMPLES.resolve("rootfs").toString();
        String mirror = ScanTestSupport.SAMPLES.resolve("mirror").toString();
        assertReleases("0 unchanged (skipped), 0 rescanned, 4 new, 0 pruned", ok("-o", out.toString(), rootfs, mirror));
        for (String k : List.of(S390, ARM, DEB12, "6.12.9+deb13-amd64")) {
            assertTrue(Files.isRegularFile(manifest(out, k)), "no manifest for " + k);
        }
        Map<String, String> before = state(out);

        ScanTestSupport.Run r = ok("-o", out.toString(), "--incremental", rootfs, mirror);
        // nothing read, but the summary says what the table holds
        assertEquals(4, assertReleases("4 unchanged (skipped), 0 rescanned, 0 new, 0 pruned", r));
        assertEquals(4, partitions(out));
        assertTrue(r.out().contains("fwatlas scan: 0 kernels, 0 modules"), r.out());
        assertEquals(before, state(out));
        assertFalse(Files.exists(out.resolve(TableLayout.STAGING)), "staging left behind");
        List<String> all = List.of(SampleGenerator.DEB12, SampleGenerator.DEB13, SampleGenerator.S390,
                SampleGenerator.ARM);
        assertEquals(Expected.sorted(Expected.modules(all)), rows(spark, out, "modules", Expected.MODULES_COLUMNS));

        // Without --incremental everything is read again, as before manifests existed.
        assertReleases("0 unchanged (skipped), 4 rescanned, 0 new, 0 pruned", ok("-o", out.toString(), rootfs, mirror));
    }

    @Test
    void aChangedModuleRescansOnlyItsRelease() throws IOException {
        Path in = inputs("touched-in", SampleGenerator.S390, SampleGenerator.ARM);
        Path out = tmp.resolve("touched");
        ok("-o", out.toString(), in.toString());
        Map<String, String> arm = partitions(out, ARM);
        Map<String, String> s390 = partitions(out, S390);

        Path qeth = in.resolve(S390).resolve(QETH);
        long size = Files.size(qeth);
        Files.write(qeth, new byte[1], java.nio.file.StandardOpenOption.APPEND);
        ScanTestSupport.Run r = ok("-o", out.toString(), "--incremental", in.toString());
        assertReleases("1 unchanged (skipped), 1 rescanned, 0 new, 0 pruned", r);
        assertTrue(r.out().contains("fwatlas scan: 1 kernel,"), r.out());
        assertEquals(arm, partitions(out, ARM), "the unchanged release was rewritten");
        assertNotEquals(s390, partitions(out, S390));
        assertEquals(List.of(String.valueOf(size + 1)), spark.read().parquet(out.resolve("modules").toString())
                .filter("path = '" + QETH + "'").selectExpr("cast(size as string)").as(
                        org.apache.spark.sql.Encoders.STRING()).collectAsList());
        KernelSummaryCheck.assertStatsMatchTheRows(spark, out.toString());

        // The new manifest describes the new bytes; a modification time alone is a change too.
        assertReleases("2 unchanged (skipped), 0 rescanned, 0 new, 0 pruned",
                ok("-o", out.toString(), "--incremental", in.toString()));
        arm = partitions(out, ARM);
        Path wl = in.resolve(ARM).resolve(WL18XX);
        Files.setLastModifiedTime(wl, FileTime.fromMillis(Files.getLastModifiedTime(wl).toMillis() + 60_000));
        assertReleases("1 unchanged (skipped), 1 rescanned, 0 new, 0 pruned",
                ok("-o", out.toString(), "--incremental", in.toString()));
        assertNotEquals(arm, partitions(out, ARM));
        KernelSummaryCheck.assertStatsMatchTheRows(spark, out.toString());
    }

    @Test
    void newReleasesAreReadAloneAndVanishedOnesGoOnlyWithPrune() throws IOException {
        Path in = inputs("grow-in", SampleGenerator.S390, SampleGenerator.ARM);
        Path out = tmp.resolve("grow");
        ok("-o", out.toString(), in.toString());
        Map<String, String> arm = partitions(out, ARM);
        Map<String, String> s390 = partitions(out, S390);

        ScanTestSupport.copyTree(ScanTestSupport.sample(SampleGenerator.DEB12), in.resolve(DEB12));
        ScanTestSupport.Run r = ok("-o", out.toString(), "--incremental", in.toString());
        assertReleases("2 unchanged (skipped), 0 rescanned, 1 new, 0 pruned", r);
        assertEquals(arm, partitions(out, ARM));
        assertEquals(s390, partitions(out, S390));
        assertTrue(Files.isDirectory(out.resolve("modules/kernel=" + DEB12)));
        assertTrue(Files.isRegularFile(manifest(out, DEB12)));
        Map<String, String> deb12 = partitions(out, DEB12);
        KernelSummaryCheck.assertStatsMatchTheRows(spark, out.toString());

        try (Stream<Path> s = Files.walk(in.resolve(ARM))) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
        assertEquals(3, assertReleases("2 unchanged (skipped), 0 rescanned, 0 new, 0 pruned",
                ok("-o", out.toString(), "--incremental", in.toString())));
        assertEquals(arm, partitions(out, ARM), "gone from the inputs, but kept without --prune");
        assertTrue(Files.isRegularFile(manifest(out, ARM)));

        assertEquals(2, assertReleases("2 unchanged (skipped), 0 rescanned, 0 new, 1 pruned",
                ok("-o", out.toString(), "--incremental", "--prune", in.toString())));
        assertEquals(Map.of(), partitions(out, ARM));
        for (String t : Tables.NAMES) {
            assertFalse(Files.exists(out.resolve(t).resolve("kernel=" + ARM)), t);
        }
        assertFalse(Files.exists(manifest(out, ARM)));
        assertEquals(s390, partitions(out, S390));
        assertEquals(deb12, partitions(out, DEB12));
        List<String> left = List.of(SampleGenerator.S390, SampleGenerator.DEB12);
        assertEquals(Expected.sorted(Expected.modules(left)), rows(spark, out, "modules", Expected.MODULES_COLUMNS));
        assertEquals(Expected.sorted(Expected.firmware(left)), rows(spark, out, "firmware", Expected.FIRMWARE_COLUMNS));
        KernelSummaryCheck.assertStatsMatchTheRows(spark, out.toString());
    }

    @Test
    void digestSeesAChangeThatKeepsSizeAndModificationTime() throws IOException {
        Path in = inputs("digest-in", SampleGenerator.S390, SampleGenerator.ARM);
        Path out = tmp.resolve("digest");
        ok("-o", out.toString(), "--digest", in.toString());
        assertTrue(Files.readString(manifest(out, ARM)).matches("(?s).*\"content_sha256\" : \"[0-9a-f]{64}\".*"),
                Files.readString(manifest(out, ARM)));

        Path wl = in.resolve(ARM).resolve(WL18XX);
        FileTime mtime = Files.getLastModifiedTime(wl);
        byte[] b = Files.readAllBytes(wl);
        String text = new String(b, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("wl18xx-fw-4.bin");
        assertTrue(at > 0, "sample firmware string not found");
        b[at + "wl18xx-fw-".length()] = '5';
        Files.write(wl, b);
        Files.setLastModifiedTime(wl, mtime);

        // Size and time are all the cheap fingerprint sees: the change goes unnoticed.
        assertReleases("2 unchanged (skipped), 0 rescanned, 0 new, 0 pruned",
                ok("-o", out.toString(), "--incremental", in.toString()));
        assertTrue(firmware(out).contains("ti-connectivity/wl18xx-fw-4.bin"), firmware(out).toString());

        assertReleases("1 unchanged (skipped), 1 rescanned, 0 new, 0 pruned",
                ok("-o", out.toString(), "--incremental", "--digest", in.toString()));
        List<String> fw = firmware(out);
        assertTrue(fw.contains("ti-connectivity/wl18xx-fw-5.bin"), fw.toString());
        assertFalse(fw.contains("ti-connectivity/wl18xx-fw-4.bin"), fw.toString());
        assertReleases("2 unchanged (skipped), 0 rescanned, 0 new, 0 pruned",
                ok("-o", out.toString(), "--incremental", "--digest", in.toString()));
    }

    private static List<String> firmware(Path out) {
        return spark.read().parquet(out.resolve("firmware").toString()).select("firmware")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }
}
