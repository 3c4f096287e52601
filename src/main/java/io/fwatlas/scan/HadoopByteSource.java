package io.fwatlas.scan;

import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_LENGTH;
import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY;
import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_RANDOM;
import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_SEQUENTIAL;
import static org.apache.hadoop.fs.Options.OpenFileOptions.FS_OPTION_OPENFILE_READ_POLICY_WHOLE_FILE;

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
 * Opened with Hadoop's openFile, the file's length when the listing knows it, and a read policy
 * by name: random for a plain module, which is read in a few places, so on an object store it
 * costs a few ranged GETs and no HEAD; whole-file for a compressed one, which is decoded as one
 * stream and would otherwise cost a GET per readahead block. File systems that do not know the
 * options ignore them.
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
                    .opt(FS_OPTION_OPENFILE_READ_POLICY, readPolicy(path))
                    .optLong(FS_OPTION_OPENFILE_LENGTH, length)
                    .build());
        } catch (UnsupportedOperationException e) {
            return fs.open(path); // a file system without the openFile builder
        }
    }

    /** Decided by name, as {@link Packing} weighs files: the reader decides by magic bytes, after opening. */
    static String readPolicy(Path path) {
        String n = path.getName();
        if (n.endsWith(".xz") || n.endsWith(".zst") || n.endsWith(".gz")) {
            return FS_OPTION_OPENFILE_READ_POLICY_WHOLE_FILE + "," + FS_OPTION_OPENFILE_READ_POLICY_SEQUENTIAL;
        }
        return FS_OPTION_OPENFILE_READ_POLICY_RANDOM;
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
