package io.fwatlas.scan;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * One run's use of an output directory: its lock, its staging and its commit. The pieces are
 * {@link TableLayout} (where things are), {@link TableLock}, {@link Journal} (commit and
 * recovery), {@link Manifests} and {@link TableStamp} (what readers check).
 */
public final class TableStore implements AutoCloseable {
    public static final String MARKER = TableLayout.MARKER;
    public static final String FORMAT = TableLayout.FORMAT;
    public static final int FORMAT_VERSION = TableLayout.FORMAT_VERSION;

    private final TableLayout layout;
    private final String runId;
    private final Manifests manifests;
    private final Journal journal;
    private TableLock lock;
    /** This run made the directory: a run that fails before its first commit removes it again. */
    private boolean created;
    private boolean discard;
    private volatile boolean committed;

    private TableStore(TableLayout layout, String runId, int threads, PrintWriter log, String command) {
        this.layout = layout;
        this.runId = runId;
        this.manifests = new Manifests(layout);
        this.journal = new Journal(layout, manifests, runId, threads, log, command);
    }

    /** The output location as a qualified Hadoop path; plain paths are made absolute. */
    public static Path location(String output) {
        return TableLayout.location(output);
    }

    /** As {@link #open(String, Configuration, PrintWriter, Duration)}, failing at once when the table is locked. */
    public static TableStore open(String output, Configuration conf, PrintWriter log) {
        return open(output, conf, log, Duration.ZERO);
    }

    /**
     * Checks the output, creates it when new, takes the lock (waiting up to {@code lockWait}) and
     * finishes or removes what an interrupted run left behind.
     */
    public static TableStore open(String output, Configuration conf, PrintWriter log, Duration lockWait) {
        return open(output, conf, log, lockWait, "fwatlas scan");
    }

