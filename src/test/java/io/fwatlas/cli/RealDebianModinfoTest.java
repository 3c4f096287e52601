package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.query.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in: {@code export debian-modinfo} against the update-modinfo oracle on real kernels. Set
 * {@code -Dfwatlas.modinfo.kernels=DIR[:DIR...]} (or FWATLAS_MODINFO_KERNELS) to release
 * directories such as {@code ~/.cache/fwatlas/trees/linux-image-6.12.*-amd64-unsigned/lib/modules/<release>},
 * or to a set that jobs/fetch-debian-kernels prints (its trees' releases are taken); they are
 * scanned, and each kernel alone and all of them together must give the oracle's bytes.
 */
class RealDebianModinfoTest {
    @TempDir
    Path tmp;

    @Test
    void sameBytesAsUpdateModinfoOnRealKernels() throws Exception {
        String dirs = System.getProperty("fwatlas.modinfo.kernels", System.getenv("FWATLAS_MODINFO_KERNELS"));
        assumeTrue(dirs != null && !dirs.isBlank(), "set -Dfwatlas.modinfo.kernels to run");
        List<Path> releases = new ArrayList<>();
        for (String d : dirs.split(":")) {
            if (!d.isBlank()) {
                releases.addAll(releases(Path.of(d).toAbsolutePath()));
            }
        }
        assertTrue(!releases.isEmpty(), "no release directory in " + dirs);
        SparkSession spark = TestSpark.start();
        try {
            String table = tmp.resolve("atlas").toString();
            List<String> scan = new ArrayList<>(List.of("scan", "--output", table));
            releases.forEach(p -> scan.add(p.toString()));
            CliHarness.Run s = CliHarness.fwatlas(scan.toArray(new String[0]));
            assertEquals(0, s.code(), s.err());
            List<List<Path>> runs = new ArrayList<>();
            releases.forEach(p -> runs.add(List.of(p)));
            if (releases.size() > 1) {
                runs.add(releases);
            }
            for (List<Path> run : runs) {
                List<String> args = new ArrayList<>(List.of("export", "--table", table, "debian-modinfo"));
                run.forEach(p -> args.add(p.getFileName().toString()));
                long t0 = System.nanoTime();
                CliHarness.Run r = CliHarness.fwatlas(args.toArray(new String[0]));
                long t1 = System.nanoTime();
                assertEquals(0, r.code(), r.err());
                String expected = DebianModinfoExportTest.oracle(run);
                long t2 = System.nanoTime();
                assertEquals(expected, r.latin1(), "kernels " + args.subList(4, args.size()));
                System.out.printf("RealDebianModinfoTest: %s: %d bytes, %d keys; export %.1f s, oracle %.1f s%n",
                        args.subList(4, args.size()), r.out().length, r.text().lines().filter(l -> l.startsWith("  \""))
                                .count(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            }
        } finally {
            spark.stop();
        }
    }

    /** DIR itself when it holds kernel/, else the releases of DIR/lib/modules and DIR/x/lib/modules. */
    static List<Path> releases(Path dir) throws IOException {
        if (Files.isDirectory(dir.resolve("kernel"))) {
            return List.of(dir);
        }
        List<Path> found = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(dir));
        try (Stream<Path> s = Files.list(dir)) {
            s.sorted().forEach(roots::add);
        }
        for (Path root : roots) {
            Path modules = root.resolve("lib/modules");
            if (Files.isDirectory(modules)) {
                try (Stream<Path> s = Files.list(modules)) {
                    s.sorted().filter(p -> Files.isDirectory(p.resolve("kernel"))).forEach(found::add);
                }
            }
        }
        return found;
    }
}
