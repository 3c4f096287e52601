package io.fwatlas.scan;

import static io.fwatlas.scan.ScanTestSupport.rows;
import static io.fwatlas.scan.ScanTestSupport.sample;
import static io.fwatlas.scan.ScanTestSupport.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.SampleGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 end to end: a release built of links into a store outside it (a deduplicated mirror, a
 * Nix-style system) scans to the rows of the real directory, through the scan command.
 */
class LinkedReleaseScanTest {
    static final String KERNEL = "6.1.0-18-amd64";

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

    /** Real directories as in {@code from}, and an absolute link for each of its files. */
    private static void linkFarm(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.createSymbolicLink(t, p.toAbsolutePath());
                }
            }
        }
    }

    @Test
    void releaseOfLinksScansToTheRowsOfTheRealDirectory() throws IOException {
        Path store = sample(SampleGenerator.DEB12);
        // Every file a link into the store, plus Debian's build link leaving the release.
        Path farm = tmp.resolve("farm");
        linkFarm(store, farm.resolve("lib/modules").resolve(KERNEL));
        Files.createSymbolicLink(farm.resolve("lib/modules").resolve(KERNEL).resolve("build"),
                Files.createDirectories(tmp.resolve("usr/src/linux-headers-" + KERNEL)));
        // The release directory itself a link into the store, as on Nix and Guix.
        Path nix = tmp.resolve("nix");
        Files.createDirectories(nix.resolve("lib/modules"));
        Files.createSymbolicLink(nix.resolve("lib/modules").resolve(KERNEL), store);

        Path realOut = tmp.resolve("out-real");
        ScanTestSupport.Run real = scan("-o", realOut.toString(), store.toString());
        assertEquals(0, real.code(), real.err());
        List<String> releases = List.of(SampleGenerator.DEB12);
        for (Path input : List.of(farm, nix)) {
            Path out = tmp.resolve("out-" + input.getFileName());
            ScanTestSupport.Run r = scan("-o", out.toString(), input.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("fwatlas scan: 1 kernel, " + Expected.goodModules(releases).size()
                    + " modules"), r.out());
            // Paths are the names inside the release, so every column but source is equal.
            assertEquals(rows(spark, realOut, "modinfo", Expected.MODINFO_COLUMNS),
                    rows(spark, out, "modinfo", Expected.MODINFO_COLUMNS), input.toString());
            assertEquals(rows(spark, realOut, "firmware", Expected.FIRMWARE_COLUMNS),
                    rows(spark, out, "firmware", Expected.FIRMWARE_COLUMNS), input.toString());
            assertEquals(rows(spark, realOut, "modules", Expected.MODULES_COLUMNS),
                    rows(spark, out, "modules", Expected.MODULES_COLUMNS), input.toString());
        }
        // And the real directory gives the specified rows.
        assertEquals(Expected.sorted(Expected.modinfo(releases)), rows(spark, realOut, "modinfo", Expected.MODINFO_COLUMNS));
        assertEquals(Expected.sorted(Expected.firmware(releases)),
                rows(spark, realOut, "firmware", Expected.FIRMWARE_COLUMNS));
    }
}
