package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.FirmwareListing;
import io.fwatlas.fixtures.PackageFixtures;
import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleResult;
import io.fwatlas.packages.FirmwareFile;
import io.fwatlas.packages.PackageControl;
import io.fwatlas.packages.PackageError;
import io.fwatlas.packages.PackageReader;
import io.fwatlas.packages.PackageVisitor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firmware packages and directories as scan inputs, next to kernel trees, through the scan command:
 * {@code firmware_files} and {@code firmware_packages} read back with Spark hold what the package
 * reader gives (checked against dpkg-deb and cpio by FirmwarePackagesTest) and what {@code find}
 * lists in a directory; a package read again replaces its rows; --incremental skips an unchanged
 * one and --prune drops a removed one's.
 */
class ScanFirmwareTest {
    static final Path FIXTURES = PackageFixtures.DIR.toAbsolutePath();
    static final List<String> PACKAGES = List.of("fw-bookworm.deb", "fw-trixie.deb", "fw-fedora.rpm",
            PackageFixtures.FW_SOURCE, "fw-cut-member-fail.deb", "fw-control-fail.deb");
    /** firmware_files' columns, in the schema's order. */
    static final List<String> FILE_COLUMNS = Tables.schema(Tables.FIRMWARE_FILES).getFields().stream()
            .map(org.apache.parquet.schema.Type::getName).toList();

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path all;
    static Path firmwareDir;
    static Path tree;
    static ScanTestSupport.Run allRun;

    @BeforeAll
    static void scanPackagesDirectoriesAndTrees() throws IOException {
        spark = ScanTestSupport.spark();
        Path pkgs = Files.createDirectories(tmp.resolve("packages"));
        for (String p : PACKAGES) {
            Files.copy(FIXTURES.resolve(p), pkgs.resolve(p));
        }
        firmwareDir = tmp.resolve("firmware");
        writeFirmwareDir(firmwareDir);
        // a root file system: modules of one release and, on merged /usr, usr/lib/firmware
        tree = tmp.resolve("rootfs");
        ScanTestSupport.copyTree(ScanTestSupport.sample(SampleGenerator.DEB12),
                tree.resolve("lib/modules").resolve(Path.of(SampleGenerator.DEB12).getFileName()));
        Path usrFirmware = Files.createDirectories(tree.resolve("usr/lib/firmware/intel"));
        Files.write(usrFirmware.resolve("ibt-0040-0041.sfi"), PackageFixtures.firmwareBlob("ibt", 333));
        Files.createSymbolicLink(usrFirmware.resolve("ibt-0040-1020.sfi"), Path.of("ibt-0040-0041.sfi"));
        all = tmp.resolve("all");
        allRun = ScanTestSupport.scan("-o", all.toString(), pkgs.toString(), firmwareDir.toString(), tree.toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A firmware directory as /lib/firmware is: nested files, links, a WHENCE at the top. */
    static void writeFirmwareDir(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("acme/nested"));
        Files.write(dir.resolve("acme/widget.bin"), PackageFixtures.firmwareBlob("widget", 300));
        Files.write(dir.resolve("acme/nested/cal.dat"), PackageFixtures.firmwareBlob("cal", 64));
        Files.write(dir.resolve("acme/gizmo.bin.zst"), io.fwatlas.fixtures.Compressors.zstd(
                PackageFixtures.firmwareBlob("gizmo", 100)));
        Files.write(dir.resolve("acme/empty.bin"), new byte[0]);
        Files.createSymbolicLink(dir.resolve("acme/widget-v1.bin"), Path.of("widget.bin"));
        Files.createSymbolicLink(dir.resolve("acme-legacy"), Path.of("acme"));
        Files.createSymbolicLink(dir.resolve("dangling.bin"), Path.of("no/such/file"));
        Files.writeString(dir.resolve("WHENCE"), "----------\nDriver: acme - Acme\nFile: acme/widget.bin\n"
                + "Link: acme/widget-v1.bin -> widget.bin\nLicence: MIT\n----------\n");
    }

    /** Rows of a table, each as its columns' values in schema order. */
    static List<List<Object>> table(Path out, String table) {
        List<String> columns = Tables.schema(table).getFields().stream().map(org.apache.parquet.schema.Type::getName)
                .toList();
        List<List<Object>> rows = new ArrayList<>();
        for (Row r : spark.read().parquet(out.resolve(table).toString()).selectExpr(columns.toArray(new String[0]))
                .collectAsList()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                l.add(r.get(i));
            }
            rows.add(l);
        }
        return rows;
    }

