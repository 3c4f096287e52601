package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.PackageFixtures;
import io.fwatlas.fixtures.PackageFixtures.PackagedModule;
import io.fwatlas.module.ModuleReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import io.fwatlas.query.KernelSummaryCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Package files as scan inputs: the same tables as their extracted trees, faults as rows, incremental skips. */
class ScanPackagesTest {
    static final Path FIXTURES = PackageFixtures.DIR.toAbsolutePath();

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path all;
    static ScanTestSupport.Run allRun;

    @BeforeAll
    static void scanAllFixtures() {
        spark = ScanTestSupport.spark();
        all = tmp.resolve("all");
        // a limit the bomb fixtures pass (they expand to 100 MiB) and the good packages stay far below
        allRun = ScanTestSupport.scan("-o", all.toString(), "--max-package-expansion", "64MiB", FIXTURES.toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Rows of {@code table} read back by Spark: kernel then the file's columns, source last. */
    private static List<List<Object>> rows(Path out, String table) {
        List<List<Object>> rows = new ArrayList<>();
        List<String> columns = new ArrayList<>(List.of("kernel"));
        Tables.schema(table).getFields().forEach(f -> columns.add(f.getName()));
        for (Row r : spark.read().parquet(out.resolve(table).toString())
                .selectExpr(columns.toArray(new String[0])).collectAsList()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                l.add(r.get(i));
            }
            rows.add(l);
        }
        return rows;
    }

    /** The rows the tree scan gives the same modules written out as a release tree, source dropped. */
    private static Map<String, List<String>> treeRows(String pkg) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("trees").resolve(pkg));
        List<String> kernels = new ArrayList<>();
        for (PackagedModule m : PackageFixtures.goodModules().get(pkg)) {
            Path f = root.resolve(m.kernel()).resolve(m.path());
            Files.createDirectories(f.getParent());
            Files.write(f, m.data());
            if (!kernels.contains(m.kernel())) {
                kernels.add(m.kernel());
            }
        }
        for (String k : PackageFixtures.builtinKernels(pkg)) {
            Files.write(root.resolve(k).resolve("modules.builtin.modinfo"), PackageFixtures.builtin(k));
        }
        Map<String, List<String>> out = new TreeMap<>();
        Tables.NAMES.forEach(t -> out.put(t, new ArrayList<>()));
        ModuleReader reader = new ModuleReader();
        for (String k : kernels) {
            for (FileTask t : ReleaseLister.listLocal(new Release(k, root.resolve(k).toString(), true))) {
                ReadModules.rows(reader, t, null, (table, row) -> {
                    List<Object> l = new ArrayList<>(List.of(k));
                    l.addAll(java.util.Arrays.asList(row).subList(0, row.length - 1));
                    out.get(table).add(String.valueOf(l));
                });
            }
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    private static Map<String, List<String>> packageRows(Path table, String pkg) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String t : Tables.NAMES) {
            List<String> l = new ArrayList<>();
            for (List<Object> r : rows(table, t)) {
                if (pkg.equals(r.get(r.size() - 1))) {
                    l.add(String.valueOf(r.subList(0, r.size() - 1)));
                }
            }
            l.sort(null);
            out.put(t, l);
        }
        return out;
    }

    @Test
    void everyGoodPackageGivesTheTablesOfItsExtractedTree() throws IOException {
        assertEquals(0, allRun.code(), allRun.err());
        for (String pkg : PackageFixtures.goodModules().keySet()) {
            Map<String, List<String>> want = treeRows(pkg);
            assertFalse(want.get(Tables.FIRMWARE).isEmpty(), pkg);
            assertEquals(want, packageRows(all, pkg), pkg);
        }
    }

    @Test
    void aBadPackageGivesErrorRowsNamingItAndKeepsWhatCameBefore() throws IOException {
        List<String> failing;
        try (Stream<Path> s = Files.list(FIXTURES)) {
            failing = s.map(p -> p.getFileName().toString()).filter(n -> n.contains("-fail.")).sorted().toList();
        }
        assertTrue(failing.size() >= 15, failing.toString());
        List<List<Object>> modules = rows(all, Tables.MODULES);
        // a firmware package's errors are rows of firmware_files (ScanFirmwareTest reads them)
        List<Row> firmwareErrors = spark.read().parquet(all.resolve(Tables.FIRMWARE_FILES).toString())
                .where("status = 'error'").collectAsList();
        for (String pkg : failing) {
            List<List<Object>> errors = modules.stream()
                    .filter(r -> pkg.equals(r.get(15)) && Tables.STATUS_ERROR.equals(r.get(12))).toList();
            boolean firmwareError = firmwareErrors.stream().anyMatch(r -> pkg.equals(r.getAs("source")));
            assertTrue(!errors.isEmpty() || firmwareError, pkg + " has no error row");
        }
        // deb-cut-data-fail.deb is cut inside a module of its data.tar: the modules before it are rows
        long before = modules.stream().filter(r -> "deb-cut-data-fail.deb".equals(r.get(15))
                && Tables.STATUS_OK.equals(r.get(12))).count();
        assertTrue(before > 0, "no module kept before the fault");
        long packages;
        try (Stream<Path> s = Files.list(FIXTURES)) {
            packages = s.count();
        }
        assertTrue(allRun.out().contains("packages: " + packages + " read, 0 unchanged (skipped), 0 without modules"),
                allRun.out());
    }

    /** One kernel from a tree archive, debs and rpms with the same paths, hostile packages: what query kernels reads is what the rows hold. */
    @Test
    void theRecordedKernelStatsAreWhatTheRowsCount() throws IOException {
        KernelSummaryCheck.assertStatsMatchTheRows(spark, all.toString());
    }

    @Test
    void twoPackagesOfOneReleaseAreBothKeptBySource() {
        // deb-zst.deb, rpm-xz.rpm, tree.tar and others all carry 6.1.0-18-amd64
        List<Object> sources = rows(all, Tables.FIRMWARE).stream()
                .filter(r -> PackageFixtures.K12.equals(r.get(0))).map(r -> r.get(5)).distinct().toList();
        assertTrue(sources.containsAll(List.of("deb-zst.deb", "rpm-xz.rpm", "tree.tar")), sources.toString());
    }

    @Test
    void aPackageWithoutModulesIsNamedInTheSummaryNotAnError() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty-pkg"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(b)) {
            byte[] data = "not a module\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            TarArchiveEntry e = new TarArchiveEntry("usr/share/doc/readme");
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        Files.write(dir.resolve("docs.tar"), b.toByteArray());
        Files.copy(FIXTURES.resolve("deb-xz.deb"), dir.resolve("deb-xz.deb"));
        ScanTestSupport.Run r = ScanTestSupport.scan("-o", tmp.resolve("empty-out").toString(), dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("packages: 2 read, 0 unchanged (skipped), 1 without modules: docs.tar"), r.out());
        assertTrue(r.out().contains(", 0 errors"), r.out());
    }

    @Test
    void anUnchangedPackageIsNotReadAgainAndAChangedOneBringsItsReleaseCompanions() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("inc"));
        for (String p : List.of("deb-xz.deb", "deb-zst.deb", "rpm-xz.rpm")) {
            Files.copy(FIXTURES.resolve(p), dir.resolve(p));
        }
        Path out = tmp.resolve("inc-out");
        ScanTestSupport.Run first = ScanTestSupport.scan("-o", out.toString(), "--incremental", dir.toString());
        assertEquals(0, first.code(), first.err());
        List<List<Object>> before = rows(out, Tables.MODINFO);

        ScanTestSupport.Run same = ScanTestSupport.scan("-o", out.toString(), "--incremental", dir.toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("packages: 0 read, 3 unchanged (skipped)"), same.out());

        // rpm-xz.rpm changes; deb-zst.deb holds the same release, so it is read again too; deb-xz.deb is not
        Files.setLastModifiedTime(dir.resolve("rpm-xz.rpm"), FileTime.fromMillis(1_000_000_000_000L));
        ScanTestSupport.Run changed = ScanTestSupport.scan("-o", out.toString(), "--incremental", dir.toString());
        assertEquals(0, changed.code(), changed.err());
        assertTrue(changed.out().contains("packages: 2 read, 1 unchanged (skipped)"), changed.out());
        List<List<Object>> after = rows(out, Tables.MODINFO);
        assertEquals(sorted(before), sorted(after));

        // deb-xz.deb alone holds 6.12.9+deb13-amd64: without it, --prune removes that kernel only
        Files.delete(dir.resolve("deb-xz.deb"));
        ScanTestSupport.Run pruned = ScanTestSupport.scan("-o", out.toString(), "--incremental", "--prune",
                dir.toString());
        assertEquals(0, pruned.code(), pruned.err());
        assertTrue(pruned.out().contains("0 rescanned, 0 new, 1 pruned"), pruned.out());
        assertTrue(pruned.out().contains("packages: 0 read, 2 unchanged (skipped)"), pruned.out());
        assertEquals(List.of(PackageFixtures.K12), rows(out, Tables.MODULES).stream().map(r -> r.get(0))
                .distinct().toList());
    }

    /**
     * Opt-in: {@code -Dfwatlas.debs.dir=DIR} scans the real linux-image .deb files there and their
     * trees as jobs/fetch-debian-kernels extracted them ({@code DIR/../trees/<package>}), and checks
     * that the three tables hold the same rows, every column but source.
     */
    @Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "fwatlas.debs.dir", matches = ".+")
    void realDebsGiveTheTablesOfTheirExtractedTrees() throws IOException {
        Path debs = Path.of(System.getProperty("fwatlas.debs.dir")).toAbsolutePath();
        List<String> trees = new ArrayList<>();
        try (Stream<Path> s = Files.list(debs)) {
            for (Path d : s.filter(p -> p.getFileName().toString().matches("linux-image-.*\\.deb")).sorted().toList()) {
                String name = d.getFileName().toString();
                trees.add(debs.resolveSibling("trees").resolve(name.substring(0, name.indexOf('_'))).toString());
            }
        }
        assertFalse(trees.isEmpty(), "no linux-image-*.deb in " + debs);
        Path fromDebs = tmp.resolve("real-debs");
        Path fromTrees = tmp.resolve("real-trees");
        ScanTestSupport.Run a = ScanTestSupport.scan("-o", fromDebs.toString(), debs.toString());
        assertEquals(0, a.code(), a.err());
        List<String> args = new ArrayList<>(List.of("-o", fromTrees.toString()));
        args.addAll(trees);
        ScanTestSupport.Run b = ScanTestSupport.scan(args.toArray(new String[0]));
        assertEquals(0, b.code(), b.err());
        for (String t : Tables.NAMES) {
            org.apache.spark.sql.Dataset<Row> x = spark.read().parquet(fromDebs.resolve(t).toString()).drop("source");
            org.apache.spark.sql.Dataset<Row> y = spark.read().parquet(fromTrees.resolve(t).toString()).drop("source");
            long rows = x.count();
            assertTrue(rows > 0, t);
            assertEquals(rows, y.count(), t + " rows");
            assertEquals(0, x.exceptAll(y).count(), t + " rows only in the package scan");
            assertEquals(0, y.exceptAll(x).count(), t + " rows only in the tree scan");
            System.out.printf("%s: %d identical rows%n", t, rows);
        }
    }

    @Test
    void aRunWithoutSomeInputsOfAReleaseSaysWhoseRowsItReplaces() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("two"));
        for (String p : List.of("deb-zst.deb", "rpm-xz.rpm")) {
            Files.copy(FIXTURES.resolve(p), dir.resolve(p));
        }
        Path out = tmp.resolve("two-out");
        ScanTestSupport.Run both = ScanTestSupport.scan("-o", out.toString(), dir.toString());
        assertEquals(0, both.code(), both.err());
        assertFalse(both.err().contains("are replaced"), both.err());
        ScanTestSupport.Run one = ScanTestSupport.scan("-o", out.toString(), dir.resolve("deb-zst.deb").toString());
        assertEquals(0, one.code(), one.err());
        assertTrue(one.err().contains("fwatlas scan: " + PackageFixtures.K12 + ": the rows read earlier from "
                + "rpm-xz.rpm are replaced; this run's inputs do not include it"), one.err());
        assertEquals(List.of("deb-zst.deb"), rows(out, Tables.MODULES).stream().map(r -> r.get(15)).distinct()
                .toList());
    }

    private static List<String> sorted(List<List<Object>> rows) {
        List<String> l = new ArrayList<>(rows.stream().map(String::valueOf).toList());
        l.sort(null);
        return l;
    }
}
