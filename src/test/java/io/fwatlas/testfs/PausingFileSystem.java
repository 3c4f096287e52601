package io.fwatlas.testfs;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the test scheme {@value #SCHEME} ({@code pausefile:///abs/path} is
 * the local file {@code /abs/path}) that holds a scan at a point of TableStore's commit protocol,
 * so that a test can kill the JVM there. The point is the system property {@value #AT_PROPERTY} of
 * the JVM that writes the output; unset, this is the plain local file system. The points are file
 * system operations of the protocol, so production code needs no hook:
 * <ul>
 * <li>{@value #BEFORE_COMMIT}: the rename that makes the journal {@value #JOURNAL} visible (the
 *     commit point), before it happens: the staging is complete, the commit's manifests deleted.</li>
 * <li>{@value #MID_SWAP}: the first rename that moved a staged partition into a live table
 *     ({@code OUT/TABLE/kernel=...} or {@code OUT/TABLE/input-...}), after it happened; that rename
 *     and every later one, of any thread, then waits, so a kill finds some partitions swapped and
 *     others not.</li>
 * </ul>
 * Once there, the JVM prints {@value #ANNOUNCEMENT} and the point's name on stdout (once) and
 * each held rename waits {@value #MILLIS_PROPERTY} milliseconds (default 120000).
 *
 * <p>Only Hadoop and the JDK are used here: this class is loaded wherever test-classes is on
 * the class path (the FileSystem service file names it), without the application's classes.
 */
public class PausingFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "pausefile";
    public static final String AT_PROPERTY = "pausefs.at";
    public static final String MILLIS_PROPERTY = "pausefs.millis";
    public static final String BEFORE_COMMIT = "before-commit";
    public static final String MID_SWAP = "mid-swap";
    public static final String ANNOUNCEMENT = "fwatlas-test: paused ";
    /** TableStore's names: the journal, the staging area and the format marker of OUT. */
    static final String JOURNAL = "_commit.json";
    static final String STAGING = "_staging";
    static final String MARKER = "_fwatlas.json";

    private static final URI NAME = URI.create(SCHEME + ":///");
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();
    /** Set at the mid-swap point: from then on every rename waits. */
    private static volatile boolean holding;

    /** {@code pausefile://} and the absolute form of {@code p}. */
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
    public boolean rename(Path src, Path dst) throws IOException {
        String at = System.getProperty(AT_PROPERTY);
        boolean held = false;
        if (MID_SWAP.equals(at) && holding) {
            hold();
            held = true;
        }
        if (BEFORE_COMMIT.equals(at) && dst.getName().equals(JOURNAL)) {
            announce(BEFORE_COMMIT);
            hold();
        }
        boolean renamed = super.rename(src, dst);
        if (MID_SWAP.equals(at) && renamed && !held && isLivePartition(dst)) {
            holding = true;
            announce(MID_SWAP);
            hold();
        }
        return renamed;
    }

    /** OUT/TABLE/kernel=... or OUT/TABLE/input-..., OUT being the directory with the marker; not in the staging. */
    static boolean isLivePartition(Path dst) {
        String name = dst.getName();
        if (!name.startsWith("kernel=") && !name.startsWith("input-")) {
            return false;
        }
        for (Path p = dst.getParent(); p != null; p = p.getParent()) {
            if (p.getName().equals(STAGING)) {
                return false;
            }
        }
        File table = new File(dst.toUri().getPath()).getParentFile();
        File out = table == null ? null : table.getParentFile();
        return out != null && new File(out, MARKER).isFile();
    }

    private static void announce(String where) {
        if (ANNOUNCED.compareAndSet(false, true)) {
            System.out.println(ANNOUNCEMENT + where);
            System.out.flush();
        }
    }

    /** Waits; an interrupt ends the wait (and stays set). */
    private static void hold() {
        try {
            Thread.sleep(Long.getLong(MILLIS_PROPERTY, 120_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
