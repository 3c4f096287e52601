package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The good fixtures give exactly the strings, ELF facts, compression and signature they were built with. */
class GoodModulesTest {
    private static final String VERMAGIC_X86 = "6.1.0-18-amd64 SMP preempt mod_unload modversions ";
    private final ModuleReader reader = new ModuleReader(Fixtures.SMALL_CAP);

    /** The strings ReaderFixtures.typicalStrings lays out, written out again by hand. */
    private static List<ModinfoEntry> typical(String name, String vermagic) {
        return List.of(
                new ModinfoEntry("version", "1.0"),
                new ModinfoEntry("license", "GPL"),
                new ModinfoEntry("description", "fwatlas " + name + " test module"),
                new ModinfoEntry("author", "fwatlas tests"),
                new ModinfoEntry("firmware", "fwatlas/" + name + "/main.bin"),
                new ModinfoEntry("firmware", "fwatlas/" + name + "/patch-*.bin"),
                new ModinfoEntry("alias", "of:N*T*Cfwatlas," + name),
                new ModinfoEntry("depends", ""),
                new ModinfoEntry("intree", "Y"),
                new ModinfoEntry("name", name),
                new ModinfoEntry("vermagic", vermagic));
    }

    static Stream<Arguments> architectures() {
        return Stream.of(
                Arguments.of("x86_64-le64.ko", 64, "little", "x86_64", VERMAGIC_X86, "6.1.0-18-amd64"),
                Arguments.of("s390-be64.ko", 64, "big", "s390", "6.1.0-18-s390x SMP mod_unload modversions ", "6.1.0-18-s390x"),
                Arguments.of("arm-le32.ko", 32, "little", "arm", "6.1.0-18-armmp SMP mod_unload modversions ARMv7 p2v8 ", "6.1.0-18-armmp"),
                Arguments.of("ppc-be32.ko", 32, "big", "ppc", "6.1.0-18-powerpc SMP mod_unload ", "6.1.0-18-powerpc"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void everyClassAndByteOrder(String file, int elfClass, String byteOrder, String machine, String vermagic,
                                String release) throws Exception {
        ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path(file)));
        String name = file.substring(0, file.indexOf('.')).replace('-', '_');
        assertEquals(name, m.name());
        assertEquals(elfClass, m.elfClass());
        assertEquals(byteOrder, m.byteOrder());
        assertEquals(machine, m.machine());
        assertEquals(Compression.NONE, m.compression());
        assertEquals(Files.size(Fixtures.path(file)), m.size());
        assertFalse(m.builtin());
        assertEquals(typical(name, vermagic), m.entries());
        assertEquals(List.of("fwatlas/" + name + "/main.bin", "fwatlas/" + name + "/patch-*.bin"), m.firmware());
        assertEquals(name, m.nameField());
        assertEquals(vermagic, m.vermagic());
        assertEquals(release, m.vermagicRelease());
        assertNull(m.signature());
    }

    static Stream<Arguments> compressions() {
        return Stream.of(
                Arguments.of("x86_64-le64.ko", Compression.NONE),
                Arguments.of("x86_64-le64.ko.xz", Compression.XZ),
                Arguments.of("x86_64-le64.ko.zst", Compression.ZSTD),
                Arguments.of("x86_64-le64.ko.gz", Compression.GZIP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressions")
    void everyCompression(String file, Compression compression) throws Exception {
        ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path(file)));
        assertEquals(compression, m.compression());
        assertEquals("x86_64_le64", m.name());
        assertEquals(Files.size(Fixtures.path(file)), m.size(), "size is the size on disk, not decompressed");
        assertEquals(64, m.elfClass());
        assertEquals("x86_64", m.machine());
        assertEquals(typical("x86_64_le64", VERMAGIC_X86), m.entries());
    }

    @Test
    void sameResultFromAnArray() {
        byte[] b = Fixtures.bytes("x86_64-le64.ko.xz");
        ModuleInfo m = Fixtures.info(reader.read("somewhere/x86_64-le64.ko.xz", new ArrayByteSource(b)));
        assertEquals("somewhere/x86_64-le64.ko.xz", m.path());
        assertEquals(typical("x86_64_le64", VERMAGIC_X86), m.entries());
    }

    @Test
    void magicWinsOverFileName() {
        ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path("zstd-named-xz.ko.xz")));
        assertEquals(Compression.ZSTD, m.compression());
        assertEquals("zstd_named_xz", m.name());
        assertEquals(typical("zstd_named_xz", VERMAGIC_X86), m.entries());
    }

