package io.fwatlas.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * Executor side of --digest: the content SHA-256 of one release's listed files, over each
 * (path, listed size, bytes) in path order. A file that cannot be read contributes a fixed marker,
 * so the digest stays deterministic; the listing already makes such a release rescan.
 */
public final class ReleaseDigest implements Function<List<FileTask>, Tuple2<String, String>> {
    private static final long serialVersionUID = 1L;

    /** Null when every release is local. */
    private final Broadcast<SerializableConfiguration> hadoopConf;

    public ReleaseDigest(Broadcast<SerializableConfiguration> hadoopConf) {
        this.hadoopConf = hadoopConf;
    }

    @Override
    public Tuple2<String, String> call(List<FileTask> tasks) {
        Configuration conf = hadoopConf == null ? null : hadoopConf.value().value();
        return new Tuple2<>(tasks.get(0).kernel(), digest(tasks, conf));
    }

    /** Hex SHA-256 of the files of one release. */
    public static String digest(List<FileTask> tasks, Configuration conf) {
        List<FileTask> order = new ArrayList<>(tasks);
        order.sort(Comparator.comparing(FileTask::path).thenComparing(t -> t.kind().name()));
        MessageDigest sha = ReleaseManifest.sha256();
        byte[] buf = new byte[1 << 16];
        for (FileTask t : order) {
            sha.update((t.kind().name() + "\0" + t.path() + "\0").getBytes(StandardCharsets.UTF_8));
            sha.update(ByteBuffer.allocate(8).putLong(t.size()).array());
            if (t.kind() == FileTask.Kind.LIST_ERROR) {
                continue;
            }
            try (InputStream in = open(t, conf)) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    sha.update(buf, 0, n);
                }
            } catch (IOException | RuntimeException e) {
                sha.update("\0unreadable".getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static InputStream open(FileTask t, Configuration conf) throws IOException {
        if (t.local()) {
            return Files.newInputStream(Paths.get(t.root(), t.path()));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(t.root()),
                t.path());
        FileSystem fs = p.getFileSystem(conf);
        return fs.open(p);
    }
}
