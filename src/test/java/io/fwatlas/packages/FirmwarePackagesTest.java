package io.fwatlas.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.FirmwareListing;
import io.fwatlas.fixtures.FirmwareListing.Entry;
import io.fwatlas.fixtures.PackageFixtures;
import io.fwatlas.module.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The firmware entries the reader gives for the fixture packages, against what the distributions'
 * tools say the packages hold: {@code dpkg-deb -c}, {@code -f} and the extracted bytes for the
 * .debs, {@code rpm -qp} and {@code rpm2cpio | cpio} for the .rpm, {@code tar} and a shell reading
 * of WHENCE for the linux-firmware tarball. Hostile packages give an error row naming the member
 * and keep the rest.
 */
class FirmwarePackagesTest {
    private static final String ACME = "acme";
    private static final String ACME_LICENCE = "Redistributable. See LICENCE.acme for details.";
    private final PackageReader reader = new PackageReader(1L << 20, 64L << 20);

    private static Path fixture(String name) {
        return Collect.dir().resolve(name).toAbsolutePath();
    }

    private Collect read(String name) {
        return Collect.read(reader, name, Collect.bytes(name));
    }

    /** The reader's entries as {@link Entry#row()} strings; error rows as "error PATH". */
    private static List<String> rows(List<FirmwareFile> files) {
        return files.stream().map(f -> !f.ok() ? "error " + f.path()
                : f.kind() + " " + f.path() + (f.kind().equals(FirmwareFile.LINK) ? " -> " + f.target() : " " + f.size()))
                .toList();
    }

    private static List<String> rowsOf(List<Entry> entries) {
        return entries.stream().map(Entry::row).toList();
    }

    private static void assumeDpkg() {
        assumeTrue(FirmwareListing.onPath("dpkg-deb", "tar", "sha256sum"), "dpkg-deb not installed");
    }

    private static void assumeRpm() {
        assumeTrue(FirmwareListing.onPath("rpm", "rpm2cpio", "cpio", "sha256sum"), "rpm not installed (apt-get install rpm cpio)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fw-bookworm.deb", "fw-trixie.deb"})
    void debEntriesAreWhatDpkgDebListsWithTheExtractedBytes(String deb) {
        assumeDpkg();
        Path file = fixture(deb);
        Collect c = read(deb);
        assertEquals(List.of(), c.errors);
        List<Entry> want = FirmwareListing.dpkgDeb(file);
        assertEquals(rowsOf(want), rows(c.firmware), deb);
        for (int i = 0; i < want.size(); i++) {
            FirmwareFile f = c.firmware.get(i);
            if (f.kind().equals(FirmwareFile.FILE)) {
                assertEquals(FirmwareListing.debSha256(file, want.get(i).member()), f.sha256(), f.path());
                assertNull(f.target());
            } else {
                assertNull(f.sha256());
                assertNull(f.size());
                assertNull(f.compression());
            }
            assertNull(f.driver(), "no WHENCE in " + deb);
        }
        assertEquals(c.firmware.size(), c.summary.firmware());
        PackageControl control = c.summary.control();
        assertEquals(List.of(control), c.controls);
        assertEquals(FirmwareListing.dpkgField(file, "Package"), control.name());
        assertEquals(FirmwareListing.dpkgField(file, "Version"), control.version());
        String homepage = FirmwareListing.dpkgField(file, "Homepage");
        assertEquals(homepage.isEmpty() ? null : homepage, control.homepage());
        assertEquals(FirmwareListing.dpkgField(file, "Description").lines().findFirst().orElseThrow(), control.summary());
    }

