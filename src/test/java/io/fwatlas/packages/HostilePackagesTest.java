package io.fwatlas.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.PackageFixtures;
import io.fwatlas.fixtures.PackageFixtures.PackagedModule;
import io.fwatlas.module.ArrayByteSource;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleError;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code *-fail.*} package gives the expected error kind naming the member at fault with the
 * numbers, after delivering exactly the modules before the fault; quickly and in bounded memory.
 * Numbers come from the fixture layouts (sizes and offsets the generator wrote).
 */
class HostilePackagesTest {
    private static final long CAP = 1L << 20;
    private static final long EXPANDED = 64L << 20;
    private static final String K12 = PackageFixtures.K12;
    private static final String L12 = "lib/modules/" + K12 + "/kernel/drivers/net/wireless/";
    private static final String ATH = L12 + "ath/ath11k/ath11k_pci.ko";
    private static final String BRCM = L12 + "broadcom/brcm80211/brcmfmac/brcmfmac.ko";

    /**
     * @param kind      the package error's kind, or null when the package completes
     * @param member    the member the error names
     * @param delivered module results delivered before the fault
     * @param intact    how many of those must equal reading the same bytes directly
     * @param limited   paths of delivered size_limit results
     */
    private record Expect(ErrorKind kind, String member, int delivered, int intact, List<String> limited,
                          String... fragments) {
    }

    private static final Map<String, Expect> EXPECTED = new TreeMap<>();

    private static void expect(String file, ErrorKind kind, String member, int delivered, String... fragments) {
        EXPECTED.put(file, new Expect(kind, member, delivered, delivered, List.of(), fragments));
    }

    static {
        ErrorKind bad = ErrorKind.BAD_PACKAGE;
        ErrorKind cut = ErrorKind.TRUNCATED;
        String deb13 = "./usr/lib/modules/" + PackageFixtures.K13 + "/";
        EXPECTED.put("deb-bomb-member-fail.deb", new Expect(null, null, 3, 2, List.of("kernel/bomb.ko")));
        expect("deb-cut-data-fail.deb", cut, deb13 + "kernel/drivers/bluetooth/btintel.ko.xz", 3,
                "ar member data.tar.xz (7972 bytes declared)", "needs 7972 bytes", "ends after 4783");
        expect("deb-cut-header-fail.deb", cut, "control.tar.xz", 0, "Truncated ar archive", "after 406 bytes");
        expect("deb-member-size-fail.deb", cut, deb13 + "modules.order", 6, "data.tar.xz (compressed stream)",
                "after 7872 bytes");
        expect("deb-no-data-fail.deb", bad, "control.tar.xz", 0, "no data.tar member (members: debian-binary, control.tar.xz)");
        expect("garbage-fail.deb", bad, null, 0, "not a deb, rpm or tar package", "first bytes 54 68 69 73");
        expect("rpm-bzip2-fail.rpm", bad, null, 0, "payload compressor 'bzip2' (tag 1125) is not supported");
        expect("rpm-compressor-fail.rpm", bad, null, 0, "is xz-compressed, but it starts with zstd magic");
        expect("rpm-cpio-huge-fail.rpm", cut, "./boot/vmlinuz-" + K12, 9, "cpio archive",
                "declaring " + PackageFixtures.HUGE_CPIO + " bytes");
        expect("rpm-cut-header-fail.rpm", cut, null, 0, "rpm header at offset 136 (11 entries, 818 data bytes)",
                "needs 1010 bytes", "ends after 160");
        expect("rpm-cut-payload-fail.rpm", cut, "./lib/modules/" + K12 + "/modules.builtin.modinfo", 9,
                "payload (xz cpio at offset 1146) (compressed stream): ends early");
        expect("rpm-datasize-fail.rpm", cut, null, 0, "(8 entries, 200000000 data bytes)", "needs 200000144 bytes");
        expect("rpm-entries-fail.rpm", bad, null, 0, "268435456 index entries, expected 1 to 65535");
        expect("rpm-offset-fail.rpm", bad, null, 0, "(tag 1125)", "at offset 1048576 lie outside the 57-byte data store");
        expect("tar-bomb-total-fail.tar.zst", ErrorKind.SIZE_LIMIT, "boot/initrd.img-" + K12, 1,
                "more than the limit of " + EXPANDED + " bytes");
        expect("tar-checksum-fail.tar", bad, ATH, 1, "tar header at byte 4096 has a wrong checksum");
        expect("tar-cut-end-fail.tar", cut, ATH, 1, "tar header at byte 4096", "needs 512 bytes", "ends after 0");
        expect("tar-cut-header-fail.tar", cut, ATH, 1, "tar header at byte 4096", "needs 512 bytes", "ends after 200");
        expect("tar-cut-module-fail.tar", cut, BRCM, 1, "tar entry " + BRCM, "needs 1968 bytes", "ends after 300");
        EXPECTED.put("tar-huge-entry-fail.tar", new Expect(cut, "lib/modules/" + K12 + "/kernel/huge.ko", 3, 2,
                List.of("kernel/huge.ko"), "Truncated TAR archive", "declaring " + PackageFixtures.HUGE_TAR + " bytes"));
        // The entry declared 1024 bytes too long swallows the next header: it is read, altered, then the
        // misplaced header fails its checksum.
        EXPECTED.put("tar-size-fail.tar", new Expect(bad, BRCM, 2, 1, List.of(),
                "tar header at byte 7680 has a wrong checksum"));
        expect("xz-corrupt-fail.tar.xz", ErrorKind.CORRUPT_COMPRESSED, null, 0, "xz stream", "is corrupt");
        // Firmware packages hold no modules; FirmwarePackagesTest checks their firmware entries.
        expect("fw-control-fail.deb", bad, "control.tar.xz member ./control", 0,
                "control file line 1: continuation before any field");
        expect("fw-cpio-link-fail.rpm", null, null, 0);
        expect("fw-cut-member-fail.deb", cut, "./lib/firmware/acme/nested/deep/cal.dat", 0,
                "ar member data.tar (18944 bytes declared)", "needs 18944 bytes", "ends after 10280");
        expect("fw-hardlink-fail.deb", null, null, 0);
        expect("linux-firmware-whence-fail.tar", null, null, 0);
    }

