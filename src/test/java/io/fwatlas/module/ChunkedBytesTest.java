package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkedBytesTest {
    private static byte[] random(int n) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(n);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    @Test
    void holdsContentAcrossChunksAndReadsAnyRange() throws Exception {
        byte[] data = random(100_000);
        // A first chunk of 1000 bytes makes many chunks of growing size.
        ChunkedBytes c = new ChunkedBytes(1000, 1 << 20, "test output");
        c.readAll(new ByteArrayInputStream(data));
        assertEquals(data.length, c.size());
        assertArrayEquals(data, c.toByteArray());
        for (int[] r : new int[][] {{0, 1}, {999, 2}, {2999, 3000}, {99_999, 1}, {0, 100_000}, {50_000, 0}}) {
            byte[] got = new byte[r[1]];
            c.readFully(r[0], got, 0, r[1]);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, r[0], r[0] + r[1]), got);
        }
        assertArrayEquals(data, c.stream().readAllBytes());
        assertThrows(IndexOutOfBoundsException.class, () -> c.readFully(99_999, new byte[2], 0, 2));
    }

    @Test
    void contentOfExactlyTheLimitIsAccepted() throws Exception {
        byte[] data = random(4096);
        ChunkedBytes c = new ChunkedBytes(100, 4096, "test output");
        c.readAll(new ByteArrayInputStream(data));
        assertArrayEquals(data, c.toByteArray());
    }

    @Test
    void oneByteMoreThanTheLimitIsRefusedWithTheNumbers() {
        ChunkedBytes c = new ChunkedBytes(100, 4096, "test output");
        SizeLimitException e = assertThrows(SizeLimitException.class,
                () -> c.readAll(new ByteArrayInputStream(random(4097))));
        assertEquals(4096, e.limit());
        assertEquals(4097, e.needed());
        assertEquals(ErrorKind.SIZE_LIMIT, e.kind());
    }

    @Test
    void neverAllocatesFarBeyondTheLimit() throws Exception {
        // A 1 MiB first-chunk guess with a 10,000-byte limit: the chunk is cut to the limit.
        ChunkedBytes c = new ChunkedBytes(1 << 20, 10_000, "test output");
        assertEquals(10_000, c.room().length);
    }
}
