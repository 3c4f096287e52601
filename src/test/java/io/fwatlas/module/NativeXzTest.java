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
            assertEquals(30_000, NativeXz.decode(small, small.length, 1 << 20, 64L << 20).size());
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
                        ChunkedBytes out = NativeXz.decode(in, in.length, 1 << 24, 64L << 20);
                        assertArrayEquals(plain.get(n), out.toByteArray());
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
                () -> NativeXz.decode(zeros, zeros.length, 1 << 20, 64L << 20));
        assertEquals(1 << 20, big.limit());
        byte[] cut = Arrays.copyOf(zeros, zeros.length / 2);
        assertThrows(CorruptCompressedException.class, () -> NativeXz.decode(cut, cut.length, 8 << 20, 64L << 20));
        byte[] flipped = zeros.clone();
        flipped[flipped.length / 2] ^= 0x55;
        assertThrows(CorruptCompressedException.class,
                () -> NativeXz.decode(flipped, flipped.length, 8 << 20, 64L << 20));
    }
}