    private final PackageReader reader = new PackageReader(CAP, EXPANDED);

    @org.junit.jupiter.api.BeforeAll
    static void warmUp() {
        // Loading classes and liblzma allocates once; the allocation checks measure reading.
        for (String pkg : PackageFixtures.goodModules().keySet()) {
            Collect.read(new PackageReader(), pkg, Collect.bytes(pkg));
        }
    }

    static Stream<String> hostile() throws IOException {
        try (Stream<Path> s = Files.list(Collect.dir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains("-fail.")).sorted().toList().stream();
        }
    }

    @Test
    void tableCoversExactlyTheHostileFiles() throws IOException {
        assertEquals(List.copyOf(EXPECTED.keySet()), hostile().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void errorNamesMemberAndNumbersAfterDeliveringWhatCameBefore(String file) {
        Expect want = EXPECTED.get(file);
        byte[] bytes = Collect.bytes(file);
        long[] allocated = new long[1];
        Collect c = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            long before = allocatedBytes();
            Collect r = Collect.read(reader, file, bytes);
            allocated[0] = allocatedBytes() - before;
            return r;
        });
        if (want.kind() == null) {
            assertEquals(List.of(), c.errors, file);
            assertNull(c.summary.error());
        } else {
            assertEquals(1, c.errors.size(), file + ": " + c.errors);
            PackageError e = c.errors.get(0);
            assertEquals(e, c.summary.error());
            assertEquals(want.kind(), e.kind(), e.message());
            assertEquals(want.member(), e.member(), e.message());
            assertEquals(file, e.packageName());
            assertTrue(e.message().startsWith(file + ": "), e.message());
            if (want.member() != null) {
                assertTrue(e.message().contains(" member " + want.member() + ": "), e.message());
            }
            for (String f : want.fragments()) {
                assertTrue(e.message().contains(f), "'" + f + "' missing in: " + e.message());
            }
            assertTrue(!e.message().contains("unexpected reader failure"), e.message());
        }
        assertEquals(want.delivered(), c.modules.size(), file + ": " + c.modules);
        assertEquals(want.delivered(), c.summary.modules());
        checkDelivered(file, c.modules, want);
        // The cap is 1 MiB and the bombs expand to 48 and 100 MiB: nothing of that size may be held.
        assertTrue(allocated[0] < 24L << 20, file + " allocated " + allocated[0] + " bytes");
    }

