package io.fwatlas.module;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A seekable source of bytes: a local file, a Hadoop stream or an array.
 * Plain modules are read with a few positioned reads; compressed ones as one stream.
 */
public interface ByteSource extends Closeable {

    /** Length in bytes, known before any read. */
    long size() throws IOException;

    /** Reads exactly {@code len} bytes at {@code pos}; the caller has checked the range. */
    void readFully(long pos, byte[] buf, int off, int len) throws IOException;

    /** Fills {@code dst} from {@code pos}; a file fills a direct buffer with no copy on the heap. */
    default void readFully(long pos, ByteBuffer dst) throws IOException {
        byte[] b = new byte[dst.remaining()];
        readFully(pos, b, 0, b.length);
        dst.put(b);
    }

    /** A sequential stream from the first byte; closing it does not close the source. */
    InputStream stream() throws IOException;

    @Override
    default void close() throws IOException {
    }
}
