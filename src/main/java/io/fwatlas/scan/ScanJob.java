package io.fwatlas.scan;

import io.fwatlas.packages.PackageReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * A scan, in three parts that each read alone: the Spark execution ({@link ScanExecution}: stage 1
 * lists each release on an executor and returns only per-release summaries; stage 2 reads the
 * bins and packages, each task writing its rows of every table into the run's staging), the
 * planner ({@link ScanPlanner}: what to read, from the summaries and the stored manifests; the
 * bins, from the summaries alone, {@link Packing#shards}), and the commit ({@link ScanCommit},
 * through {@link TableStore}). The rows are made once and written once: the only shuffle moves
 * the listing records of each bin to its task.
 *
 * <p>Driver memory grows with the number of releases (a {@link ReleaseSummary} each), never with
 * the number of module files: the listing stays on the executors, persisted for stage 2.
 * Incremental runs compare each release's fingerprint, computed where it was listed, with the
 * stored manifests, so an unchanged release costs its listing and nothing else.
 */
public final class ScanJob {
    /** Bins per core at least, so one slow bin does not idle the others. */
    static final int BINS_PER_CORE = 3;

    private ScanJob() {
    }

    /**
     * What a run is asked to do.
     *
     * @param incremental skip releases whose manifest matches this run's listing
     * @param prune       with incremental: remove kernels of the output that no input holds any more
     * @param digest      compute content digests for the manifests (and, when incremental, compare them)
     */
    public record Options(long maxModuleSize, boolean incremental, boolean prune, boolean digest,
                          long maxPackageExpansion, Progress.Settings progress) {
        public Options(long maxModuleSize, boolean incremental, boolean prune, boolean digest) {
            this(maxModuleSize, incremental, prune, digest, PackageReader.DEFAULT_MAX_EXPANDED, null);
        }

        public static Options full(long maxModuleSize) {
            return new Options(maxModuleSize, false, false, false);
        }
    }

    /** As {@link #run(SparkSession, Configuration, List, List, List, TableStore, Options, long, PrintWriter)}, trees only. */
    public static ScanSummary run(SparkSession spark, Configuration conf, List<Release> releases, TableStore store,
                                  Options o, long startMillis, PrintWriter log) throws IOException {
        return run(spark, conf, releases, List.of(), List.of(), store, o, startMillis, log);
    }

    /**
     * Lists, plans, reads what changed, writes and commits; the store is opened (and locked) by the
     * caller. A run replaces whole kernel partitions, so when a kernel it writes also holds rows of
     * an input it did not read (a package skipped as unchanged, say), that input is read too, in a
     * further round, before anything is committed. Firmware directories are read whole, every run.
     */
    public static ScanSummary run(SparkSession spark, Configuration conf, List<Release> releases,
                                  List<PackageInput> packages, List<FirmwareDir> firmwareDirs, TableStore store,
                                  Options o, long startMillis, PrintWriter log) throws IOException {
        try (ScanExecution exec = ScanExecution.of(spark, conf, releases)) {
            long t0 = System.currentTimeMillis();
            List<ReleaseSummary> listed = exec.summaries(o.maxModuleSize(), o.digest());
            long tl = System.currentTimeMillis();
            long files = 0;
            int linksNotFollowed = 0;
            Map<String, ReleaseManifest> current = new HashMap<>();
            Map<String, ReleaseSummary> byKernel = new HashMap<>();
            for (ReleaseSummary s : listed) {
                files += s.records();
                linksNotFollowed += s.linksNotFollowed();
                current.put(s.kernel(), s.manifest());
                byKernel.put(s.kernel(), s);
            }
            if (o.digest()) {
                log.printf("fwatlas scan: listed and digested %s of %s in %.1f s%n", Plural.of(files, "file"),
                        Plural.of(releases.size(), "release"), (tl - t0) / 1000.0);
            }
            Set<String> inOutput = store.kernels();
            Map<String, ReleaseManifest> storedManifests = store.manifests();
            ScanPlanner.Plan plan = ScanPlanner.plan(releases, current, storedManifests, inOutput, o);
            Map<String, PackageManifest> storedPackages = store.packageManifests();
            ScanPlanner.Reads reads = new ScanPlanner.Reads(releases, plan, packages, storedPackages, o);
            reads.close(reads.touched());

            ReadModules reader = new ReadModules(o.maxModuleSize(), o.maxPackageExpansion(), exec.conf(),
                    store.runDir().toString());
            ReadResults results = new ReadResults();
            int next = 0;
            List<Release> treesToRead = reads.trees();
            List<PackageInput> packagesToRead = reads.packages();
            List<FirmwareDir> dirsToRead = new ArrayList<>(firmwareDirs);
            int minBins = BINS_PER_CORE * spark.sparkContext().defaultParallelism();
            while (!treesToRead.isEmpty() || !packagesToRead.isEmpty() || !dirsToRead.isEmpty()) {
                List<ReleaseSummary> trees = new ArrayList<>();
                long reading = 0;
                for (Release r : treesToRead) {
                    ReleaseSummary s = byKernel.get(r.kernel());
                    trees.add(s);
                    reading += s.records();
                }
                List<Packing.Shard> shards = new ArrayList<>();
                int bins = 0;
                for (Packing.Shard s : Packing.shards(trees, minBins, Packing.TARGET_BIN_COST)) {
                    shards.add(new Packing.Shard(s.release(), next + s.first(), s.count()));
                    bins += s.count();
                }
                List<Work> other = new ArrayList<>();
                int first = next;
                next += bins;
                for (PackageInput p : packagesToRead) {
                    other.add(new PackageTask(next++, p));
                }
                for (FirmwareDir d : dirsToRead) {
                    other.add(new FirmwareDirTask(next++, d));
                }
                log.printf("fwatlas scan: listed %s of %s in %.1f s; %s and %s unchanged; reading %s of %s, "
                                + "%s and %s in %s%n",
                        Plural.of(files, "file"), Plural.of(releases.size(), "release"), (tl - t0) / 1000.0,
                        Plural.of(plan.skipped().size(), "release"), Plural.of(reads.skippedPackages().size(), "package"),
                        Plural.of(reading, "file"), Plural.of(treesToRead.size(), "release"),
                        Plural.of(packagesToRead.size(), "package"), Plural.of(dirsToRead.size(), "firmware directory"),
                        Plural.of(bins + other.size(), "task"));
                log.flush();
                dirsToRead.clear();
                ReadResults got = exec.read(shards, other, first, reader,
                        reading + " files and " + packagesToRead.size() + " packages",
                        o.progress() == null ? null : progress(shards, trees, other, first, o.progress()));
                // kernels that new packages brought may also hold rows of inputs this run skipped
                Set<String> found = new HashSet<>();
                got.tasks().forEach(t -> t.bins().forEach(b -> found.add(b.kernel())));
                results.merge(got);
                int treesBefore = reads.trees().size();
                int packagesBefore = reads.packages().size();
                reads.close(found);
                treesToRead = new ArrayList<>(reads.trees().subList(treesBefore, reads.trees().size()));
                packagesToRead = new ArrayList<>(reads.packages().subList(packagesBefore, reads.packages().size()));
            }
            store.discardTasks();
            if (!results.isEmpty()) {
                log.printf("fwatlas scan: read and staged in %.1f s%n", (System.currentTimeMillis() - t0) / 1000.0);
                log.flush();
            }
            ScanCommit.Outcome done = ScanCommit.commit(store, results.tasks(), results.kernelStats(), reads, plan, current, packages, firmwareDirs,
                    storedPackages, storedManifests.keySet(), o, log);
            Set<String> rescanned = new TreeSet<>();
            Set<String> added = new TreeSet<>();
            done.kernels().forEach(k -> (inOutput.contains(k) ? rescanned : added).add(k));
            ScanSummary.Releases counts = new ScanSummary.Releases(plan.skipped().size() - reads.reopened(),
                    rescanned.size(), added.size(), done.pruned(), linksNotFollowed, store.kernels().size());
            return summarize(results, done.kernels().size(), counts, reads.skippedPackages().size(),
                    System.currentTimeMillis() - startMillis, store.output().toString());
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
        }
    }

    /** The read stage's partitions, as {@link Progress} counts them: bins share their release's files. */
    private static Progress progress(List<Packing.Shard> shards, List<ReleaseSummary> trees, List<Work> other,
                                     int first, Progress.Settings settings) {
        Map<Integer, ReleaseSummary> byIndex = new HashMap<>();
        trees.forEach(t -> byIndex.put(t.index(), t));
        List<Progress.Part> parts = new ArrayList<>();
        for (Packing.Shard s : shards) {
            ReleaseSummary r = byIndex.get(s.release());
            for (int i = 0; i < s.count(); i++) {
                while (parts.size() <= s.first() + i - first) {
                    parts.add(null);
                }
                long files = r.records() / s.count() + (i < r.records() % s.count() ? 1 : 0);
                parts.set(s.first() + i - first, Progress.Part.bin(r.kernel(), files));
            }
        }
        for (Work w : other) {
            parts.add(w instanceof PackageTask ? Progress.Part.packageFile() : Progress.Part.firmwareDir());
        }
        return new Progress(parts, settings, System::nanoTime);
    }

    /** Sums the tasks' counts. */
    static ScanSummary summarize(ReadResults results, int kernels, ScanSummary.Releases releases,
                                 int packagesSkipped, long elapsedMillis, String output) {
        List<TaskResult> tasks = results.tasks();
        List<BinResult> bins = new ArrayList<>();
        int packagesRead = 0;
        List<String> empty = new ArrayList<>();
        for (TaskResult t : tasks) {
            bins.addAll(t.bins());
            if (t.pkg() != null) {
                packagesRead++;
                if (t.pkg().modules() == 0 && t.pkg().builtins() == 0 && t.pkg().firmware() == 0
                        && t.pkg().complete()) {
                    empty.add(t.input().name());
                }
            }
        }
        long modules = 0;
        long builtins = 0;
        long firmwareRows = 0;
        Map<String, Long> errors = new TreeMap<>();
        Map<String, Map<String, Long>> vermagic = new TreeMap<>();
        for (BinResult b : bins) {
            modules += b.modules();
            builtins += b.builtins();
            firmwareRows += b.firmwareRows();
            b.errorsByKind().forEach((k, n) -> errors.merge(k, n, Long::sum));
            Map<String, Long> v = vermagic.computeIfAbsent(b.kernel(), k -> new TreeMap<>());
            b.vermagic().forEach((k, n) -> v.merge(k, n, Long::sum));
        }
        long errorRows = errors.values().stream().mapToLong(Long::longValue).sum();
        java.util.Collections.sort(empty);
        int fwInputs = 0;
        long fwFiles = 0;
        long fwLinks = 0;
        long fwErrors = 0;
        for (TaskResult t : tasks) {
            if (t.firmware() != null) {
                fwInputs++;
                fwFiles += t.firmware().files();
                fwLinks += t.firmware().links();
                fwErrors += t.firmware().errors();
            }
        }
        return new ScanSummary(kernels, modules, builtins, firmwareRows, results.distinctFirmware(), errors, releases,
                new ScanSummary.Packages(packagesRead, packagesSkipped, List.copyOf(empty)), elapsedMillis, output,
                List.copyOf(results.decoders()), new ScanSummary.Firmware(fwInputs, fwFiles, fwLinks, fwErrors),
                ScanSummary.warnings(vermagic, modules, builtins, errorRows));
    }
}
