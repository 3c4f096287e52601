package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every form of zstd a module can come in decodes to the same bytes, through either path. */
class DecompressorTest {
    private static final byte[] DATA = data(300_000);

    @Test
    void aFrameThatDeclaresItsSizeDecodesInOneCall() throws Exception {
        byte[] z = Zstd.compress(DATA, 19);
        assertEquals(DATA.length, Zstd.getFrameContentSize(z), "the one-call path's input");
        assertArrayEquals(DATA, decode(z, 1 << 20));
    }

    @Test
    void aStreamedFrameOfUnknownSizeDecodes() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZstdOutputStream out = new ZstdOutputStream(b, 3)) {
            out.write(DATA);
        }
        assertTrue(Zstd.getFrameContentSize(b.toByteArray()) < 0, "no size in the frame");
        assertArrayEquals(DATA, decode(b.toByteArray(), 1 << 20));
    }

    @Test
    void concatenatedFramesDecodeWhole() throws Exception {
        byte[] first = Zstd.compress(java.util.Arrays.copyOf(DATA, 1000), 3);
        byte[] second = Zstd.compress(java.util.Arrays.copyOfRange(DATA, 1000, DATA.length), 3);
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertArrayEquals(DATA, decode(both, 1 << 20));
    }

    @Test
    void aDeclaredSizeAboveTheLimitIsRefusedAtTheLimit() {
        byte[] z = Zstd.compress(DATA, 19);
        SizeLimitException e = assertThrows(SizeLimitException.class, () -> decode(z, 100_000));
        assertTrue(e.getMessage().contains("limit of 100000 bytes"), e.getMessage());
    }

    @Test
    void aFrameThatUnderstatesItsSizeIsCorrupt() {
        byte[] z = Zstd.compress(DATA, 19);
        // the frame header's content size: 4 bytes after the magic and the descriptor byte (and no window byte with single segment)
        byte[] lying = z.clone();
        int descriptor = lying[4] & 0xff;
        assertEquals(2, descriptor >> 6, "a 4-byte content size");
        int at = 5 + ((descriptor & 0x20) != 0 ? 0 : 1);
        lying[at + 1] ^= 0x10;   // 4096 bytes less or more
        ModuleException e = assertThrows(ModuleException.class, () -> decode(lying, 1 << 20));
        assertTrue(e instanceof CorruptCompressedException, e.toString());
    }

    private static byte[] decode(byte[] z, long limit) throws IOException, ModuleException {
        try (ByteSource out = Decompressor.decompress(Compression.ZSTD, new ArrayByteSource(z), limit)) {
            return out.stream().readAllBytes();
        }
    }

    /** Compressible, but not trivially: words from a small alphabet. */
    private static byte[] data(int n) {
        Random r = new Random(7);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + (r.nextInt(8) * r.nextInt(3)));
        }
        return b;
    }
}
