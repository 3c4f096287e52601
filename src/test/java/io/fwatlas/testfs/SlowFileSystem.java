package io.fwatlas.testfs;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the test scheme {@value #SCHEME} ({@code slowfile:///abs/path} is
 * the local file {@code /abs/path}) whose every open of a kernel module ({@code .ko}, or one
 * compressed with xz, zstd or gzip) first prints {@value #ANNOUNCEMENT}{@code N ms} on stderr and
 * waits N milliseconds, N being the Hadoop setting {@value #DELAY_KEY} (default 0: no wait, no
 * line). A cluster run sets it with {@code --conf spark.hadoop.fs.slowfile.delay.ms=N}, so that a
 * test can kill an executor that is inside a read task.
 *
 * <p>Both ways of opening end in {@link #open(Path, int)}: {@code open(Path)} directly, and
 * {@code openFile(...).build()} through FileSystem's {@code openFileWithOptions}, which
 * RawLocalFileSystem does not override (it calls {@code open(path, bufferSize)} in the caller's
 * thread, so the wait is the read task's).
 *
 * <p>Listings leave out links to directories. RawLocalFileSystem follows links, and the Hadoop
 * listing of a scan (unlike its java.nio walk of a local tree, which visits each directory once by
 * file key) has no notion of them: the link loop of data-samples/hostile ({@code kernel/loop -> ..})
 * would be listed 32 levels deep. Without them a scan of {@code slowfile://data-samples} finds the
 * releases and the number of modules of a scan of the plain path. Its rows differ where the walk
 * treats links to files specially: the link to nothing {@code bad/dangling.ko} is left out by
 * RawLocalFileSystem (no error row), and {@code zlinks/e100.ko}, a second name of a module already
 * listed, is read again. Tests compare a slowfile scan with another slowfile scan.
 *
 * <p>Only Hadoop and the JDK are used here: this class is loaded wherever test-classes is on the
 * class path, without the application's classes.
 */
public class SlowFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "slowfile";
    public static final String DELAY_KEY = "fs.slowfile.delay.ms";
    public static final String ANNOUNCEMENT = "fwatlas-test: slow read, ";
    private static final URI NAME = URI.create(SCHEME + ":///");

    private long delayMillis;

    /** {@code slowfile://} and the absolute form of {@code p}. */
    public static String uri(java.nio.file.Path p) {
        return SCHEME + "://" + p.toAbsolutePath();
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public URI getUri() {
        return NAME;
    }

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        delayMillis = conf.getLong(DELAY_KEY, 0L);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        if (delayMillis > 0 && isModule(f.getName())) {
            System.err.println(ANNOUNCEMENT + delayMillis + " ms");
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // a killed task: stop waiting
            }
        }
        return super.open(f, bufferSize);
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] listed = super.listStatus(f);
        List<FileStatus> kept = new ArrayList<>(listed.length);
        for (FileStatus s : listed) {
            if (!(s.isDirectory() && Files.isSymbolicLink(pathToFile(s.getPath()).toPath()))) {
                kept.add(s);
            }
        }
        return kept.toArray(new FileStatus[0]);
    }

    static boolean isModule(String name) {
        return name.endsWith(".ko") || name.endsWith(".ko.xz") || name.endsWith(".ko.zst") || name.endsWith(".ko.gz");
    }
}
