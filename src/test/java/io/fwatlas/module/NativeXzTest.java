package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.Compressors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** liblzma through JNA must give exactly XZ for Java's bytes, also under threads and GC pressure. */
class NativeXzTest {

    @Test
    void decodesLikeXzForJavaUnderConcurrencyAndGc() throws Exception {
        assumeTrue(NativeXz.AVAILABLE, "liblzma not loadable here");
        SplittableRandom rnd = new SplittableRandom(42);
        List<byte[]> plain = new ArrayList<>();
        List<byte[]> packed = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // Half random, half runs: a slow, large decode like bcachefs.ko.xz (0.8 MB in, 3 MB out),
            // which is what a collection in the middle of a call would hit.
            byte[] b = new byte[1_000_000 + rnd.nextInt(1_000_000)];
            for (int k = 0; k < b.length; k += 4096) {
                int end = Math.min(b.length, k + 4096);
                if ((k / 4096) % 2 == 0) {
                    for (int j = k; j < end; j++) {
                        b[j] = (byte) rnd.nextInt(256);
                    }
                } else {
                    Arrays.fill(b, k, end, (byte) rnd.nextInt(256));
                }
            }
            plain.add(b);
            packed.add(Compressors.xz(b));
        }
        // Many calls first, so the JIT compiles decode(): compiled code is where a local that is no
        // longer read stops keeping its object alive.
        byte[] small = Compressors.xz(plain.get(0), 0, 30_000);
        for (int i = 0; i < 10_000; i++) {
            try (NativeBytes out = NativeXz.decode(new ArrayByteSource(small), 1 << 20, 64L << 20)) {
                assertEquals(30_000, out.size());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        // Collections while decodes run are what would free a buffer liblzma still reads.
        AtomicBoolean done = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            while (!done.get()) {
                System.gc();
                LockSupport.parkNanos(200_000);
            }
        });
        collector.setDaemon(true);
        collector.start();
        try {
            List<Future<?>> jobs = new ArrayList<>();
            // Enough calls for the JIT to compile decode(), which is when a dead local may be collected.
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < plain.size(); i++) {
                    int n = i;
                    jobs.add(pool.submit(() -> {
                        byte[] in = packed.get(n);
                        // A first-chunk guess of 4x the input makes several chunks for these.
                        try (NativeBytes out = NativeXz.decode(new ArrayByteSource(in), 1 << 24, 64L << 20)) {
                            assertArrayEquals(plain.get(n), out.stream().readAllBytes());
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void capAndCorruptionAreTypedErrors() throws Exception {
        assumeTrue(NativeXz.AVAILABLE, "liblzma not loadable here");
        byte[] zeros = Compressors.xz(new byte[4 << 20]);
        SizeLimitException big = assertThrows(SizeLimitException.class,
                () -> NativeXz.decode(new ArrayByteSource(zeros), 1 << 20, 64L << 20));
        assertEquals(1 << 20, big.limit());
        byte[] cut = Arrays.copyOf(zeros, zeros.length / 2);
        assertThrows(CorruptCompressedException.class, () -> NativeXz.decode(new ArrayByteSource(cut), 8 << 20, 64L << 20));
        byte[] flipped = zeros.clone();
        flipped[flipped.length / 2] ^= 0x55;
        assertThrows(CorruptCompressedException.class,
                () -> NativeXz.decode(new ArrayByteSource(flipped), 8 << 20, 64L << 20));
    }

    @Test
    void outputOfExactlyTheLimitIsAcceptedAndAnyRangeReads() throws Exception {
        assumeTrue(NativeXz.AVAILABLE, "liblzma not loadable here");
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 1000 < 500 ? rnd.nextInt(256) : i);
        }
        byte[] packed = Compressors.xz(data);
        try (NativeBytes out = NativeXz.decode(new ArrayByteSource(packed), data.length, 64L << 20)) {
            assertEquals(data.length, out.size());
            // The first chunk is cut to the limit; at the limit a one-byte probe chunk must stay empty.
            for (int[] r : new int[][] {{0, 1}, {65_535, 2}, {100_000, 150_000}, {299_999, 1}, {0, 300_000}}) {
                byte[] got = new byte[r[1]];
                out.readFully(r[0], got, 0, r[1]);
                assertArrayEquals(Arrays.copyOfRange(data, r[0], r[0] + r[1]), got);
            }
            assertThrows(IndexOutOfBoundsException.class, () -> out.readFully(299_999, new byte[2], 0, 2));
        }
        SizeLimitException e = assertThrows(SizeLimitException.class,
                () -> NativeXz.decode(new ArrayByteSource(packed), data.length - 1, 64L << 20));
        assertEquals(data.length - 1, e.limit());
        assertEquals(data.length, e.needed());
    }
}