    @Test
    void theBookwormDebInDetail() {
        Collect c = read("fw-bookworm.deb");
        Map<String, FirmwareFile> byPath = new TreeMap<>();
        c.firmware.forEach(f -> byPath.put(f.path(), f));
        // compression by magic, not by name; the name a request for the file uses
        assertEquals("zstd", byPath.get("acme/gizmo.bin.zst").compression());
        assertEquals("acme/gizmo.bin", byPath.get("acme/gizmo.bin.zst").name());
        assertEquals("xz", byPath.get("acme/sprocket.bin.xz").compression());
        assertEquals("none", byPath.get("acme/plain.bin.xz").compression());
        assertEquals("none", byPath.get("acme/empty.bin").compression());
        assertEquals(FirmwareListing.sha256(new byte[0]), byPath.get("acme/empty.bin").sha256());
        // a hard link is a file with the bytes of the file it names
        FirmwareFile widget = byPath.get("acme/widget.bin");
        FirmwareFile copy = byPath.get("acme/widget-copy.bin");
        assertEquals(Arrays.asList(FirmwareFile.FILE, widget.size(), widget.sha256()), Arrays.asList(copy.kind(),
                copy.size(), copy.sha256()), copy.toString());
        assertEquals(FirmwareListing.sha256(PackageFixtures.firmwareBlob("widget", 300)), widget.sha256());
        // links as stored: relative, absolute, to a directory
        assertEquals("/lib/firmware/acme/widget.bin", byPath.get("acme/abs.bin").target());
        assertEquals("acme", byPath.get("acme-legacy").target());
        assertEquals(FirmwareFile.LINK, byPath.get("acme-legacy").kind());
        // neither directories nor files outside the firmware root
        assertTrue(byPath.keySet().stream().noneMatch(p -> p.endsWith("/") || p.contains("copyright")), byPath.keySet().toString());

        PackageControl control = c.summary.control();
        assertEquals("firmware-fwatlas-test", control.name());
        assertEquals("1:20230210-5", control.version());
        assertEquals("firmware-fwatlas-test_1:20230210-5", control.key());
        assertEquals("Binary firmware for Acme test devices", control.summary());
        assertEquals("This package contains the binary firmware of the imaginary\nAcme widgets, gizmos and sprockets.\n"
                + "\nContents:\n * Acme widget firmware (acme/widget.bin)\n * Acme gizmo firmware (acme/gizmo.bin.zst)",
                control.description());
        assertEquals("https://fwatlas.invalid/firmware", control.homepage());
        PackageControl trixie = read("fw-trixie.deb").summary.control();
        assertEquals(List.of("20250410-2", "Binary firmware for Acme test devices (merged /usr)"),
                Arrays.asList(trixie.version(), trixie.summary()));
        assertNull(trixie.description());
        assertNull(trixie.homepage());
    }

    @Test
    void rpmEntriesAreWhatCpioListsAnnotatedByTheWhenceAmongTheLicences() {
        assumeRpm();
        Path file = fixture("fw-fedora.rpm");
        Collect c = read("fw-fedora.rpm");
        assertEquals(List.of(), c.errors);
        List<Entry> want = FirmwareListing.rpm(file);
        assertEquals(rowsOf(want), rows(c.firmware));
        for (int i = 0; i < want.size(); i++) {
            FirmwareFile f = c.firmware.get(i);
            if (f.kind().equals(FirmwareFile.FILE)) {
                assertEquals(FirmwareListing.rpmSha256(file, want.get(i).member()), f.sha256(), f.path());
                assertEquals("xz", f.compression(), f.path());
            }
            // WHENCE comes after the firmware in the archive and names files without their .xz
            boolean named = !f.path().equals("acme/unlisted.bin.xz");
            assertEquals(named ? ACME : null, f.driver(), f.path());
            assertEquals(named ? ACME_LICENCE : null, f.license(), f.path());
        }
        String[] q = FirmwareListing.run("rpm", "-qp", "--qf", "%{NAME}\\n%{EPOCH}:%{VERSION}-%{RELEASE}\\n%{SUMMARY}\\n"
                + "%{URL}\\n%{DESCRIPTION}", file.toString()).split("\n", 5);
        PackageControl control = c.summary.control();
        assertEquals(List.of(q[0], q[1], q[2], q[3], q[4]), Arrays.asList(control.name(), control.version(),
                control.summary(), control.homepage(), control.description()));
    }

