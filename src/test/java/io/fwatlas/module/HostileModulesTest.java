package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code *-fail.*} fixture gives a typed error whose message names the file and the numbers
 * at fault, quickly and in bounded memory. The numbers were worked out from the fixture layouts by
 * hand and checked with readelf.
 */
class HostileModulesTest {
    private static final long BIG_BOMB_SIZE = 600_000_000L;

    private record Expect(ErrorKind kind, String... fragments) {
    }

    private static final Map<String, Expect> EXPECTED = new TreeMap<>();

    private static void expect(String file, ErrorKind kind, String... fragments) {
        EXPECTED.put(file, new Expect(kind, fragments));
    }

    static {
        ErrorKind notElf = ErrorKind.NOT_ELF;
        ErrorKind truncated = ErrorKind.TRUNCATED;
        ErrorKind bad = ErrorKind.BAD_SECTION_TABLE;
        ErrorKind corrupt = ErrorKind.CORRUPT_COMPRESSED;
        ErrorKind limit = ErrorKind.SIZE_LIMIT;
        expect("empty-fail.ko", notElf, "empty file (0 bytes)");
        expect("garbage-fail.ko", notElf, "bad magic 54 68 69 73");
        expect("short-magic-fail.ko", notElf, "file of 3 bytes");
        expect("bad-class-fail.ko", notElf, "class 3");
        expect("bad-byte-order-fail.ko", notElf, "byte order 0");
        expect("truncated-ident-fail.ko", truncated, "ELF identification", "needs 16 bytes at offset 0", "has 10 bytes");
        expect("truncated-ehdr-fail.ko", truncated, "ELF header", "needs 64 bytes at offset 0", "has 40 bytes");
        expect("truncated-ehdr32-fail.ko", truncated, "ELF header", "needs 52 bytes at offset 0", "has 30 bytes");
        expect("truncated-shdr-fail.ko", truncated, "section table (4 entries)", "needs 256 bytes at offset 408", "has 508 bytes");
        expect("truncated-shdr-small-fail.ko", bad, "4 section headers", "file of 268 bytes");
        expect("truncated-shstrtab-fail.ko", truncated, "section-name table", "needs 26 bytes at offset 632", "has 645 bytes");
        expect("truncated-modinfo-fail.ko", truncated, ".modinfo section", "needs 54 bytes at offset 608", "has 631 bytes");
        expect("modinfo-past-eof-fail.ko", truncated, ".modinfo section", "needs 4096 bytes at offset 80", "has 424 bytes");
        expect("modinfo-past-eof-be32-fail.ko", truncated, ".modinfo section", "needs 4096 bytes at offset 72", "has 320 bytes");
        expect("modinfo-offset-overflow-fail.ko", truncated, ".modinfo section", "at offset 18446744073709551600", "has 424 bytes");
        expect("modinfo-offset-overflow32-fail.ko", truncated, ".modinfo section", "at offset 4294967280", "has 320 bytes");
        expect("modinfo-size-overflow-fail.ko", truncated, ".modinfo section", "needs 18446744073709551552 bytes at offset 80");
        expect("shoff-past-eof-fail.ko", truncated, "section table (4 entries)", "at offset 100000", "has 424 bytes");
        expect("shoff-past-eof-be64-fail.ko", truncated, "section table (4 entries)", "at offset 100000", "has 424 bytes");
        expect("shoff-overflow-fail.ko", truncated, "section table (4 entries)", "at offset 18446744073709551488");
        expect("shnum-huge-fail.ko", bad, "65535 section headers", "file of 424 bytes");
        expect("shnum-huge-be32-fail.ko", bad, "65535 section headers", "file of 320 bytes");
        expect("shentsize-wrong-fail.ko", bad, "section entry size 40, expected 64");
        expect("shentsize-wrong32-fail.ko", bad, "section entry size 64, expected 40");
        expect("shstrndx-out-of-range-fail.ko", bad, "index 4", "4 sections");
        expect("shstrndx-zero-fail.ko", bad, "index 0", "4 sections");
        expect("shstrtab-no-nul-fail.ko", bad, "26 bytes does not end with NUL");
        expect("shstrtab-offset-overflow-fail.ko", truncated, "section-name table", "at offset 18446744073709551608");
        expect("shstrtab-empty-fail.ko", bad, "section-name table is empty");
        expect("no-modinfo-fail.ko", ErrorKind.NO_MODINFO, "no .modinfo section among 4 sections");
        expect("xz-bomb-fail.ko.xz", limit, "xz output", "limit of 1048576 bytes");
        expect("zstd-bomb-fail.ko.zst", limit, "zstd output", "limit of 1048576 bytes");
        expect("gzip-bomb-fail.ko.gz", limit, "gzip output", "limit of 1048576 bytes");
        expect("zstd-bomb-600m-fail.ko.zst", limit, "zstd output", "limit of 1048576 bytes");
        expect("xz-corrupt-fail.ko.xz", corrupt, "xz stream");
        expect("xz-truncated-fail.ko.xz", corrupt, "xz stream", "100 bytes of input");
        expect("xz-trailing-garbage-fail.ko.xz", corrupt, "xz stream");
        expect("xz-not-elf-fail.ko.xz", notElf, "bad magic 54 68 69 73", "after xz decompression");
        expect("zstd-corrupt-fail.ko.zst", corrupt, "zstd stream");
        expect("zstd-truncated-fail.ko.zst", corrupt, "zstd stream");
        expect("zstd-truncated-elf-fail.ko.zst", truncated, "ELF header", "has 40 bytes", "after zstd decompression");
        expect("gzip-corrupt-fail.ko.gz", corrupt, "gzip stream");
        expect("gzip-truncated-fail.ko.gz", corrupt, "gzip stream", "223 bytes of input");
    }

