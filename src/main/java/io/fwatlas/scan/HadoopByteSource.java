package io.fwatlas.scan;

import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_LENGTH;
import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY;
import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_RANDOM;

import io.fwatlas.module.ByteSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;

/**
 * A file of any Hadoop file system, read with positioned reads ({@code PositionedReadable}).
 * Opened with the random read policy and, when the listing knows it, the file's length: on an
 * object store a plain module then costs a few ranged GETs and no HEAD, instead of a whole-object
 * download; file systems that do not know the options ignore them.
 */
public final class HadoopByteSource implements ByteSource {
    private final FSDataInputStream in;
    private final long size;

    private HadoopByteSource(FSDataInputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    /** Opens {@code path}; its length comes from one status call (no permission lookups). */
    public static HadoopByteSource open(FileSystem fs, Path path) throws IOException {
        return open(fs, path, -1);
    }

    /** Opens {@code path} of {@code length} bytes as listed; a negative length is looked up. */
    public static HadoopByteSource open(FileSystem fs, Path path, long length) throws IOException {
        long size = length >= 0 ? length : fs.getFileStatus(path).getLen();
        return new HadoopByteSource(openRandom(fs, path, size), size);
    }

    static FSDataInputStream openRandom(FileSystem fs, Path path, long length) throws IOException {
        try {
            return FutureIO.awaitFuture(fs.openFile(path)
                    .opt(FS_OPTION_OPENFILE_READ_POLICY, FS_OPTION_OPENFILE_READ_POLICY_RANDOM)
                    .optLong(FS_OPTION_OPENFILE_LENGTH, length)
                    .build());
        } catch (UnsupportedOperationException e) {
            return fs.open(path); // a file system without the openFile builder
        }
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