    /**
     * The oracle of a source tarball: what WHENCE's File:, RawFile: and Link: lines install, by a
     * shell reading of them over the extracted tarball (quotes dropped, links made as written).
     */
    private static List<String> installedByWhence(Path tarball, Path tmp) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        FirmwareListing.run("tar", "-xf", tarball.toString(), "-C", src.toString());
        String install = """
                set -eu
                cd "$1"/linux-firmware-*/
                sed -n -E 's/^(File|RawFile):[[:space:]]*//p' WHENCE | tr -d '"' | while IFS= read -r f; do
                    [ -e "$f" ] || { echo "missing $f"; continue; }
                    mkdir -p "$2/$(dirname "$f")"
                    cp -- "$f" "$2/$f"
                done
                sed -n -E 's/^Link:[[:space:]]*//p' WHENCE | tr -d '"' | sed -E 's/[[:space:]]*->[[:space:]]*/\\t/' |
                    while IFS="$(printf '\\t')" read -r l t; do
                        mkdir -p "$2/$(dirname "$l")"
                        ln -s -- "$t" "$2/$l"
                    done
                cd "$2"
                find . -mindepth 1 ! -type d -printf '%y\\t%P\\t%s\\t%l\\n' | sort
                """;
        List<String> out = new ArrayList<>();
        for (String line : FirmwareListing.run("bash", "-c", install, "_", src.toString(), dest.toString()).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("missing ")) {
                out.add("error " + line.substring(8));
                continue;
            }
            String[] f = line.split("\t", -1);
            out.add(f[0].equals("l") ? "link " + f[1] + " -> " + f[3] : "file " + f[1] + " " + f[2]);
        }
        out.sort(null);
        return out;
    }

    @Test
    void aSourceTarballGivesWhatItsWhenceInstalls(@TempDir Path tmp) throws IOException {
        assumeTrue(FirmwareListing.onPath("tar", "xz", "bash", "find"), "tar, xz, find not installed");
        Collect c = read(PackageFixtures.FW_SOURCE);
        assertEquals(List.of(), c.errors);
        assertEquals(List.of(), c.controls, "a tarball says nothing about itself");
        List<String> got = new ArrayList<>(rows(c.firmware));
        got.sort(null);
        assertEquals(installedByWhence(fixture(PackageFixtures.FW_SOURCE), tmp), got);
        for (FirmwareFile f : c.firmware) {
            boolean vendor = f.path().startsWith("vendor/");
            assertEquals(vendor ? "vendorfw" : ACME, f.driver(), f.path());
            assertEquals(vendor ? "GPL-2.0-or-later" : ACME_LICENCE, f.license(), f.path());
            if (f.kind().equals(FirmwareFile.FILE)) {
                byte[] bytes = Files.readAllBytes(tmp.resolve("dest").resolve(f.path()));
                assertEquals(FirmwareListing.sha256(bytes), f.sha256(), f.path());
            }
        }
        // delivered in path order, as a firmware directory is
        List<String> paths = c.firmware.stream().map(FirmwareFile::path).toList();
        assertEquals(paths.stream().sorted().toList(), paths);
    }

    // ---- hostile

    /**
     * @param twin        the good fixture whose entries, as its tool lists them, this one keeps (itself when null)
     * @param errors      paths of the error rows among the entries, each with a fragment of its message
     * @param kind        the package error's kind, or null when the package is read to its end
     * @param member      the member the package error names
     * @param fragment    a fragment of its message
     */
    private record Expect(String twin, Map<String, String> errors, ErrorKind kind, String member, String fragment) {
    }

    private static final Map<String, Expect> HOSTILE = new TreeMap<>(Map.of(
            "fw-cut-member-fail.deb", new Expect("fw-bookworm.deb", Map.of(), ErrorKind.TRUNCATED,
                    "./lib/firmware/acme/nested/deep/cal.dat", "needs 18944 bytes, but the data ends after 10280"),
            "fw-control-fail.deb", new Expect("fw-bookworm.deb", Map.of(), ErrorKind.BAD_PACKAGE,
                    "control.tar.xz member ./control", "control file line 1: continuation before any field"),
            "fw-hardlink-fail.deb", new Expect(null, Map.of(
                    "acme/early.bin", "hard link to ./lib/firmware/acme/later.bin, which is no earlier firmware file",
                    "acme/doc.bin", "hard link to ./usr/share/doc/firmware-fwatlas-test/copyright, which is no earlier"),
                    null, null, null),
            "fw-cpio-link-fail.rpm", new Expect("fw-fedora.rpm", Map.of(
                    "acme/long-link.bin.xz", "cpio symbolic link of " + PackageFixtures.FW_LONG_LINK + " bytes, more than 4096"),
                    null, null, null),
            "linux-firmware-whence-fail.tar", new Expect(PackageFixtures.FW_SOURCE, Map.of(
                    "acme/missing.bin", "linux-firmware-20250101/WHENCE names acme/missing.bin, which the tarball does not hold"),
                    null, null, null)));

    static Stream<String> hostile() throws IOException {
        try (Stream<Path> s = Files.list(Collect.dir())) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains("-fail.") && (n.startsWith("fw-") || n.startsWith("linux-firmware")))
                    .sorted().toList().stream();
        }
    }

    @Test
    void tableCoversExactlyTheHostileFirmwareFiles() throws IOException {
        assertEquals(List.copyOf(HOSTILE.keySet()), hostile().toList());
    }

    /** The good entries a hostile fixture keeps, as the tools list its twin (or itself). */
    private List<String> kept(String file, Expect want, Path tmp) throws IOException {
        String of = want.twin() == null ? file : want.twin();
        if (of.endsWith(".deb")) {
            assumeDpkg();
            return rowsOf(FirmwareListing.dpkgDeb(fixture(of)));
        }
        if (of.endsWith(".rpm")) {
            assumeRpm();
            return rowsOf(FirmwareListing.rpm(fixture(of)));
        }
        return installedByWhence(fixture(of), tmp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void aHostileFirmwarePackageGivesErrorRowsNamingTheMemberAndKeepsTheRest(String file, @TempDir Path tmp)
            throws IOException {
        Expect want = HOSTILE.get(file);
        Collect c = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> read(file));
        List<String> got = rows(c.firmware);
        // error rows: their own path, the package and member in the message
        List<String> errorPaths = new ArrayList<>();
        for (FirmwareFile f : c.firmware) {
            if (!f.ok()) {
                errorPaths.add(f.path());
                String fragment = want.errors().get(f.path());
                assertTrue(fragment != null, file + ": unexpected error row " + f);
                assertEquals(ErrorKind.BAD_PACKAGE.label(), f.errorKind(), f.toString());
                assertTrue(f.error().startsWith(file + ": "), f.error());
                assertTrue(f.error().contains(fragment), "'" + fragment + "' missing in: " + f.error());
                assertNull(f.sha256());
            }
        }
        assertEquals(want.errors().keySet().stream().sorted().toList(), errorPaths.stream().sorted().toList(), file);
        // the others are what the tools list, up to where the package breaks off
        List<String> good = new ArrayList<>(got.stream().filter(r -> !r.startsWith("error ")).toList());
        List<String> expected = new ArrayList<>(kept(file, want, tmp));
        expected.removeIf(r -> want.errors().keySet().stream().anyMatch(p -> r.startsWith("file " + p + " ")));
        if (file.endsWith(".tar")) {
            good.sort(null);
            expected = expected.stream().filter(r -> !r.startsWith("error ")).sorted().toList();
        }
        if (want.kind() == ErrorKind.TRUNCATED) {
            assertTrue(good.size() < expected.size() && !good.isEmpty(), file + ": " + good);
            expected = expected.subList(0, good.size());
            String cut = FirmwareListing.underRoot(want.member());
            assertTrue(expected.stream().noneMatch(r -> r.startsWith("file " + cut + " ")), "entries kept after " + cut);
        }
        assertEquals(expected, good, file);
        // the fault that ended the read (or that the control file could not be read) comes last
        if (want.kind() == null) {
            assertEquals(List.of(), c.errors, file);
        } else {
            assertEquals(1, c.errors.size(), file + ": " + c.errors);
            PackageError e = c.errors.get(0);
            assertEquals(want.kind(), e.kind(), e.message());
            assertEquals(want.member(), e.member(), e.message());
            assertTrue(e.message().startsWith(file + ": ") && e.message().contains(" member " + want.member() + ": ")
                    && e.message().contains(want.fragment()), e.message());
        }
    }

    @Test
    void aKernelDebWithAControlFileThatCannotBeParsedStillGivesItsModules() throws IOException {
        byte[] data = null;
        try (org.apache.commons.compress.archivers.ar.ArArchiveInputStream ar =
                     new org.apache.commons.compress.archivers.ar.ArArchiveInputStream(
                             new java.io.ByteArrayInputStream(Collect.bytes("deb-zst.deb")))) {
            for (var e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
                if (e.getName().equals("data.tar.zst")) {
                    data = ar.readAllBytes();
                }
            }
        }
        byte[] deb = PackageFixtures.deb("Package fwatlas-test-kernel\nVersion: 1.0\n", "data.tar.zst", data);
        Collect bad = Collect.read(reader, "bad-control.deb", deb);
        Collect good = read("deb-zst.deb");
        assertEquals(good.modules, bad.modules);
        assertEquals(good.builtins, bad.builtins);
        assertEquals(List.of(), bad.controls);
        assertEquals(1, bad.errors.size());
        PackageError e = bad.errors.get(0);
        assertEquals(ErrorKind.BAD_PACKAGE, e.kind());
        assertEquals("bad-control.deb: deb member control.tar.xz member ./control: control file line 1: no field name "
                + "before ':'", e.message());
    }

    @Test
    void aFirmwareFileOf48MiBIsStreamedNotHeld() throws Exception {
        byte[] bytes = Collect.bytes("fw-zeros.deb");
        assertTrue(bytes.length < 8 * 1024, bytes.length + " bytes");
        Collect.read(reader, "fw-zeros.deb", bytes); // classes and liblzma loaded
        long before = HostilePackagesTest.allocatedBytes();
        Collect c = Collect.read(reader, "fw-zeros.deb", bytes);
        long allocated = HostilePackagesTest.allocatedBytes() - before;
        assertEquals(List.of(), c.errors);
        assertEquals(List.of("acme/widget.bin", "acme/zeros.bin", "acme/after.bin"),
                c.firmware.stream().map(FirmwareFile::path).toList());
        FirmwareFile zeros = c.firmware.get(1);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        for (long n = 0; n < PackageFixtures.BOMB_MEMBER; n += block.length) {
            sha.update(block);
        }
        assertEquals(PackageFixtures.BOMB_MEMBER, zeros.size());
        assertEquals(java.util.HexFormat.of().formatHex(sha.digest()), zeros.sha256());
        assertEquals(FirmwareListing.sha256(PackageFixtures.firmwareBlob("after", 100)), c.firmware.get(2).sha256());
        assertTrue(allocated < 8L << 20, "allocated " + allocated + " bytes for a " + PackageFixtures.BOMB_MEMBER
                + "-byte firmware file");
    }

    @Test
    void aCutSourceTarballSaysWhereItBreaksOffNotThatWhenceNamesMissingFiles() {
        // plain tar, so that a cut lands in a member rather than in the compressed stream
        byte[] full = Collect.bytes("linux-firmware-whence-fail.tar");
        List<FirmwareFile> all = read("linux-firmware-whence-fail.tar").firmware;
        int cuts = 0;
        for (int n = 0; n < full.length - 1024; n += 97) {
            Collect c = Collect.read(reader, "cut.tar", Arrays.copyOf(full, n));
            assertEquals(1, c.errors.size(), "cut at " + n);
            for (FirmwareFile f : c.firmware) {
                assertTrue(f.ok() || !f.error().contains("does not hold"), "cut at " + n + ": " + f);
                assertTrue(all.contains(f), "cut at " + n + ": " + f);
            }
            cuts += c.firmware.isEmpty() ? 0 : 1;
        }
        assertTrue(cuts > 10, cuts + " cuts after WHENCE");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fw-bookworm.deb", "fw-fedora.rpm"})
    void everyCutOfAFirmwarePackageKeepsAPrefixOfItsEntries(String pkg) {
        byte[] full = Collect.bytes(pkg);
        List<FirmwareFile> all = read(pkg).firmware;
        for (int n = 0; n < full.length; n += 17) {
            byte[] cut = Arrays.copyOf(full, n);
            int at = n;
            Collect c = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Collect.read(reader, pkg, cut),
                    pkg + " cut at " + at);
            assertEquals(1, c.errors.size(), pkg + " cut at " + n + " was read whole");
            assertTrue(!c.errors.get(0).message().contains("unexpected reader failure"), c.errors.get(0).message());
            List<FirmwareFile> got = c.firmware;
            if (pkg.endsWith(".rpm")) {
                // a hard link whose data the cut took is an error row in place of the file; WHENCE,
                // last in the archive, is gone with the cut: compare without driver and licence
                got = got.stream().filter(FirmwareFile::ok).map(f -> f.withWhence(null, null)).toList();
                List<String> paths = got.stream().map(FirmwareFile::path).toList();
                assertEquals(all.stream().filter(f -> paths.contains(f.path())).map(f -> f.withWhence(null, null))
                        .toList(), got, pkg + " cut at " + n);
            } else {
                assertEquals(all.subList(0, got.size()), got, pkg + " cut at " + n);
            }
        }
    }
}
