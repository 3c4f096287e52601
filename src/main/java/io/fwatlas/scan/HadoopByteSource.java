package io.fwatlas.scan;

import io.fwatlas.module.ByteSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A file of any Hadoop file system, read with positioned reads ({@code PositionedReadable}). */
public final class HadoopByteSource implements ByteSource {
    private final FSDataInputStream in;
    private final long size;

    private HadoopByteSource(FSDataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    /** Opens {@code path}; its length comes from one status call (no permission lookups). */
    public static HadoopByteSource open(FileSystem fs, Path path) throws IOException {
        long size = fs.getFileStatus(path).getLen();
        return new HadoopByteSource(fs.open(path), size);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void readFully(long pos, byte[] buf, int off, int len) throws IOException {
        in.readFully(pos, buf, off, len);
    }

    @Override
    public InputStream stream() throws IOException {
        in.seek(0);
        return new FilterInputStream(in) {
            @Override
            public void close() {
                // the stream belongs to this source
            }
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
