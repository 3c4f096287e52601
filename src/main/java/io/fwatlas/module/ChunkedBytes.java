package io.fwatlas.module;

import java.io.IOException;
import java.io.InputStream;

/** Decompressed bytes in heap arrays, filled from a decoder's stream. */
final class ChunkedBytes extends ChunkList<byte[]> {

    /** @param firstChunk a guess at the content size; later chunks double up to {@link #MAX_CHUNK} */
    ChunkedBytes(int firstChunk, long limit, String what) {
        super(firstChunk, limit, what);
    }

    @Override
    byte[] allocate(int size) {
        return new byte[size];
    }

    @Override
    int length(byte[] chunk) {
        return chunk.length;
    }

    @Override
    void copy(byte[] chunk, int from, byte[] buf, int off, int len) {
        System.arraycopy(chunk, from, buf, off, len);
    }

    /** Reads all of {@code in}; throws as soon as the content would pass the limit. */
    void readAll(InputStream in) throws IOException, SizeLimitException {
        while (true) {
            byte[] room = room();
            int n = in.read(room, offset(), room.length - offset());
            if (n < 0) {
                return;
            }
            advance(n);
        }
    }

    /** A copy in one array, for tests and small consumers. */
    byte[] toByteArray() {
        byte[] out = new byte[(int) size()];
        readFully(0, out, 0, out.length);
        return out;
    }
}
