package io.fwatlas.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The commit: makes a run's staged partitions live through a journal, so that a run killed at
 * any point leaves tables that the next run either keeps as they were or finishes.
 *
 * <p>Spark writes the new partitions under the run's staging directory. Then, with the lock
 * verified before each step:
 * <ol>
 * <li>the manifests of every kernel of the commit, and of every package whose rows are replaced,
 *     are deleted, so that none can describe partitions that are not live;</li>
 * <li>the journal is written (to a temporary name, then renamed: the commit point); it carries the
 *     entries to swap, the new manifests and the table's next generation;</li>
 * <li>the stamp ({@link TableStamp}) is removed: from here until step 5 readers wait;</li>
 * <li>the swap: for each partition, the live one is renamed into {@code _old} and the staged one
 *     into place, then its kernel's new manifest is written. Partitions are independent, so a
 *     bounded pool swaps many at once;</li>
 * <li>the package manifests and the stamp with the new generation are written;</li>
 * <li>the journal and the staging are deleted.</li>
 * </ol>
 * Killed before 2: recovery discards the staging; the old partitions are intact, and their
 * manifests are either still there (still true) or gone (the release is just rescanned next
 * time). Killed after 2: recovery redoes the swap from the journal (each step checks what exists,
 * so doing one twice is harmless), writes the journal's manifests and its stamp. At no point does
 * a manifest exist for a kernel whose partitions are half swapped or older than it.
 */
final class Journal {
    /** One partition directory of one table (empty: the whole table), and whether the run staged it. */
    record Entry(String table, String partition, boolean staged) {
    }

    /** What one commit changes. */
    record Change(List<Entry> entries, Map<String, ReleaseManifest> manifests, List<PackageManifest> packages,
                  List<String> dropReleases, List<String> dropPackages) {
    }

    static final String THREADS_KEY = "fwatlas.commit.threads";
    static final int DEFAULT_THREADS = 16;

    private final TableLayout layout;
    private final Manifests manifests;
    private final String run;
    private final int threads;
    private final PrintWriter log;

    private final String command;

    /** {@code command} names the run in what it prints ({@code fwatlas scan}). */
    Journal(TableLayout layout, Manifests manifests, String run, int threads, PrintWriter log, String command) {
        this.command = command;
        this.layout = layout;
        this.manifests = manifests;
        this.run = run;
        this.threads = Math.max(1, threads);
        this.log = log;
    }

    /** Runs the steps of the class comment; {@code lock} is verified before each. */
    void commit(Change c, TableLock lock) throws IOException {
        lock.verify();
        java.util.Set<String> present = manifests.releaseFiles();
        List<String> drop = new ArrayList<>();
        for (String k : c.dropReleases()) {
            if (present.contains(layout.manifestPath(k).getName())) {
                drop.add(k);
            }
        }
        parallel(drop, manifests::deleteRelease);
        for (String l : c.dropPackages()) {
            manifests.deletePackage(l);
        }

        lock.verify();
        long generation = TableStamp.generation(layout) + 1;
        ObjectNode j = TableLayout.JSON.createObjectNode();
        j.put("run", run);
        j.put("generation", generation);
        ArrayNode a = j.putArray("entries");
        for (Entry e : c.entries()) {
            a.addObject().put("table", e.table()).put("partition", e.partition()).put("staged", e.staged());
        }
        ArrayNode m = j.putArray("manifests");
        c.manifests().values().forEach(rm -> m.add(rm.toNode()));
        ArrayNode pa = j.putArray("package_manifests");
        c.packages().forEach(pm -> pa.add(pm.toNode()));
        layout.writeAtomically(layout.journal(run), TableLayout.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(j));

        lock.verify();
        TableStamp.remove(layout);
        Map<String, ReleaseManifest> byPartition = new HashMap<>();
        c.manifests().forEach((k, rm) -> byPartition.put(TableLayout.partition(k), rm));
        swap(run, c.entries(), byPartition);

        lock.verify();
        finish(run, c.packages(), generation);
    }