    private final ModuleReader reader = new ModuleReader(Fixtures.SMALL_CAP);

    static Stream<String> hostileFiles() {
        return Fixtures.names().stream().filter(Fixtures::isHostile);
    }

    @Test
    void tableCoversExactlyTheHostileFiles() {
        assertEquals(EXPECTED.keySet().stream().sorted().collect(Collectors.toList()), hostileFiles().collect(Collectors.toList()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void typedErrorNamingFileAndNumbers(String file) {
        Expect want = EXPECTED.get(file);
        assertTrue(want != null, "no expectation for " + file);
        Path path = Fixtures.path(file);
        long[] allocated = new long[1];
        ModuleResult r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            long before = Fixtures.allocatedBytes();
            ModuleResult res = reader.readFile(path);
            allocated[0] = Fixtures.allocatedBytes() - before;
            return res;
        });
        ModuleError e = assertInstanceOf(ModuleError.class, r, file + " was read");
        assertEquals(want.kind(), e.kind(), e.message());
        assertTrue(e.message().startsWith(path + ": "), e.message());
        for (String f : want.fragments()) {
            assertTrue(e.message().contains(f), "'" + f + "' missing in: " + e.message());
        }
        assertTrue(!e.message().contains("unexpected reader failure"), e.message());
        assertEquals(path.toString(), e.path());
        assertEquals(ModuleNames.fromPath(file), e.name());
        // The cap is 1 MiB; buffers double up to it, so a few MiB is the most a read may take.
        assertTrue(allocated[0] < 16L << 20, file + " allocated " + allocated[0] + " bytes");
    }

    @Test
    void bigBombStopsAtTheDefaultCap() throws Exception {
        // 600 MB of zeros in 18 KB: the default 512 MiB cap must stop it, in time and memory near the cap.
        Path path = Fixtures.path("zstd-bomb-600m-fail.ko.zst");
        assertTrue(Files.size(path) < 32 * 1024);
        ModuleReader big = new ModuleReader();
        long[] allocated = new long[1];
        ModuleResult r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            long before = Fixtures.allocatedBytes();
            ModuleResult res = big.readFile(path);
            allocated[0] = Fixtures.allocatedBytes() - before;
            return res;
        });
        ModuleError e = assertInstanceOf(ModuleError.class, r);
        assertEquals(ErrorKind.SIZE_LIMIT, e.kind(), e.message());
        assertTrue(e.message().contains("limit of " + ModuleReader.DEFAULT_MAX_SIZE + " bytes"), e.message());
        // The output buffer doubles up to cap + 1 bytes: all buffers together stay below three caps
        // (about 2.1 here), and reading stops at the cap instead of going on to 600 MB.
        assertTrue(allocated[0] < 3 * ModuleReader.DEFAULT_MAX_SIZE,
                "allocated " + allocated[0] + " bytes for a " + BIG_BOMB_SIZE + "-byte bomb");
    }

    @Test
    void directoryIsNotAModule(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectory(dir.resolve("dir-mod.ko"));
        ModuleError e = assertInstanceOf(ModuleError.class, reader.readFile(d));
        assertEquals(ErrorKind.NOT_A_FILE, e.kind());
        assertTrue(e.message().startsWith(d + ": "), e.message());
        assertTrue(e.message().contains("directory"), e.message());
        assertEquals("dir_mod", e.name());
    }

    @Test
    void fifoDoesNotBlock(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo-mod.ko");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo not available");
        // Nobody writes to the FIFO: opening it for reading would block forever.
        ModuleResult r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> reader.readFile(fifo));
        ModuleError e = assertInstanceOf(ModuleError.class, r);
        assertEquals(ErrorKind.NOT_A_FILE, e.kind());
        assertTrue(e.message().startsWith(fifo + ": "), e.message());
        assertTrue(e.message().contains("FIFO"), e.message());
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.ko");
        ModuleError e = assertInstanceOf(ModuleError.class, reader.readFile(missing));
        assertEquals(ErrorKind.IO_ERROR, e.kind());
        assertTrue(e.message().startsWith(missing + ": no such file"), e.message());
    }

    @Test
    void everyCutOfAGoodModuleFailsCleanly() {
        // Truncation at every byte, not just at the structure boundaries the fixtures pick.
        for (String file : List.of("x86_64-le64.ko", "ppc-be32.ko", "x86_64-le64.ko.xz", "x86_64-le64.ko.zst",
                "x86_64-le64.ko.gz")) {
            byte[] b = Fixtures.bytes(file);
            for (int n = 0; n < b.length; n++) {
                ModuleResult r = reader.read(file, new ArrayByteSource(b, n));
                if (r instanceof ModuleError e) {
                    assertTrue(!e.message().contains("unexpected reader failure"), e.message());
                    assertTrue(e.kind() != ErrorKind.IO_ERROR, e.message());
                } else {
                    // The section table ends a plain module, and a cut compressed stream is broken:
                    // no proper prefix may be read.
                    throw new AssertionError(file + " cut to " + n + " bytes was read: " + r);
                }
            }
        }
    }
}
