package io.fwatlas.scan;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * How far the read of a scan has come, as people expect of a long batch run: files and kernels
 * done of total, packages and firmware directories done of total, the rate and the time left.
 * On a terminal one status line rewritten in place; elsewhere a plain line. At most one every
 * {@code every}, and none before the first {@code every} has passed, so short runs stay quiet.
 */
public final class Progress {
    /** What one partition of the read stage holds: a bin of a kernel's files, a package, a firmware directory. */
    public record Part(String kernel, long files, boolean pkg) {
        public static Part bin(String kernel, long files) {
            return new Part(kernel, files, false);
        }

        public static Part packageFile() {
            return new Part(null, 0, true);
        }

        public static Part firmwareDir() {
            return new Part(null, 0, false);
        }
    }

    /** Where and how often to report; {@code terminal}: rewrite one line with carriage returns. */
    public record Settings(PrintWriter err, boolean terminal, Duration every) {
        public static final String INTERVAL_KEY = "fwatlas.progress.interval";

        /** {@code err}, with the interval from the configuration (seconds; default 2 on a terminal, else 10). */
        public static Settings of(PrintWriter err, boolean terminal, org.apache.hadoop.conf.Configuration conf) {
            long ms = conf.getTimeDuration(INTERVAL_KEY, terminal ? 2 : 10, java.util.concurrent.TimeUnit.SECONDS,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            if (ms < 0) {
                throw ScanException.usage(INTERVAL_KEY + " must not be negative (" + ms + " ms)");
            }
            return new Settings(err, terminal, Duration.ofMillis(ms));
        }
    }

    /** The name of the RDD whose stage reads the partitions: the listener counts its tasks. */
    static final String READ_RDD = "fwatlas-read";

    /** Feeds {@link #done} from Spark's task ends of the read stage. */
    static final class Listener extends org.apache.spark.scheduler.SparkListener {
        private final Progress progress;
        private final Set<Integer> stages = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Listener(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted s) {
            scala.collection.Iterator<org.apache.spark.storage.RDDInfo> it = s.stageInfo().rddInfos().iterator();
            while (it.hasNext()) {
                if (READ_RDD.equals(it.next().name())) {
                    stages.add(s.stageInfo().stageId());
                }
            }
        }

        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd t) {
            if (stages.contains(t.stageId()) && t.taskInfo().successful()) {
                progress.done(t.taskInfo().partitionId());
            }
        }
    }

    private final List<Part> parts;
    private final Settings settings;
    private final LongSupplier nanos;
    private final long start;
    private final long files;
    private final Map<String, Integer> binsLeft = new HashMap<>();
    private final int kernels;
    private final int packages;
    private final int dirs;
    private final Set<Integer> done = new HashSet<>();
    private long filesDone;
    private int kernelsDone;
    private int packagesDone;
    private int dirsDone;
    private long lastPrint;
    private boolean printed;
    private int shown = -1;

    public Progress(List<Part> parts, Settings settings, LongSupplier nanos) {
        this.parts = List.copyOf(parts);
        this.settings = settings;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
        this.lastPrint = start;
        long f = 0;
        int p = 0;
        int d = 0;
        for (Part part : parts) {
            if (part.kernel() != null) {
                f += part.files();
                binsLeft.merge(part.kernel(), 1, Integer::sum);
            } else if (part.pkg()) {
                p++;
            } else {
                d++;
            }
        }
        this.files = f;
        this.kernels = binsLeft.size();
        this.packages = p;
        this.dirs = d;
    }

    /** Partition {@code partition} finished (a retry of a finished one counts once). */
    public synchronized void done(int partition) {
        if (partition < 0 || partition >= parts.size() || !done.add(partition)) {
            return;
        }
        Part p = parts.get(partition);
        if (p.kernel() != null) {
            filesDone += p.files();
            if (binsLeft.merge(p.kernel(), -1, Integer::sum) == 0) {
                kernelsDone++;
            }
        } else if (p.pkg()) {
            packagesDone++;
        } else {
            dirsDone++;
        }
    }

    /** Prints the line when one is due and something changed since the last. */
    public synchronized void tick() {
        long now = nanos.getAsLong();
        if (now - lastPrint < settings.every().toNanos() || done.size() == shown) {
            return;
        }
        lastPrint = now;
        shown = done.size();
        String line = line(now);
        if (settings.terminal()) {
            settings.err().print("\r\033[K" + line);
        } else {
            settings.err().println(line);
        }
        settings.err().flush();
        printed = true;
    }

    /** Ends the status line of a terminal, so that what follows starts on a line of its own. */
    public synchronized void finish() {
        if (printed && settings.terminal()) {
            settings.err().print("\r\033[K");
            settings.err().flush();
        }
    }

    synchronized String line(long now) {
        StringBuilder b = new StringBuilder("fwatlas scan: read");
        String sep = " ";
        if (files > 0 || kernels > 0) {
            b.append(sep).append(filesDone).append(" of ").append(Plural.of(files, "file")).append(", ")
                    .append(kernelsDone).append(" of ").append(Plural.of(kernels, "kernel"));
            sep = ", ";
        }
        if (packages > 0) {
            b.append(sep).append(packagesDone).append(" of ").append(Plural.of(packages, "package"));
            sep = ", ";
        }
        if (dirs > 0) {
            b.append(sep).append(dirsDone).append(" of ").append(Plural.of(dirs, "firmware directory"));
        }
        double seconds = (now - start) / 1e9;
        // files measure the work of module trees; packages and directories count as tasks
        double fraction = files > 0 && packages + dirs == 0 ? (double) filesDone / files
                : (double) done.size() / Math.max(1, parts.size());
        if (filesDone > 0 && seconds > 0) {
            b.append("; ").append(Math.round(filesDone / seconds)).append(" files/s");
        }
        if (fraction > 0 && fraction < 1) {
            b.append(files > 0 ? ", " : "; ").append("about ")
                    .append(TableLock.human(Duration.ofMillis(Math.round(seconds * 1000 * (1 - fraction) / fraction))))
                    .append(" left");
        }
        return b.toString();
    }
}