    /** As {@link #open(String, Configuration, PrintWriter, Duration)}, for {@code command} (named in what it prints). */
    public static TableStore open(String output, Configuration conf, PrintWriter log, Duration lockWait,
            String command) {
        Path out = location(output);
        TableLayout layout;
        try {
            layout = TableLayout.of(out, conf);
        } catch (IOException | RuntimeException e) {
            throw new ScanException(ScanException.FAILURE, "cannot open the file system of output " + output
                    + ": " + e.getMessage(), e);
        }
        String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        TableLock.Timing timing = TableLock.Timing.of(lockWait, conf);
        TableStore store = new TableStore(layout, run, conf.getInt(Journal.THREADS_KEY, Journal.DEFAULT_THREADS), log,
                command);
        try {
            store.created = layout.prepare(output);
            store.lock = TableLock.acquire(layout, run, timing, log, command);
            layout.ensureMarker();
            store.journal.recover();
        } catch (IOException e) {
            store.close();
            throw new ScanException(ScanException.FAILURE, "cannot use output " + output + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    public String runId() {
        return runId;
    }

    public Path output() {
        return layout.out();
    }

    public Path runDir() {
        return layout.runDir(runId);
    }

    /** Where Spark writes the new partitions of {@code table}. */
    public Path staging(String table) {
        return new Path(runDir(), table);
    }

    public Path table(String table) {
        return layout.table(table);
    }

    /** Records the stats of a kernel's staged modules partition; the commit's swap puts them live with it. */
    public void stageStats(String kernel, KernelStats stats) throws IOException {
        Path dir = new Path(staging(Tables.MODULES), TableLayout.partition(kernel));
        if (layout.fs.exists(dir)) {
            stats.write(layout.fs, dir);
        }
    }

    /** Removes what failed task attempts left in the staging; the bins' committed files stay. */
    void discardTasks() throws IOException {
        layout.fs.delete(new Path(runDir(), BinWriter.TASKS), true);
    }

    /**
     * Makes the staged partitions of {@code kernels} live and records their manifests; kernels with
     * nothing staged lose their old rows, and kernels without a manifest in {@code manifests}
     * (pruned ones) end with none.
     */
    public void commit(List<String> kernels, Map<String, ReleaseManifest> manifests) throws IOException {
        commit(kernels, manifests, List.of());
    }

    /** As {@link #commit(List, Map)}, also recording the manifests of the packages this run read. */
    public void commit(List<String> kernels, Map<String, ReleaseManifest> manifests, List<PackageManifest> packages)
            throws IOException {
        commit(kernels, manifests, packages, List.of(), List.of(), List.of());
    }

    /**
     * As {@link #commit(List, Map, List)}; also replaces the rows of each firmware input in
     * {@code inputs} (by location) in the {@link Tables#INPUT_TABLES} with what the run staged for it
     * (none: its rows go), forgets the packages in {@code dropped} (their manifests and firmware
     * rows) and removes the firmware rows in the files {@code droppedFiles} ({@link #inputFiles}).
     */
    public void commit(List<String> kernels, Map<String, ReleaseManifest> manifests, List<PackageManifest> packages,
                       List<String> inputs, List<String> dropped, List<String> droppedFiles) throws IOException {
        List<Journal.Entry> entries = new ArrayList<>();
        Set<String> inputFiles = new LinkedHashSet<>();
        inputs.forEach(l -> inputFiles.add(Tables.inputFile(l)));
        dropped.forEach(l -> inputFiles.add(Tables.inputFile(l)));
        inputFiles.addAll(droppedFiles);
        for (String t : Tables.INPUT_TABLES) {
            Set<String> staged = names(staging(t));
            for (String f : inputFiles) {
                entries.add(new Journal.Entry(t, f, staged.contains(f)));
            }
        }
        Map<String, Set<String>> staged = new HashMap<>();
        for (String t : Tables.NAMES) {
            staged.put(t, names(staging(t)));
        }
        for (String k : kernels) {
            String part = TableLayout.partition(k);
            for (String t : Tables.NAMES) {
                entries.add(new Journal.Entry(t, part, staged.get(t).contains(part)));
            }
        }
        Set<String> committing = new HashSet<>(kernels);
        Set<String> dropPackages = new LinkedHashSet<>();
        for (PackageManifest pm : packageManifests().values()) {
            if (pm.kernels().stream().anyMatch(committing::contains)) {
                dropPackages.add(pm.location());
            }
        }
        packages.forEach(pm -> dropPackages.add(pm.location()));
        dropPackages.addAll(dropped);
        Map<String, ReleaseManifest> mine = new LinkedHashMap<>();
        for (String k : kernels) {
            if (manifests.get(k) != null) {
                mine.put(k, manifests.get(k));
            }
        }
        journal.commit(new Journal.Change(entries, mine, packages, kernels, List.copyOf(dropPackages)), lock);
        committed = true;
    }

    /** Replaces the whole table {@code table} with what the run staged at {@link #staging}, as one commit. */
    public void commitTable(String table) throws IOException {
        boolean staged = layout.fs.exists(staging(table));
        journal.commit(new Journal.Change(List.of(new Journal.Entry(table, "", staged)), Map.of(), List.of(),
                List.of(), List.of()), lock);
        committed = true;
    }

    private Set<String> names(Path dir) throws IOException {
        Set<String> found = new HashSet<>();
        for (FileStatus s : layout.listOrEmpty(dir)) {
            found.add(s.getPath().getName());
        }
        return found;
    }

    /** The files of the firmware tables ({@link Tables#inputFile}), one per input they hold rows of. */
    public Set<String> inputFiles() throws IOException {
        return layout.inputFiles();
    }

    /** The manifests of packages whose rows are live, by location; unreadable ones are left out. */
    public Map<String, PackageManifest> packageManifests() throws IOException {
        return manifests.packages();
    }

    /** The manifests of the live partitions, by kernel; unreadable or foreign ones are left out. */
    public Map<String, ReleaseManifest> manifests() throws IOException {
        return manifests.releases();
    }

    /** Kernels that have a partition in some table or a manifest: what the output holds. */
    public Set<String> kernels() throws IOException {
        Set<String> found = new TreeSet<>(manifests().keySet());
        found.addAll(layout.partitionKernels());
        return found;
    }

    /**
     * After a failed run: drops its staging unless the commit point was passed (then recovery
     * finishes it); a directory this run created and never committed to is removed on close.
     */
    public void abandon() {
        try {
            if (!layout.fs.exists(layout.journal(runId))) {
                layout.fs.delete(runDir(), true);
                if (layout.listOrEmpty(layout.staging()).length == 0) {
                    layout.fs.delete(layout.staging(), false);
                }
                if (created && !committed) {
                    layout.fs.delete(new Path(layout.out(), MARKER), false);
                    discard = true;
                }
            }
        } catch (IOException e) {
            // the next run removes it
        }
    }

    /** What this run leaves if it ends now, in words: the one line an interrupt prints. */
    public String interruptedState() {
        if (committed) {
            return layout.out() + " holds this run's commit";
        }
        try {
            if (layout.fs.exists(layout.journal(runId))) {
                return "the commit to " + layout.out() + " had begun: the next scan or resolve of it finishes it, "
                        + "and readers wait until then";
            }
        } catch (IOException e) {
            return "whether the commit to " + layout.out() + " had begun is unknown (" + e.getMessage()
                    + "): the next scan or resolve of it finishes or removes it";
        }
        return layout.out() + " is as it was before this run; the next run removes what this one staged";
    }

    /** Releases the lock; the staging of an unfinished run stays for the next start to clean. */
    @Override
    public void close() {
        if (lock != null) {
            lock.close();
            lock = null;
        }
        if (discard) {
            discard = false;
            try {
                layout.fs.delete(layout.out(), false); // only when empty: another run may have come meanwhile
            } catch (IOException e) {
                // not empty, or gone: either way not this run's to remove
            }
        }
    }
}