    @Test
    void kmodStringRules() {
        ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path("strings-edge.ko")));
        assertEquals(List.of(
                new ModinfoEntry("license", "GPL"),
                new ModinfoEntry("firmware", "fwatlas/dup.bin"),
                new ModinfoEntry("firmware", "fwatlas/dup.bin"),
                new ModinfoEntry("noequals", ""),
                new ModinfoEntry("key", "=value=x"),
                new ModinfoEntry("author", "J\u00fcrgen"),
                new ModinfoEntry("FIRMWARE", "fwatlas/upper.bin"),
                new ModinfoEntry("depends", ""),
                new ModinfoEntry("name", "strings_edge"),
                new ModinfoEntry("vermagic", VERMAGIC_X86),
                new ModinfoEntry("firmware", "fwatlas/last-no-nul.bin")), m.entries());
        // Keys compare byte for byte: FIRMWARE is not firmware.
        assertEquals(List.of("fwatlas/dup.bin", "fwatlas/dup.bin", "fwatlas/last-no-nul.bin"), m.firmware());
    }

    @Test
    void sectionsWithoutStrings() {
        for (String file : List.of("modinfo-one-byte.ko", "modinfo-empty.ko")) {
            ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path(file)));
            assertEquals(List.of(), m.entries(), file);
            assertNull(m.nameField(), file);
            assertNull(m.vermagicRelease(), file);
        }
    }

    @Test
    void firstModinfoSectionWins() {
        ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path("two-modinfo.ko")));
        assertEquals(List.of("fwatlas/right.bin"), m.firmware());
        assertEquals("two_modinfo", m.nameField());
    }

    @Test
    void sectionsKmodSkipsAreSkipped() {
        // An out-of-range .modinfo and a section with its name outside the name table come first.
        ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path("skipped-sections.ko")));
        assertEquals(List.of("fwatlas/used.bin"), m.firmware());
        assertEquals("skipped_sections", m.nameField());
    }

    @Test
    void sectionsMayEndAtTheEndOfTheFile() {
        // kmod 30 accepts offset + size == file size (older releases did not).
        for (String file : List.of("modinfo-at-eof.ko", "shstrtab-at-eof.ko")) {
            ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path(file)));
            assertEquals(List.of("fwatlas/hostile.bin"), m.firmware(), file);
            assertEquals("hostile", m.nameField(), file);
        }
    }

    @Test
    void moduleWithoutNameString() {
        ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path("old-no-name.ko")));
        assertNull(m.nameField());
        assertEquals("old_no_name", m.name());
        assertEquals("4.9.0-19-amd64", m.vermagicRelease());
        assertEquals(List.of("fwatlas/old.bin"), m.firmware());
    }

    @Test
    void x509Signature() {
        ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path("signed-x509.ko")));
        assertTrue(m.signed());
        ModuleSignature s = m.signature();
        assertEquals("X509", s.idType());
        assertEquals("RSA", s.algo());
        assertEquals("sha256", s.hashAlgo());
        assertEquals("fwatlas test signer", s.signer());
        // key id bytes i * 13 + 5, worked out by hand
        assertEquals("05:12:1F:2C:39:46:53:60:6D:7A:87:94:A1:AE:BB:C8:D5:E2:EF:FC", s.keyId());
        assertEquals(64, s.length());
        assertEquals("signed_x509", m.nameField());
        assertEquals(2, m.firmware().size());
    }

    /** Java serialization (Spark's, say) keeps every detail, whether a PKCS#7 blob was parsed before or not. */
    @Test
    void signaturesSurviveSerialization() throws Exception {
        for (String file : List.of("signed-x509.ko", "signed-pkcs7.ko")) {
            ModuleSignature parsed = Fixtures.info(reader.readFile(Fixtures.path(file))).signature();
            assertNotNull(parsed.signer(), file);
            ModuleSignature unparsed = Fixtures.info(reader.readFile(Fixtures.path(file))).signature();
            for (ModuleSignature s : List.of(parsed, unparsed)) {
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(b)) {
                    out.writeObject(s);
                }
                try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                        new java.io.ByteArrayInputStream(b.toByteArray()))) {
                    ModuleSignature back = (ModuleSignature) in.readObject();
                    assertEquals(parsed.toString(), back.toString(), file);
                    assertEquals(parsed, back, file);
                }
            }
        }
    }

    @Test
    void pkcs7Signature() {
        for (String file : List.of("signed-pkcs7.ko", "signed-pkcs7.ko.xz")) {
            ModuleInfo m = Fixtures.info(reader.readFile(Fixtures.path(file)));
            ModuleSignature s = m.signature();
            assertEquals("PKCS#7", s.idType(), file);
            assertEquals(398, s.length(), file); // the DER blob's size
            assertNull(s.algo(), file);
            // as kmod 30 (OpenSSL) prints them for this blob
            assertEquals("fwatlas test signing key", s.signer(), file);
            assertEquals("5A:17:CA:7E", s.keyId(), file);
            assertEquals("sha256", s.hashAlgo(), file);
            assertTrue(s.value().startsWith("A4:6B:61:E1:20:B1:69:D6:E1:49:55:36:D5:AD:A6:EC:0F:17:29:6C:"), file);
            assertTrue(s.complete(), file);
            assertEquals(List.of("fwatlas/signed_pkcs7/main.bin", "fwatlas/signed_pkcs7/patch-*.bin"), m.firmware());
        }
    }

    @Test
    void signatureNeedsTheWholeTrailer() {
        // Cutting the signature's last byte (the '\n' of the magic) leaves an unsigned module.
        byte[] b = Fixtures.bytes("signed-x509.ko");
        ModuleInfo m = Fixtures.info(reader.read("cut.ko", new ArrayByteSource(b, b.length - 1)));
        assertNull(m.signature());
        assertEquals("signed_x509", m.nameField());
    }

    @Test
    void symlinksAreFollowed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path link = dir.resolve("linked-mod.ko");
        Files.createSymbolicLink(link, Fixtures.path("x86_64-le64.ko").toAbsolutePath());
        ModuleInfo m = Fixtures.info(reader.readFile(link));
        assertEquals("linked_mod", m.name());
        assertEquals("x86_64_le64", m.nameField());
    }

    @Test
    void imageGivesTheRawSection() throws Exception {
        ModuleImage image = ModuleImage.open(new ArrayByteSource(Fixtures.bytes("strings-edge.ko")), Fixtures.SMALL_CAP);
        assertEquals(Compression.NONE, image.compression());
        byte[] raw = image.modinfo(Fixtures.SMALL_CAP);
        assertEquals(0, raw[0]);
        assertEquals('l', raw[4]);
        assertEquals('n', raw[raw.length - 1]); // ...last-no-nul.bin, no NUL after it
        List<ModinfoEntry> again = new ArrayList<>(ModinfoStrings.split(raw));
        assertEquals(Fixtures.info(reader.readFile(Fixtures.path("strings-edge.ko"))).entries(), again);
    }
}