    /** Delivered modules are real reads of the members' bytes, or size_limit results for the bombs. */
    private static void checkDelivered(String file, List<Collect.Module> got, Expect want) {
        Map<String, byte[]> known = new HashMap<>();
        for (PackagedModule m : PackageFixtures.modules12()) {
            known.put(m.kernel() + "/" + m.path(), m.data());
        }
        for (PackagedModule m : PackageFixtures.modules13()) {
            known.put(m.kernel() + "/" + m.path(), m.data());
        }
        ModuleReader direct = new ModuleReader(CAP);
        int intact = 0;
        List<String> limited = new ArrayList<>();
        for (Collect.Module m : got) {
            if (m.result() instanceof ModuleError err && err.kind() == ErrorKind.SIZE_LIMIT) {
                assertTrue(err.message().contains("more than the limit of " + CAP + " bytes"), err.message());
                limited.add(m.path());
                continue;
            }
            byte[] data = known.get(m.kernel() + "/" + m.path());
            assertTrue(data != null, file + ": unknown module " + m.path());
            if (direct.read(m.path(), new ArrayByteSource(data)).equals(m.result())) {
                intact++;
            }
            assertInstanceOf(ModuleInfo.class, m.result(), file + ": " + m.path());
        }
        assertEquals(want.intact(), intact, file);
        assertEquals(want.limited(), limited, file);
    }

    @Test
    void memberOverTheCapIsSkippedNotBufferedAndReadingGoesOn() {
        // 48 MiB of zeros in a 7 KB package, between two good modules, with a 1 MiB cap.
        byte[] bytes = Collect.bytes("deb-bomb-member-fail.deb");
        assertTrue(bytes.length < 16 * 1024);
        long before = allocatedBytes();
        Collect c = Collect.read(reader, "bomb.deb", bytes);
        long allocated = allocatedBytes() - before;
        assertEquals(List.of(), c.errors);
        assertEquals(List.of("kernel/drivers/net/wireless/ath/ath11k/ath11k_pci.ko", "kernel/bomb.ko",
                "kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko"), c.modules.stream().map(Collect.Module::path).toList());
        ModuleError bomb = assertInstanceOf(ModuleError.class, c.modules.get(1).result());
        assertEquals(ErrorKind.SIZE_LIMIT, bomb.kind());
        assertEquals(PackageFixtures.BOMB_MEMBER, bomb.size());
        assertTrue(bomb.message().contains("at least " + PackageFixtures.BOMB_MEMBER + " needed"), bomb.message());
        assertInstanceOf(ModuleInfo.class, c.modules.get(2).result());
        assertTrue(c.summary.expandedBytes() > PackageFixtures.BOMB_MEMBER, c.summary.toString());
        assertTrue(allocated < 8L << 20, "allocated " + allocated + " bytes for a " + PackageFixtures.BOMB_MEMBER
                + "-byte member");
    }

    @Test
    void everyCutOfAGoodPackageFailsCleanlyAfterAPrefix() {
        for (String pkg : List.of("deb-xz.deb", "deb-tar.deb", "rpm-zst.rpm", "tree.tar.gz", "tree.tar.zst")) {
            byte[] full = Collect.bytes(pkg);
            List<Collect.Module> all = Collect.read(reader, pkg, full).modules;
            for (int n = 0; n < full.length; n += 61) {
                byte[] cut = Arrays.copyOf(full, n);
                int at = n;
                Collect c = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Collect.read(reader, pkg, cut),
                        pkg + " cut at " + at);
                assertEquals(1, c.errors.size(), pkg + " cut at " + n + " was read whole");
                PackageError e = c.errors.get(0);
                assertTrue(e.kind() == ErrorKind.TRUNCATED || e.kind() == ErrorKind.BAD_PACKAGE
                        || e.kind() == ErrorKind.CORRUPT_COMPRESSED, pkg + " cut at " + n + ": " + e.message());
                assertTrue(!e.message().contains("unexpected reader failure"), e.message());
                assertEquals(all.subList(0, c.modules.size()), c.modules, pkg + " cut at " + n);
            }
        }
    }

    @Test
    void readerFailureIsAnIoError() {
        byte[] full = Collect.bytes("tree.tar");
        java.io.InputStream failing = new java.io.InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos == 5000) {
                    throw new IOException("disk on fire");
                }
                return full[pos++] & 0xff;
            }
        };
        Collect c = new Collect();
        c.summary = reader.read("tree.tar", failing, full.length, c);
        assertEquals(ErrorKind.IO_ERROR, c.summary.error().kind());
        assertTrue(c.summary.error().message().contains("disk on fire"), c.summary.error().message());
    }

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
