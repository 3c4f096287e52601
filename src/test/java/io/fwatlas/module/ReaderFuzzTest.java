package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fwatlas.fixtures.Compressors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over the good fixtures, plain and compressed: whatever the bytes, the
 * reader returns a result, never throws, never reaches its catch-all for bugs, and stays fast and
 * small. The seed is fixed so a failure reproduces; the failing input is printed in Base64.
 * {@code -Dfwatlas.fuzz.iterations=N} and {@code -Dfwatlas.fuzz.seed=S} run a longer or other campaign.
 */
class ReaderFuzzTest {
    private static final int ITERATIONS = Integer.getInteger("fwatlas.fuzz.iterations", 100_000);
    private static final long SEED = Long.getLong("fwatlas.fuzz.seed", 0x5EED_F1A5L);
    private static final long CAP = 4L << 20;

    private static final long[] INTERESTING = {
        0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffffL, 0x80000000L,
        0xffffffffL, 0x100000000L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -2L, -64L, 40, 52, 64,
    };

    private record Seed(String name, byte[] bytes, boolean elf) {
    }

    @Test
    void readerNeverThrowsNorHitsItsCatchAll() {
        List<Seed> seeds = seeds();
        ModuleReader reader = new ModuleReader(CAP);
        SplittableRandom rnd = new SplittableRandom(SEED);
        Map<ErrorKind, Integer> kinds = new EnumMap<>(ErrorKind.class);
        int read = 0;
        long slowest = 0;
        long mostAllocated = 0;
        long start = System.nanoTime();
        for (int i = 0; i < ITERATIONS; i++) {
            Seed seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] input = mutate(seed, seeds, rnd);
            String path = "fuzz/" + i + "-" + seed.name();
            long t0 = System.nanoTime();
            long a0 = Fixtures.allocatedBytes();
            ModuleResult r;
            try {
                r = reader.read(path, new ArrayByteSource(input));
            } catch (Throwable t) {
                throw new AssertionError(reproduce(i, seed, input, "threw " + t), t);
            }
            long took = System.nanoTime() - t0;
            long allocated = Fixtures.allocatedBytes() - a0;
            slowest = Math.max(slowest, took);
            mostAllocated = Math.max(mostAllocated, allocated);
            if (r == null) {
                fail(reproduce(i, seed, input, "returned null"));
            }
            if (r instanceof ModuleError e) {
                kinds.merge(e.kind(), 1, Integer::sum);
                if (e.message().contains("unexpected reader failure") || !e.message().startsWith(path + ": ")
                        || e.kind() == ErrorKind.IO_ERROR) {
                    fail(reproduce(i, seed, input, e.kind() + ": " + e.message()));
                }
            } else {
                ModuleInfo m = (ModuleInfo) r;
                if ((m.elfClass() != 32 && m.elfClass() != 64) || m.entries() == null) {
                    fail(reproduce(i, seed, input, "odd module info " + m));
                }
                read++;
            }
            // Buffers double up to the 4 MiB cap; a read that takes more is a bug.
            if (allocated > 8 * CAP) {
                fail(reproduce(i, seed, input, "allocated " + allocated + " bytes"));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("fuzz: %d inputs in %d ms (seed %#x), %d read as modules, errors %s, slowest %d ms,"
                + " most allocated %d bytes%n", ITERATIONS, millis, SEED, read, kinds, slowest / 1_000_000, mostAllocated);
        // 100,000 inputs take about 10 s on a loaded two-core machine; a minute per 100,000 means a slow path.
        assertTrue(millis < 60_000L * Math.max(1, ITERATIONS / 100_000), "fuzzing took " + millis + " ms");
        assertTrue(slowest < 2_000_000_000L, "slowest read took " + slowest / 1_000_000 + " ms");
        // The mutations must not be so wild that nothing gets past the first checks.
        assertTrue(read > ITERATIONS / 50, "only " + read + " inputs were read as modules");
        assertTrue(kinds.getOrDefault(ErrorKind.TRUNCATED, 0) > 0 && kinds.getOrDefault(ErrorKind.BAD_SECTION_TABLE, 0) > 0
                && kinds.getOrDefault(ErrorKind.CORRUPT_COMPRESSED, 0) > 0, "kinds reached: " + kinds);
    }

    /** The good fixtures (plain and compressed) and the near-good hostile ones; no bombs. */
    private static List<Seed> seeds() {
        List<Seed> out = new ArrayList<>();
        for (String name : Fixtures.names()) {
            if (name.contains("bomb") || name.equals("modules.builtin.modinfo")) {
                continue;
            }
            byte[] b = Fixtures.bytes(name);
            boolean elf = b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
            out.add(new Seed(name, b, elf));
        }
        return out;
    }

    private static byte[] mutate(Seed seed, List<Seed> seeds, SplittableRandom rnd) {
        byte[] b = seed.bytes().clone();
        // Now and then mutate the ELF inside and compress it again, so the mutation survives the stream.
        int recompress = seed.elf() ? rnd.nextInt(40) : -1;
        int rounds = 1 + rnd.nextInt(4);
        for (int k = 0; k < rounds; k++) {
            b = mutateOnce(b, seed.elf(), seeds, rnd);
        }
        switch (recompress) {
            case 0:
                return Compressors.zstd(b);
            case 1:
                return Compressors.gzip(b);
            case 2:
                return rnd.nextInt(4) == 0 ? Compressors.xz(b) : b; // xz is slow to set up: rarer
            default:
                return b;
        }
    }

    private static byte[] mutateOnce(byte[] b, boolean elf, List<Seed> seeds, SplittableRandom rnd) {
        if (b.length == 0) {
            return new byte[] {(byte) rnd.nextInt(256)};
        }
        switch (rnd.nextInt(8)) {
            case 0: { // bit flip
                int p = rnd.nextInt(b.length);
                b[p] ^= (byte) (1 << rnd.nextInt(8));
                return b;
            }
            case 1: { // a byte set to a boundary value
                byte[] values = {0x00, (byte) 0xff, 0x7f, (byte) 0x80};
                b[rnd.nextInt(b.length)] = values[rnd.nextInt(values.length)];
                return b;
            }
            case 2: // truncation
                return Arrays.copyOf(b, rnd.nextInt(b.length));
            case 3: // an interesting value at a header or section-table field
            case 4: {
                int width = rnd.nextBoolean() ? 4 : (rnd.nextBoolean() ? 8 : 2);
                int at = elf ? fieldOffset(b, rnd) : rnd.nextInt(b.length);
                long v = rnd.nextInt(5) == 0 ? b.length + rnd.nextInt(-2, 3) : INTERESTING[rnd.nextInt(INTERESTING.length)];
                put(b, at, width, v, elf ? b.length > 5 && b[5] == 2 : rnd.nextBoolean());
                return b;
            }
            case 5: { // splice a piece of another seed over this one
                byte[] other = seeds.get(rnd.nextInt(seeds.size())).bytes();
                if (other.length == 0) {
                    return b;
                }
                int from = rnd.nextInt(other.length);
                int len = Math.min(rnd.nextInt(1, 65), other.length - from);
                int to = rnd.nextInt(b.length);
                System.arraycopy(other, from, b, to, Math.min(len, b.length - to));
                return b;
            }
            case 6: { // insert a piece of itself (shifts everything after it)
                int from = rnd.nextInt(b.length);
                int len = Math.min(rnd.nextInt(1, 33), b.length - from);
                int at = rnd.nextInt(b.length + 1);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, from, out, at, len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            default: { // random bytes over a short range
                int at = rnd.nextInt(b.length);
                int len = Math.min(rnd.nextInt(1, 9), b.length - at);
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) rnd.nextInt(256);
                }
                return b;
            }
        }
    }