    static List<List<Object>> filesOf(Path out, String source) {
        return table(out, Tables.FIRMWARE_FILES).stream().filter(r -> source.equals(r.get(2))).toList();
    }

    static List<List<Object>> packagesOf(Path out, String source) {
        return table(out, Tables.FIRMWARE_PACKAGES).stream().filter(r -> source.equals(r.get(2))).toList();
    }

    /** What the package reader gives for one package: its control, entries and error. */
    record Read(PackageControl control, List<FirmwareFile> files, PackageError error) {
    }

    static Read read(Path pkg) throws IOException {
        byte[] bytes = Files.readAllBytes(pkg);
        PackageControl[] control = new PackageControl[1];
        List<FirmwareFile> files = new ArrayList<>();
        PackageError[] error = new PackageError[1];
        new PackageReader().read(pkg.getFileName().toString(), new ByteArrayInputStream(bytes), bytes.length,
                new PackageVisitor() {
                    @Override
                    public void module(String kernel, String path, ModuleResult result) {
                    }

                    @Override
                    public void builtin(String kernel, String path, BuiltinModinfo.Result result) {
                    }

                    @Override
                    public void builtinError(String kernel, String path, ErrorKind kind, String message) {
                    }

                    @Override
                    public void control(PackageControl c) {
                        control[0] = c;
                    }

                    @Override
                    public void firmware(FirmwareFile file) {
                        files.add(file);
                    }

                    @Override
                    public void packageError(PackageError e) {
                        error[0] = e;
                    }
                });
        return new Read(control[0], files, error[0]);
    }

    /** The firmware_files rows a package gives: its entries, then a row for the fault that ended the read. */
    static List<String> expectedRows(String source, String name, String version, Read r) {
        List<String> out = new ArrayList<>();
        for (FirmwareFile f : r.files()) {
            out.add(String.valueOf(Arrays.asList(name, version, source, f.path(), f.name(), f.compression(), f.kind(),
                    f.target(), f.size(), f.sha256(), f.driver(), f.license(), f.ok() ? "ok" : "error", f.errorKind(),
                    f.error())));
        }
        if (r.error() != null) {
            out.add(String.valueOf(Arrays.asList(name, version, source, r.error().member(), null, null, null, null,
                    null, null, null, null, "error", r.error().kind().label(), r.error().message())));
        }
        out.sort(null);
        return out;
    }

    static List<String> strings(List<List<Object>> rows) {
        List<String> out = new ArrayList<>(rows.stream().map(String::valueOf).toList());
        out.sort(null);
        return out;
    }

    @Test
    void packagesGiveTheReadersEntriesWithTheirNameAndVersion() throws IOException {
        assertEquals(0, allRun.code(), allRun.err());
        for (String p : PACKAGES) {
            Read r = read(FIXTURES.resolve(p));
            String name = r.control() != null ? r.control().name()
                    : p.equals(PackageFixtures.FW_SOURCE) ? "linux-firmware" : p.substring(0, p.indexOf('.'));
            String version = r.control() != null ? r.control().version()
                    : p.equals(PackageFixtures.FW_SOURCE) ? "20250101" : null;
            assertEquals(expectedRows(p, name, version, r), strings(filesOf(all, p)), p);

            List<List<Object>> pkg = packagesOf(all, p);
            assertEquals(1, pkg.size(), p + ": " + pkg);
            long files = r.files().stream().filter(f -> f.ok() && f.kind().equals(FirmwareFile.FILE)).count();
            long links = r.files().stream().filter(f -> f.ok() && f.kind().equals(FirmwareFile.LINK)).count();
            String format = p.endsWith(".deb") ? "deb" : p.endsWith(".rpm") ? "rpm" : "tar.xz";
            PackageControl c = r.control();
            assertEquals(Arrays.asList(name, version, p, format, c == null ? null : c.summary(),
                    c == null ? null : c.description(), c == null ? null : c.homepage(), files, links,
                    r.error() == null ? "ok" : "error", r.error() == null ? null : r.error().kind().label(),
                    r.error() == null ? null : r.error().message()), pkg.get(0), p);
        }
        // what the summary says is what the tables hold: the packages, the directory and usr/lib/firmware of the tree
        List<List<Object>> rows = table(all, Tables.FIRMWARE_FILES);
        long files = rows.stream().filter(r -> "ok".equals(r.get(12)) && "file".equals(r.get(6))).count();
        long links = rows.stream().filter(r -> "ok".equals(r.get(12)) && "link".equals(r.get(6))).count();
        long errors = rows.stream().filter(r -> "error".equals(r.get(12))).count();
        assertEquals(PACKAGES.size() + 2, table(all, Tables.FIRMWARE_PACKAGES).size());
        assertTrue(allRun.out().contains("firmware: " + (PACKAGES.size() + 2) + " packages and directories, " + files
                + " files, " + links + " links, " + errors + " errors\n"), allRun.out());
        assertTrue(allRun.out().contains("tables: " + all.toUri().toString().replace("file:///", "file:/")
                .replaceAll("/$", "") + "/{firmware,modinfo,modules,firmware_files,firmware_packages}"), allRun.out());
    }

