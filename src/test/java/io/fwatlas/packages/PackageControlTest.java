package io.fwatlas.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.Compressors;
import io.fwatlas.fixtures.FirmwareListing;
import io.fwatlas.fixtures.PackageFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A .deb's control file read by deb-control(5)'s rules, and as dpkg-deb -f reads the same file. */
class PackageControlTest {
    private static PackageControl parse(String text) throws CorruptPackageException {
        return PackageControl.debian(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> fields(PackageControl c) {
        return Arrays.asList(c.name(), c.version(), c.summary(), c.description(), c.homepage());
    }

    @Test
    void fieldNamesAreCaseInsensitiveAndValuesStripped() throws CorruptPackageException {
        PackageControl c = parse("package: firmware-x\nVERSION:   1:2.0-1  \nHomePage:\thttps://x.invalid\n"
                + "Description:  one line  \n");
        assertEquals(Arrays.asList("firmware-x", "1:2.0-1", "one line", null, "https://x.invalid"), fields(c));
        assertEquals("firmware-x_1:2.0-1", c.key());
    }

    @Test
    void theExtendedDescription() throws CorruptPackageException {
        // deb-control(5): the first line is the synopsis; then a single space starts a paragraph's
        // line, " ." an empty line, two or more spaces a verbatim line; a tab continues too
        PackageControl c = parse("Package: p\nVersion: 1\nDescription: the synopsis\n"
                + " First paragraph,\n which wraps.\n .\n Second:\n   verbatim  indented\n  * item\n\tafter a tab\n"
                + "Homepage: https://h.invalid\n");
        assertEquals("the synopsis", c.summary());
        assertEquals("First paragraph,\nwhich wraps.\n\nSecond:\n  verbatim  indented\n * item\nafter a tab",
                c.description());
        assertEquals("https://h.invalid", c.homepage());
    }

    @Test
    void foldedFieldsAndOtherFieldsDoNotDisturb() throws CorruptPackageException {
        PackageControl c = parse("Package: p\nDepends: a,\n b (>= 1),\n c\nVersion: 2\nInstalled-Size: 9\n"
                + "Description: s\n .\n .\n body\n .\n");
        assertEquals(Arrays.asList("p", "2", "s", "body", null), fields(c));
    }

    @Test
    void onlyTheFirstStanzaAndNoTrailingNewlineNeeded() throws CorruptPackageException {
        assertEquals(Arrays.asList("a", "1", null, null, null), fields(parse("\nPackage: a\nVersion: 1\n\nPackage: b\n")));
        assertEquals(Arrays.asList("a", "1", null, null, null), fields(parse("Package: a\nVersion: 1")));
    }

    @Test
    void faults() {
        assertEquals("control file line 1: continuation before any field",
                assertThrows(CorruptPackageException.class, () -> parse(" x\nPackage: a\n")).getMessage());
        assertEquals("control file line 2: no field name before ':'",
                assertThrows(CorruptPackageException.class, () -> parse("Package: a\nBad line\n")).getMessage());
        assertEquals("control file line 1: no field name before ':'",
                assertThrows(CorruptPackageException.class, () -> parse(": value\n")).getMessage());
        assertEquals("control file has no Package field",
                assertThrows(CorruptPackageException.class, () -> parse("Version: 1\n")).getMessage());
        assertEquals("control file has no Package field",
                assertThrows(CorruptPackageException.class, () -> parse("Package:\nVersion: 1\n")).getMessage());
        assertEquals("control file has no Version field",
                assertThrows(CorruptPackageException.class, () -> parse("Package: a\n")).getMessage());
        assertThrows(CorruptPackageException.class, () -> parse(""));
    }

    /** Control files dpkg-deb accepts: the reader's name, version, homepage and synopsis are dpkg-deb -f's. */
    @ParameterizedTest
    @ValueSource(strings = {
        PackageFixtures.FW_CONTROL_BOOKWORM,
        PackageFixtures.FW_CONTROL_TRIXIE,
        "package: lower-case-names\nversion:   3.0~rc1+dfsg-2  \nhomepage: https://lower.invalid\ndescription: s\n",
        "Package: tabs\nVersion: 1\nDescription:\tsynopsis after a tab\n\tbody after a tab\nHomepage:\thttps://t.invalid\n",
    })
    void asDpkgDebReadsIt(String control, @TempDir Path tmp) throws IOException {
        assumeTrue(FirmwareListing.onPath("dpkg-deb"), "dpkg-deb not installed");
        Path deb = Files.write(tmp.resolve("p.deb"), PackageFixtures.deb(control, "data.tar.xz",
                Compressors.xz(new byte[10240])));
        Collect c = Collect.read(new PackageReader(), "p.deb", Files.readAllBytes(deb));
        assertEquals(List.of(), c.errors);
        PackageControl got = c.summary.control();
        assertEquals(FirmwareListing.dpkgField(deb, "Package"), got.name());
        assertEquals(FirmwareListing.dpkgField(deb, "Version"), got.version());
        String homepage = FirmwareListing.dpkgField(deb, "Homepage");
        assertEquals(homepage.isEmpty() ? null : homepage, got.homepage());
        String description = FirmwareListing.dpkgField(deb, "Description");
        assertEquals(description.lines().findFirst().orElseThrow().strip(), got.summary());
        assertTrue(got.description() == null ? !description.contains("\n")
                : description.contains(got.description().lines().findFirst().orElseThrow()), got.description());
    }

    @Test
    void anRpmHeaderNamesItsPackage() {
        PackageControl c = Collect.read(new PackageReader(), "fw-fedora.rpm", Collect.bytes("fw-fedora.rpm")).summary.control();
        assertEquals(Arrays.asList("fwatlas-firmware", "2:20250101-3.fc42", "Firmware for Acme test devices",
                "This package holds the firmware of the imaginary Acme widgets.\n\nIt is a test fixture.",
                "https://fwatlas.invalid/rpm"), fields(c));
        // the kernel-module rpm fixtures have no epoch, summary or URL
        PackageControl k = Collect.read(new PackageReader(), "rpm-xz.rpm", Collect.bytes("rpm-xz.rpm")).summary.control();
        assertEquals(Arrays.asList("fwatlas-test-kernel-modules", "1.0-1", null, null, null), fields(k));
        assertNull(Collect.read(new PackageReader(), "tree.tar", Collect.bytes("tree.tar")).summary.control());
    }
}
