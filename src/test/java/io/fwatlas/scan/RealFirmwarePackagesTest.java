package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.FirmwareListing;
import io.fwatlas.fixtures.FirmwareListing.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in: scans real Debian firmware packages into one output and checks, for every package, that
 * {@code firmware_files} holds exactly what {@code dpkg-deb -c} lists below {@code lib/firmware/} or
 * {@code usr/lib/firmware/}: regular files with their sizes, symbolic links ('l', "NAME -> TARGET")
 * with their targets as stored, hard links ('h', "NAME link to MEMBER", listed with size 0) as files
 * of the size of the member they name; directories are no rows. {@code firmware_packages} names each
 * package as {@code dpkg-deb -f PKG Package Version} does, and every file's sha256 is
 * {@code sha256sum}'s of the bytes {@code dpkg-deb -x} extracts. Run it on what
 * jobs/fetch-debian-firmware fetched:
 * {@code mvn test -Dtest=RealFirmwarePackagesTest -Dfwatlas.firmware.dir=$HOME/.cache/fwatlas/firmware}
 * (every *.deb below DIR); {@code -Dfwatlas.firmware.sha=N} checks every N-th file's sha256 only.
 */
class RealFirmwarePackagesTest {
    @TempDir
    Path tmp;

    @Test
    void firmwareFilesAreWhatDpkgDebLists() throws IOException {
        String dir = System.getProperty("fwatlas.firmware.dir");
        assumeTrue(dir != null && !dir.isEmpty(), "set -Dfwatlas.firmware.dir=DIR to scan real firmware packages");
        assumeTrue(FirmwareListing.onPath("dpkg-deb", "sha256sum"), "dpkg-deb not installed");
        int every = Integer.parseInt(System.getProperty("fwatlas.firmware.sha", "1"));
        List<Path> debs;
        try (Stream<Path> s = Files.walk(Path.of(dir).toAbsolutePath())) {
            debs = s.filter(p -> p.getFileName().toString().endsWith(".deb") && Files.isRegularFile(p)
                    && !p.toString().contains("/partial/")).sorted().toList();
        }
        assertFalse(debs.isEmpty(), "no .deb below " + dir);
        Set<String> names = new HashSet<>();
        debs.forEach(d -> assertTrue(names.add(d.getFileName().toString()), "two packages named " + d.getFileName()));

        long t0 = System.currentTimeMillis();
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("-o", out.toString()));
        debs.forEach(d -> args.add(d.toString()));
        ScanTestSupport.Run run = ScanTestSupport.scan(args.toArray(new String[0]));
        assertEquals(0, run.code(), run.err());
        long scanned = System.currentTimeMillis();

        SparkSession spark = ScanTestSupport.spark();
        Map<String, List<Row>> files = new HashMap<>();
        Map<String, Row> packages = new HashMap<>();
        try {
            for (Row r : spark.read().parquet(out.resolve(Tables.FIRMWARE_FILES).toString()).collectAsList()) {
                files.computeIfAbsent(r.getAs("source"), k -> new ArrayList<>()).add(r);
            }
            for (Row r : spark.read().parquet(out.resolve(Tables.FIRMWARE_PACKAGES).toString()).collectAsList()) {
                assertTrue(packages.put(r.getAs("source"), r) == null, "two firmware_packages rows of " + r);
            }
        } finally {
            spark.stop();
        }
        assertEquals(names, packages.keySet());

        long rows = 0;
        long links = 0;
        long hashed = 0;
        for (Path deb : debs) {
            String source = deb.getFileName().toString();
            List<Entry> want = FirmwareListing.dpkgDeb(deb);
            List<Row> got = files.getOrDefault(source, List.of());
            List<String> wantRows = new ArrayList<>(want.stream().map(Entry::row).toList());
            List<String> gotRows = new ArrayList<>();
            Map<String, Row> byPath = new HashMap<>();
            for (Row r : got) {
                assertEquals(Tables.STATUS_OK, r.<Object>getAs("status"), source + ": " + r);
                String kind = r.getAs("kind");
                String path = r.getAs("path");
                gotRows.add(kind + " " + path + (kind.equals("link") ? " -> " + r.getAs("target") : " " + r.getAs("size")));
                byPath.put(path, r);
            }
            wantRows.sort(null);
            gotRows.sort(null);
            assertEquals(wantRows, gotRows, source);
            assertEquals(wantRows.size(), byPath.size(), source + ": a path twice");

            Row pkg = packages.get(source);
            assertEquals(FirmwareListing.dpkgField(deb, "Package"), pkg.<Object>getAs("package"), source);
            assertEquals(FirmwareListing.dpkgField(deb, "Version"), pkg.<Object>getAs("version"), source);
            assertEquals(Tables.STATUS_OK, pkg.<Object>getAs("status"), source);
            assertEquals("deb", pkg.<Object>getAs("format"), source);
            long wantLinks = want.stream().filter(e -> e.kind().equals("link")).count();
            assertEquals(want.size() - wantLinks, (long) pkg.<Long>getAs("files"), source);
            assertEquals(wantLinks, (long) pkg.<Long>getAs("links"), source);
            for (Row r : got) {
                assertEquals(pkg.<Object>getAs("package"), r.<Object>getAs("package"), source);
                assertEquals(pkg.<Object>getAs("version"), r.<Object>getAs("version"), source);
            }

            // sha256sum of what dpkg-deb -x extracts
            Path x = Files.createDirectories(tmp.resolve("x").resolve(source));
            FirmwareListing.run("dpkg-deb", "-x", deb.toString(), x.toString());
            List<String> cmd = new ArrayList<>(List.of("sha256sum", "--"));
            List<Entry> sample = new ArrayList<>();
            int i = 0;
            for (Entry e : want) {
                if (e.kind().equals("file") && i++ % every == 0) {
                    sample.add(e);
                    cmd.add(x.resolve(e.member().startsWith("./") ? e.member().substring(2) : e.member()).toString());
                }
            }
            if (!sample.isEmpty()) {
                String[] sums = FirmwareListing.run(cmd.toArray(new String[0])).split("\n");
                assertEquals(sample.size(), sums.length, source);
                for (int k = 0; k < sample.size(); k++) {
                    assertEquals(sums[k].substring(0, 64), byPath.get(sample.get(k).path()).<Object>getAs("sha256"),
                            source + ": " + sample.get(k).path());
                }
            }
            deleteTree(x);
            rows += want.size();
            links += wantLinks;
            hashed += sample.size();
        }
        long done = System.currentTimeMillis();
        System.out.printf("real firmware packages: %d packages, %d rows equal to dpkg-deb -c (%d links), %d sha256 "
                        + "equal to sha256sum of dpkg-deb -x; scan %.1f s, comparison %.1f s%n", debs.size(), rows, links,
                hashed, (scanned - t0) / 1000.0, (done - scanned) / 1000.0);
        System.out.println(run.out().strip());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