    /** Offset of e_shoff, e_shentsize, e_shnum, e_shstrndx or a section's name, offset or size. */
    private static int fieldOffset(byte[] b, SplittableRandom rnd) {
        boolean is64 = b.length > 4 && b[4] == 2;
        int[] header = is64 ? new int[] {0x28, 0x3A, 0x3C, 0x3E} : new int[] {0x20, 0x2E, 0x30, 0x32};
        if (rnd.nextInt(3) == 0 || b.length < (is64 ? 64 : 52)) {
            return header[rnd.nextInt(header.length)];
        }
        long shoff = get(b, header[0], is64 ? 8 : 4, b[5] == 2);
        int entry = is64 ? 64 : 40;
        int index = rnd.nextInt(8);
        int[] fields = is64 ? new int[] {0, 24, 32} : new int[] {0, 16, 20};
        long at = shoff + (long) index * entry + fields[rnd.nextInt(fields.length)];
        return at >= 0 && at < b.length ? (int) at : rnd.nextInt(b.length);
    }

    private static long get(byte[] b, int off, int width, boolean bigEndian) {
        long v = 0;
        for (int i = 0; i < width && off + i < b.length; i++) {
            int idx = bigEndian ? off + i : off + width - 1 - i;
            if (idx < b.length) {
                v = (v << 8) | (b[idx] & 0xff);
            }
        }
        return v;
    }

    private static void put(byte[] b, int off, int width, long v, boolean bigEndian) {
        for (int i = 0; i < width; i++) {
            int idx = bigEndian ? off + width - 1 - i : off + i;
            if (idx >= 0 && idx < b.length) {
                b[idx] = (byte) (v >>> (8 * i));
            }
        }
    }

    private static String reproduce(int iteration, Seed seed, byte[] input, String what) {
        return "input " + iteration + " (from " + seed.name() + ", seed " + Long.toHexString(SEED) + ") " + what
                + "\ninput base64: " + new String(Base64.getEncoder().encode(input), StandardCharsets.US_ASCII);
    }
}
