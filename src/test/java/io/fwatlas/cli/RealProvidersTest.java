package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.FirmwareResolver;
import io.fwatlas.query.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in: real Debian kernels and firmware packages scanned into one table, resolved without
 * {@code --firmware-dir}; for every (kernel, module, firmware) row, the providers must be exactly
 * the packages in whose {@code dpkg-deb -x} extraction {@link FirmwareResolver} (dracut's rules on
 * the real files and links) finds the name. Run with
 * {@code -Dfwatlas.providers.kernels=DIR -Dfwatlas.providers.debs=DIR[:DIR...]}, for example the
 * sets of {@code jobs/fetch-debian-kernels --set history} and {@code jobs/fetch-debian-firmware}.
 */
class RealProvidersTest {
    @TempDir
    Path tmp;

    @Test
    void providersAreThePackagesWhoseExtractedFilesDracutFinds() throws Exception {
        String kernels = System.getProperty("fwatlas.providers.kernels");
        String debs = System.getProperty("fwatlas.providers.debs");
        Assumptions.assumeTrue(kernels != null && debs != null,
                "set -Dfwatlas.providers.kernels=DIR -Dfwatlas.providers.debs=DIR[:DIR...]");
        List<Path> packages = new ArrayList<>();
        for (String d : debs.split(":")) {
            try (Stream<Path> s = Files.walk(Path.of(d))) {
                s.filter(p -> p.toString().endsWith(".deb")).sorted().forEach(packages::add);
            }
        }
        assertTrue(!packages.isEmpty(), "no .deb under " + debs);
        // each package extracted by dpkg, keyed Package_Version as resolve names it
        Map<String, FirmwareResolver> extracted = new LinkedHashMap<>();
        for (Path deb : packages) {
            String key = dpkg("-f", deb.toString(), "Package").strip() + "_" + dpkg("-f", deb.toString(), "Version")
                    .strip();
            Path dir = tmp.resolve(key);
            dpkg("-x", deb.toString(), dir.toString());
            Path root = Files.isDirectory(dir.resolve("usr/lib/firmware")) ? dir.resolve("usr/lib/firmware")
                    : dir.resolve("lib/firmware");
            Assumptions.assumeTrue(Files.isDirectory(root), deb + " has no firmware root");
            extracted.put(key, new FirmwareResolver(List.of(root)));
        }
        Path table = tmp.resolve("atlas");
        List<String> args = new ArrayList<>(List.of("scan", "--output", table.toString(), kernels));
        packages.forEach(p -> args.add(p.toString()));
        CliHarness.Run scan = CliHarness.fwatlas(args.toArray(new String[0]));
        assertEquals(0, scan.code(), scan.err());
        CliHarness.Run resolve = CliHarness.fwatlas("resolve", "--table", table.toString());
        assertEquals(0, resolve.code(), resolve.err());

        SparkSession spark = TestSpark.start();
        try {
            List<Row> rows = AtlasTables.open(spark, table.toString()).resolved()
                    .select("kernel", "firmware", "status", "providers").distinct().collectAsList();
            int found = 0;
            List<String> wrong = new ArrayList<>();
            for (Row r : rows) {
                TreeSet<String> want = new TreeSet<>();
                extracted.forEach((key, resolver) -> {
                    if (resolver.resolve(r.getString(0), r.getString(1)).status().equals(FirmwareResolver.FOUND)) {
                        want.add(key);
                    }
                });
                List<String> got = r.getList(3);
                if (!new ArrayList<>(want).equals(got)
                        || r.getString(2).equals(FirmwareResolver.FOUND) == want.isEmpty()) {
                    wrong.add(r.getString(0) + " " + r.getString(1) + ": " + r.getString(2) + " " + got
                            + ", dracut's rules find it in " + want);
                }
                found += want.isEmpty() ? 0 : 1;
            }
            System.out.printf("RealProvidersTest: %d packages, %d (kernel, firmware) pairs, %d found, %d differ%n",
                    extracted.size(), rows.size(), found, wrong.size());
            assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size() + " pairs differ");
            assertTrue(found > 0, "nothing found at all");
        } finally {
            spark.stop();
        }
    }

    private static String dpkg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dpkg-deb"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
