package io.fwatlas.module;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file read through one {@link FileChannel} with positioned reads. */
public final class FileByteSource implements ByteSource {
    private final FileChannel channel;
    private final long size;

    private FileByteSource(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    /** Opens a regular file; the caller has checked that it is one (a FIFO would block here). */
    public static FileByteSource open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new FileByteSource(ch, ch.size());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void readFully(long pos, byte[] buf, int off, int len) throws IOException {
        readFully(pos, ByteBuffer.wrap(buf, off, len));
    }

    @Override
    public void readFully(long pos, ByteBuffer dst) throws IOException {
        int len = dst.remaining();
        long p = pos;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, p);
            if (n < 0) {
                throw new EOFException("end of file at " + p + " while reading " + len + " bytes at " + pos);
            }
            p += n;
        }
    }

    @Override
    public InputStream stream() throws IOException {
        channel.position(0);
        return new FilterInputStream(Channels.newInputStream(channel)) {
            @Override
            public void close() {
                // the channel belongs to this source
            }
        };
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
