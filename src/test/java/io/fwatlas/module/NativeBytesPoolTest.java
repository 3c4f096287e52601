package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import io.fwatlas.fixtures.Compressors;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A thread's freed native blocks come back for its next decodes, bounded, and never leak old bytes. */
class NativeBytesPoolTest {

    @Test
    void aFreedBlockServesTheNextRequestOfItsClass() {
        NativeBytes.Pool pool = new NativeBytes.Pool();
        Memory a = pool.take(100_000);
        assertEquals(128 * 1024, a.size());
        pool.give(a);
        assertEquals(128 * 1024, pool.kept());
        assertSame(a, pool.take(70_000));
        assertEquals(0, pool.kept());
        Memory small = pool.take(1);
        assertEquals(64 * 1024, small.size());
        assertNotSame(a, small);
    }

    @Test
    void thePoolKeepsAtMostItsBound() {
        NativeBytes.Pool pool = new NativeBytes.Pool();
        List<Memory> blocks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blocks.add(pool.take(8 << 20));
        }
        blocks.forEach(pool::give);
        assertEquals(NativeBytes.Pool.KEPT, pool.kept());
        // a block of no size class is freed, not kept
        pool.give(new Memory(100_000));
        assertEquals(NativeBytes.Pool.KEPT, pool.kept());
    }

    @Test
    void reusedBlocksHoldOnlyTheirNewContent() throws Exception {
        assumeTrue(NativeXz.AVAILABLE, "liblzma not loadable here");
        SplittableRandom rnd = new SplittableRandom(5);
        for (int round = 0; round < 20; round++) {
            // sizes that land in the same blocks: a large decode, then smaller ones into its freed blocks
            byte[] b = new byte[round % 2 == 0 ? 3_000_000 : 1 + rnd.nextInt(500_000)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (k % 251 == 0 ? rnd.nextInt(256) : round);
            }
            try (NativeBytes out = NativeXz.decode(new ArrayByteSource(Compressors.xz(b)), b.length, 64L << 20)) {
                assertEquals(b.length, out.size());
                byte[] back = new byte[b.length];
                out.readFully(0, back, 0, back.length);
                assertArrayEquals(b, back, "round " + round);
            }
        }
        assertTrue(NativeBytes.Pool.LOCAL.get().kept() > 0, "the decodes' blocks are kept for the next");
    }
}