    @Test
    void hostilePackagesKeepTheirEntriesAndSayWhereTheyBrokeOff() {
        // cut inside a member: the entries before it, and an error row naming the member
        List<List<Object>> cut = filesOf(all, "fw-cut-member-fail.deb");
        List<Object> error = cut.stream().filter(r -> "error".equals(r.get(12))).findFirst().orElseThrow();
        assertEquals("./lib/firmware/acme/nested/deep/cal.dat", error.get(3));
        assertEquals("truncated", error.get(13));
        assertTrue(((String) error.get(14)).startsWith("fw-cut-member-fail.deb: deb member ./lib/firmware/acme/nested/"
                + "deep/cal.dat: "), String.valueOf(error));
        assertTrue(cut.stream().anyMatch(r -> "acme/board.Acme Inc.-Model 1.txt".equals(r.get(3))), cut.toString());
        List<Object> pkg = packagesOf(all, "fw-cut-member-fail.deb").get(0);
        assertEquals(Arrays.asList("firmware-fwatlas-test", "1:20230210-5", "error", "truncated"),
                Arrays.asList(pkg.get(0), pkg.get(1), pkg.get(9), pkg.get(10)));
        // a bad control file: every entry, named after the file
        List<List<Object>> bad = filesOf(all, "fw-control-fail.deb");
        assertEquals(filesOf(all, "fw-bookworm.deb").size() + 1, bad.size());
        assertTrue(bad.stream().allMatch(r -> "fw-control-fail".equals(r.get(0)) && r.get(1) == null), bad.toString());
        assertEquals(1, bad.stream().filter(r -> "error".equals(r.get(12))
                && "control.tar.xz member ./control".equals(r.get(3))).count(), bad.toString());
        // no kernel partition holds an error of a firmware package
        assertTrue(table(all, Tables.MODULES).stream().noneMatch(r -> String.valueOf(r.get(14)).startsWith("fw-")));
    }