    /** Finishes journaled commits and removes unfinished staging left by killed runs. */
    void recover() throws IOException {
        for (FileStatus s : layout.listOrEmpty(layout.staging())) {
            if (!s.isDirectory() || s.getPath().getName().equals(run)) {
                continue;
            }
            String other = s.getPath().getName();
            Path journal = layout.journal(other);
            if (layout.fs.exists(journal)) {
                JsonNode j = layout.readJson(journal);
                if (j == null) {
                    throw new IOException("unreadable journal " + journal + "; inspect it by hand");
                }
                swap(other, entries(j), manifests(j));
                List<PackageManifest> packages = new ArrayList<>();
                for (JsonNode pm : j.path("package_manifests")) {
                    PackageManifest p = PackageManifest.fromNode(pm);
                    if (p != null) {
                        packages.add(p);
                    }
                }
                long generation = j.path("generation").asLong(TableStamp.generation(layout) + 1);
                finish(other, packages, generation);
                log.println(command + ": finished the interrupted commit of run " + other);
            } else {
                layout.fs.delete(s.getPath(), true);
                log.println(command + ": removed the unfinished staging of run " + other
                        + " (its tables were never touched)");
            }
        }
    }

    private void finish(String run, List<PackageManifest> packages, long generation) throws IOException {
        for (PackageManifest pm : packages) {
            manifests.writePackage(pm);
        }
        TableStamp.write(layout, generation, run, layout.partitionKernels().size());
        layout.fs.delete(layout.journal(run), false);
        layout.fs.delete(layout.runDir(run), true);
        if (layout.listOrEmpty(layout.staging()).length == 0) {
            layout.fs.delete(layout.staging(), false);
        }
    }

    /** Swaps every partition, many at once; a kernel's manifest is written once its last entry is in place. */
    private void swap(String run, List<Entry> entries, Map<String, ReleaseManifest> byPartition) throws IOException {
        Map<String, List<Entry>> groups = new LinkedHashMap<>();
        for (Entry e : entries) {
            groups.computeIfAbsent(e.partition(), p -> new ArrayList<>()).add(e);
        }
        if (!byPartition.isEmpty()) {
            manifests.mkdirs();
        }
        parallel(new ArrayList<>(groups.keySet()), partition -> {
            for (Entry e : groups.get(partition)) {
                swapOne(run, e);
            }
            ReleaseManifest m = byPartition.get(partition);
            if (m != null) {
                manifests.writeRelease(m);
            }
        });
    }

    private void swapOne(String run, Entry e) throws IOException {
        Path target = layout.live(e.table(), e.partition());
        Path staged = layout.staged(run, e.table(), e.partition());
        Path old = layout.old(run, e.table(), e.partition());
        if (e.staged() && !layout.fs.exists(staged)) {
            return; // moved in already
        }
        if (layout.fs.exists(target)) {
            layout.fs.mkdirs(old.getParent());
            layout.rename(target, old);
        }
        if (e.staged()) {
            layout.fs.mkdirs(target.getParent());
            layout.rename(staged, target);
        }
    }

    interface IoAction<T> {
        void run(T item) throws IOException;
    }

    /** Runs {@code action} on every item, at most {@link #threads} at once; the first failure is thrown. */
    <T> void parallel(List<T> items, IoAction<T> action) throws IOException {
        if (items.size() <= 1 || threads == 1) {
            for (T t : items) {
                action.run(t);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), r -> {
            Thread t = new Thread(r, "fwatlas-commit");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> done = new ArrayList<>();
            for (T t : items) {
                done.add(pool.submit(() -> {
                    action.run(t);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during the commit; the next run finishes it", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The journal's manifests by partition. */
    private static Map<String, ReleaseManifest> manifests(JsonNode j) {
        Map<String, ReleaseManifest> found = new HashMap<>();
        for (JsonNode m : j.path("manifests")) {
            ReleaseManifest rm = ReleaseManifest.fromNode(m);
            if (rm != null) {
                found.put(TableLayout.partition(rm.kernel()), rm);
            }
        }
        return found;
    }

    private static List<Entry> entries(JsonNode j) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : j.path("entries")) {
            out.add(new Entry(e.path("table").asText(), e.path("partition").asText(), e.path("staged").asBoolean()));
        }
        return out;
    }
}