    /** The oracle of a firmware directory: find's listing and the files' bytes. */
    static List<String> dirRows(Path dir, String location) throws IOException {
        String listing = FirmwareListing.run("find", dir.toString(), "-mindepth", "1", "!", "-type", "d", "-printf",
                "%y\\t%P\\t%s\\t%l\\n");
        List<String> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            boolean link = f[0].equals("l");
            String sha = link ? null : FirmwareListing.sha256(Files.readAllBytes(dir.resolve(f[1])));
            String compression = link ? null : f[1].endsWith(".zst") ? "zstd" : "none";
            String name = f[1].endsWith(".zst") ? f[1].substring(0, f[1].length() - 4) : f[1];
            boolean acme = f[1].equals("acme/widget.bin") || f[1].equals("acme/widget-v1.bin");
            out.add(String.valueOf(Arrays.asList(location, null, location, f[1], name, compression, link ? "link" : "file",
                    link ? f[3] : null, link ? null : Long.parseLong(f[2]), sha, acme ? "acme" : null, acme ? "MIT" : null,
                    "ok", null, null)));
        }
        out.sort(null);
        return out;
    }

    @Test
    void aFirmwareDirectoryAndATreesUsrLibFirmwareAreWhatFindLists() throws IOException {
        assertEquals(0, allRun.code(), allRun.err());
        String dir = firmwareDir.toString();
        assertEquals(dirRows(firmwareDir, dir), strings(filesOf(all, dir)));
        String usr = tree.resolve("usr/lib/firmware").toString();
        assertEquals(dirRows(tree.resolve("usr/lib/firmware"), usr), strings(filesOf(all, usr)));
        assertEquals(List.of(Arrays.asList(dir, null, dir, "dir", null, null, null, 5L, 3L, "ok", null, null)),
                packagesOf(all, dir));
        // the tree's modules are in the same output
        assertTrue(table(all, Tables.MODULES).size() > 0);
        assertTrue(allRun.out().contains("releases: 0 unchanged (skipped), 0 rescanned, 1 new, 0 pruned"), allRun.out());
    }

    @Test
    void aFirmwareDirGivenAsALinkIsReadAsTheDirectory() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("fw-link"), firmwareDir);
        Path out = tmp.resolve("link-out");
        ScanTestSupport.Run r = ScanTestSupport.scan("-o", out.toString(), "--firmware-dir", link.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(dirRows(firmwareDir, link.toString()), strings(filesOf(out, link.toString())));
    }

    @Test
    void aPackageReadAgainReplacesItsRows() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("again"));
        Path fw = dir.resolve("fw.deb");
        Files.copy(FIXTURES.resolve("fw-bookworm.deb"), fw);
        Path out = tmp.resolve("again-out");
        assertEquals(0, ScanTestSupport.scan("-o", out.toString(), dir.toString()).code());
        assertEquals(expectedRows("fw.deb", "firmware-fwatlas-test", "1:20230210-5", read(fw)),
                strings(filesOf(out, "fw.deb")));
        // the same file name, another package: only the new rows remain, in both tables
        Files.copy(FIXTURES.resolve("fw-trixie.deb"), fw, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ScanTestSupport.Run again = ScanTestSupport.scan("-o", out.toString(), dir.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(expectedRows("fw.deb", "firmware-fwatlas-test", "20250410-2", read(fw)),
                strings(filesOf(out, "fw.deb")));
        List<List<Object>> pkg = table(out, Tables.FIRMWARE_PACKAGES);
        assertEquals(1, pkg.size(), pkg.toString());
        assertEquals("20250410-2", pkg.get(0).get(1));
        try (Stream<Path> s = Files.list(out.resolve(Tables.FIRMWARE_FILES))) {
            assertEquals(List.of(Tables.inputFile(fw.toString())), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".parquet")).toList());
        }
    }

    @Test
    void incrementalSkipsAnUnchangedFirmwarePackageAndPruneDropsARemovedOne() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("inc"));
        for (String p : List.of("fw-bookworm.deb", "fw-fedora.rpm", PackageFixtures.FW_SOURCE)) {
            Files.copy(FIXTURES.resolve(p), dir.resolve(p));
        }
        Path out = tmp.resolve("inc-out");
        ScanTestSupport.Run first = ScanTestSupport.scan("-o", out.toString(), "--incremental", dir.toString());
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("packages: 3 read, 0 unchanged (skipped)"), first.out());
        List<String> rows = strings(table(out, Tables.FIRMWARE_FILES));
        Map<String, String> files = tableFiles(out);

        ScanTestSupport.Run same = ScanTestSupport.scan("-o", out.toString(), "--incremental", dir.toString());
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("packages: 0 read, 3 unchanged (skipped)"), same.out());
        assertEquals(files, tableFiles(out), "an unchanged package's files are left as they are");
        assertEquals(rows, strings(table(out, Tables.FIRMWARE_FILES)));

        // one package changes: it alone is read again
        Files.setLastModifiedTime(dir.resolve("fw-fedora.rpm"), FileTime.fromMillis(1_000_000_000_000L));
        ScanTestSupport.Run changed = ScanTestSupport.scan("-o", out.toString(), "--incremental", dir.toString());
        assertEquals(0, changed.code(), changed.err());
        assertTrue(changed.out().contains("packages: 1 read, 2 unchanged (skipped)"), changed.out());
        assertEquals(rows, strings(table(out, Tables.FIRMWARE_FILES)));

        // one is removed: --prune drops its rows from both tables, the others stay
        Files.delete(dir.resolve("fw-bookworm.deb"));
        ScanTestSupport.Run pruned = ScanTestSupport.scan("-o", out.toString(), "--incremental", "--prune",
                dir.toString());
        assertEquals(0, pruned.code(), pruned.err());
        assertTrue(pruned.out().contains("packages: 0 read, 2 unchanged (skipped)"), pruned.out());
        assertEquals(rows.stream().filter(r -> !r.contains(", fw-bookworm.deb, ")).toList(),
                strings(table(out, Tables.FIRMWARE_FILES)));
        assertEquals(List.of("fw-fedora.rpm", PackageFixtures.FW_SOURCE), table(out, Tables.FIRMWARE_PACKAGES).stream()
                .map(r -> (String) r.get(2)).sorted().toList());
        assertFalse(Files.exists(out.resolve(Tables.FIRMWARE_FILES).resolve(
                Tables.inputFile(dir.resolve("fw-bookworm.deb").toString()))));
    }

    @Test
    void pruneDropsAFirmwareDirectoryNoLongerGiven() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("prune-dirs/a/firmware"));
        Path b = Files.createDirectories(tmp.resolve("prune-dirs/b/firmware"));
        Files.writeString(a.resolve("a.bin"), "a");
        Files.writeString(b.resolve("b.bin"), "b");
        Path out = tmp.resolve("prune-dirs-out");
        ScanTestSupport.Run both = ScanTestSupport.scan("-o", out.toString(), "--incremental", "--firmware-dir",
                a.toString(), "--firmware-dir", b.toString());
        assertEquals(0, both.code(), both.err());
        assertEquals(List.of(a.toString(), b.toString()), table(out, Tables.FIRMWARE_PACKAGES).stream()
                .map(r -> (String) r.get(2)).sorted().toList());
        // without --prune a directory left out keeps its rows; with it, they go
        ScanTestSupport.Run kept = ScanTestSupport.scan("-o", out.toString(), "--incremental", "--firmware-dir",
                a.toString());
        assertEquals(0, kept.code(), kept.err());
        assertEquals(2, table(out, Tables.FIRMWARE_PACKAGES).size());
        ScanTestSupport.Run pruned = ScanTestSupport.scan("-o", out.toString(), "--incremental", "--prune",
                "--firmware-dir", a.toString());
        assertEquals(0, pruned.code(), pruned.err());
        assertEquals(List.of(a.toString()), table(out, Tables.FIRMWARE_PACKAGES).stream()
                .map(r -> (String) r.get(2)).toList());
        assertEquals(List.of("a.bin"), table(out, Tables.FIRMWARE_FILES).stream().map(r -> (String) r.get(3))
                .toList());
    }

    @Test
    void onePackageUnderTwoNamesIsTwoInputs() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("twice"));
        Files.copy(FIXTURES.resolve("fw-trixie.deb"), dir.resolve("a.deb"));
        Files.copy(FIXTURES.resolve("fw-trixie.deb"), dir.resolve("b.deb"));
        Path out = tmp.resolve("twice-out");
        ScanTestSupport.Run r = ScanTestSupport.scan("-o", out.toString(), dir.toString());
        assertEquals(0, r.code(), r.err());
        Read read = read(dir.resolve("a.deb"));
        for (String name : List.of("a.deb", "b.deb")) {
            assertEquals(expectedRows(name, "firmware-fwatlas-test", "20250410-2", read), strings(filesOf(out, name)));
        }
        List<List<Object>> pkgs = table(out, Tables.FIRMWARE_PACKAGES);
        assertEquals(List.of("a.deb", "b.deb"), pkgs.stream().map(p -> (String) p.get(2)).sorted().toList());
        assertTrue(pkgs.stream().allMatch(p -> "firmware-fwatlas-test".equals(p.get(0))));
        try (Stream<Path> s = Files.list(out.resolve(Tables.FIRMWARE_PACKAGES))) {
            assertEquals(2, s.filter(p -> p.toString().endsWith(".parquet")).count());
        }
    }

    /** The Parquet files of the firmware tables: content hash, size and modification time. */
    static Map<String, String> tableFiles(Path out) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String t : Tables.INPUT_TABLES) {
            try (Stream<Path> s = Files.list(out.resolve(t))) {
                for (Path p : s.sorted().toList()) {
                    m.put(t + "/" + p.getFileName(), FirmwareListing.sha256(Files.readAllBytes(p)) + "@"
                            + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return m;
    }
}
