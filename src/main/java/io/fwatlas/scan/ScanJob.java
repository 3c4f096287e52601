package io.fwatlas.scan;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import io.fwatlas.packages.PackageReader;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The scan, as driver steps that tests call one by one:
 * stage 1 ({@link #listFiles}) lists each release on an executor; the driver packs the listed
 * files into balanced bins of one kernel each ({@link Packing#byKernel}); stage 2
 * ({@link #writeBins}) reads each bin in one task, which writes the bin's rows of all three
 * tables as Parquet files into the run's staging and returns its counts; {@link #run} commits
 * the staging through {@link TableStore} and sums the counts into the summary. The rows are
 * made once and written once: no shuffle, no sort, no second pass.
 *
 * <p>Incremental runs: the fingerprint of each release ({@link ReleaseManifest}) is computed on
 * the driver from the stage-1 listing, which already carries sizes and modification times, so a
 * release that is unchanged costs its listing and nothing else; {@link #plan} compares the
 * fingerprints with the stored manifests. Only --digest adds a pass that reads every byte
 * ({@link ReleaseDigest}). Every run, incremental or not, hands the manifests of what it read to
 * {@link TableStore#commit(List, Map)}, which writes each one after its kernel's swap.
 */
public final class ScanJob {
    /** Bins per core at least, so one slow bin does not idle the others. */
    static final int BINS_PER_CORE = 3;

    private ScanJob() {
    }

    /** Stage 1: one partition per release, listed where it runs. */
    public static List<FileTask> listFiles(SparkSession spark, List<Release> releases,
                                           Broadcast<SerializableConfiguration> conf) {
        if (releases.isEmpty()) {
            return List.of();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobDescription("fwatlas: list " + releases.size() + " releases");
        return jsc.parallelize(releases, releases.size()).flatMap(new ReleaseLister(conf)).collect();
    }

    /** Stage 2: one task per bin or package, each writing its rows into the staging directory {@code runDir}. */
    public static List<TaskResult> write(SparkSession spark, List<? extends Work> work, Options o,
                                         Broadcast<SerializableConfiguration> conf, String runDir) {
        if (work.isEmpty()) {
            return List.of();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Work> tasks = new ArrayList<>(work);
        return jsc.parallelize(tasks, tasks.size())
                .map(new ReadModules(o.maxModuleSize(), o.maxPackageExpansion(), conf, runDir)).collect();
    }

    /** The Hadoop configuration for executors: their file systems, for input and for the staging. */
    static Broadcast<SerializableConfiguration> hadoopConf(SparkSession spark, Configuration conf) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return jsc.broadcast(new SerializableConfiguration(conf));
    }

    /**
     * What a run is asked to do.
     *
     * @param incremental skip releases whose manifest matches this run's listing
     * @param prune       with incremental: remove kernels of the output that no input holds any more
     * @param digest      compute content digests for the manifests (and, when incremental, compare them)
     */
    public record Options(long maxModuleSize, boolean incremental, boolean prune, boolean digest,
                          long maxPackageExpansion) {
        public Options(long maxModuleSize, boolean incremental, boolean prune, boolean digest) {
            this(maxModuleSize, incremental, prune, digest, PackageReader.DEFAULT_MAX_EXPANDED);
        }

        public static Options full(long maxModuleSize) {
            return new Options(maxModuleSize, false, false, false);
        }
    }

    /**
     * What happens to each release: {@code scan} lists the releases to read (new and rescanned);
     * kernels are sorted within each list.
     */
    public record Plan(List<Release> scan, List<String> skipped, List<String> rescanned, List<String> added,
                       List<String> pruned) {
        public ScanSummary.Releases counts() {
            return new ScanSummary.Releases(skipped.size(), rescanned.size(), added.size(), pruned.size());
        }
    }

    /**
     * Decides, on the driver, which releases to read: {@code current} holds this run's fingerprint
     * of each release, {@code stored} the manifests of the output, {@code inOutput} every kernel
     * the output holds (partitions or manifests). Without incremental every release is read.
     */
    public static Plan plan(List<Release> releases, Map<String, ReleaseManifest> current,
                            Map<String, ReleaseManifest> stored, Set<String> inOutput, Options o) {
        List<Release> scan = new ArrayList<>();
        Set<String> skipped = new TreeSet<>();
        Set<String> rescanned = new TreeSet<>();
        Set<String> added = new TreeSet<>();
        Set<String> found = new HashSet<>();
        for (Release r : releases) {
            String k = r.kernel();
            found.add(k);
            ReleaseManifest old = stored.get(k);
            if (o.incremental() && old != null && old.unchanged(current.get(k), o.digest())) {
                skipped.add(k);
                continue;
            }
            scan.add(r);
            (inOutput.contains(k) ? rescanned : added).add(k);
        }
        Set<String> pruned = new TreeSet<>();
        if (o.prune()) {
            for (String k : inOutput) {
                if (!found.contains(k)) {
                    pruned.add(k);
                }
            }
        }
        return new Plan(scan, List.copyOf(skipped), List.copyOf(rescanned), List.copyOf(added), List.copyOf(pruned));
    }

    /** Content digests of every release, one Spark task per release that has files. */
    static Map<String, String> digests(SparkSession spark, List<Release> releases, Map<String, List<FileTask>> byKernel,
                                       Broadcast<SerializableConfiguration> conf) {
        Map<String, String> out = new HashMap<>();
        List<List<FileTask>> groups = new ArrayList<>();
        for (Release r : releases) {
            List<FileTask> files = byKernel.getOrDefault(r.kernel(), List.of());
            if (files.isEmpty()) {
                out.put(r.kernel(), ReleaseDigest.digest(files, null));
            } else {
                groups.add(new ArrayList<>(files));
            }
        }
        if (!groups.isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            jsc.setJobDescription("fwatlas: digest " + groups.size() + " releases");
            for (Tuple2<String, String> d : jsc.parallelize(groups, groups.size()).map(new ReleaseDigest(conf))
                    .collect()) {
                out.put(d._1(), d._2());
            }
        }
        return out;
    }

    /** As {@link #run(SparkSession, Configuration, List, List, TableStore, Options, long, PrintWriter)}, trees only. */
    public static ScanSummary run(SparkSession spark, Configuration conf, List<Release> releases, TableStore store,
                                  Options o, long startMillis, PrintWriter log) throws IOException {
        return run(spark, conf, releases, List.of(), store, o, startMillis, log);
    }

    /**
     * Lists, plans, reads what changed, writes and commits; the store is opened (and locked) by the
     * caller. A run replaces whole kernel partitions, so when a kernel it writes also holds rows of
     * an input it did not read (a package skipped as unchanged, say), that input is read too, in a
     * further round, before anything is committed.
     */
    public static ScanSummary run(SparkSession spark, Configuration conf, List<Release> releases,
                                  List<PackageInput> packages, TableStore store, Options o, long startMillis,
                                  PrintWriter log) throws IOException {
        return run(spark, conf, releases, packages, List.of(), store, o, startMillis, log);
    }

    /**
     * As above, also reading firmware directories: each is read whole, every run, and replaces its
     * rows in the firmware tables (firmware packages are packages, read or skipped as the others).
     */
    public static ScanSummary run(SparkSession spark, Configuration conf, List<Release> releases,
                                  List<PackageInput> packages, List<FirmwareDir> firmwareDirs, TableStore store,
                                  Options o, long startMillis, PrintWriter log) throws IOException {
        Broadcast<SerializableConfiguration> bconf = hadoopConf(spark, conf);
        long t0 = System.currentTimeMillis();
        List<FileTask> listed = listFiles(spark, releases, bconf);
        Map<String, List<FileTask>> byKernel = new HashMap<>();
        for (FileTask f : listed) {
            byKernel.computeIfAbsent(f.kernel(), k -> new ArrayList<>()).add(f);
        }
        long tl = System.currentTimeMillis();
        Map<String, String> digests = Map.of();
        if (o.digest()) {
            digests = digests(spark, releases, byKernel, bconf);
            log.printf("fwatlas scan: digested %d files of %d releases in %.1f s%n", listed.size(), releases.size(),
                    (System.currentTimeMillis() - tl) / 1000.0);
        }
        Map<String, ReleaseManifest> current = new HashMap<>();
        for (Release r : releases) {
            current.put(r.kernel(), ReleaseManifest.of(r.kernel(), byKernel.getOrDefault(r.kernel(), List.of()),
                    o.maxModuleSize(), digests.get(r.kernel())));
        }
        Set<String> inOutput = store.kernels();
        Map<String, ReleaseManifest> storedManifests = store.manifests();
        Plan plan = plan(releases, current, storedManifests, inOutput, o);
        Map<String, PackageManifest> storedPackages = store.packageManifests();
        Reads reads = new Reads(releases, plan, packages, storedPackages, o);
        reads.close(reads.touched());

        List<TaskResult> results = new ArrayList<>();
        int next = 0;
        List<Release> treesToRead = reads.trees();
        List<PackageInput> packagesToRead = reads.packages();
        try {
            List<FirmwareDir> dirsToRead = new ArrayList<>(firmwareDirs);
            while (!treesToRead.isEmpty() || !packagesToRead.isEmpty() || !dirsToRead.isEmpty()) {
                List<FileTask> files = new ArrayList<>();
                treesToRead.forEach(r -> files.addAll(byKernel.getOrDefault(r.kernel(), List.of())));
                int parallelism = spark.sparkContext().defaultParallelism();
                List<Work> work = new ArrayList<>(
                        Packing.byKernel(files, BINS_PER_CORE * parallelism, Packing.TARGET_BIN_COST));
                List<Work> renumbered = new ArrayList<>();
                for (Work w : work) {
                    Bin b = (Bin) w;
                    renumbered.add(new Bin(next + b.index(), b.kernel(), b.source(), b.files()));
                }
                next += work.size();
                for (PackageInput p : packagesToRead) {
                    renumbered.add(new PackageTask(next++, p));
                }
                for (FirmwareDir d : dirsToRead) {
                    renumbered.add(new FirmwareDirTask(next++, d));
                }
                log.printf("fwatlas scan: listed %d files of %d releases in %.1f s; %d releases and %d packages "
                                + "unchanged; reading %d files of %d releases, %d packages and %d firmware directories in "
                        + "%d tasks%n",
                        listed.size(), releases.size(), (tl - t0) / 1000.0, plan.skipped().size(),
                        reads.skippedPackages().size(), files.size(), treesToRead.size(), packagesToRead.size(),
                        dirsToRead.size(), renumbered.size());
                dirsToRead.clear();
                log.flush();
                JavaSparkContext.fromSparkContext(spark.sparkContext()).setJobDescription(
                        "fwatlas: read " + files.size() + " files and " + packagesToRead.size() + " packages");
                List<TaskResult> got = write(spark, renumbered, o, bconf, store.runDir().toString());
                results.addAll(got);
                // kernels that new packages brought may also hold rows of inputs this run skipped
                Set<String> found = new HashSet<>();
                got.forEach(t -> t.bins().forEach(b -> found.add(b.kernel())));
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
            Set<String> kernels = new java.util.LinkedHashSet<>();
            Map<String, ReleaseManifest> manifests = new HashMap<>();
            for (Release r : reads.trees()) {
                kernels.add(r.kernel());
                manifests.put(r.kernel(), current.get(r.kernel()));
            }
            Map<String, Set<String>> packageKernels = new HashMap<>();
            for (TaskResult t : results) {
                for (BinResult b : t.bins()) {
                    kernels.add(b.kernel());
                    if (t.input() != null) {
                        packageKernels.computeIfAbsent(t.input().location(), k -> new TreeSet<>()).add(b.kernel());
                    }
                }
            }
            List<PackageManifest> packageManifests = new ArrayList<>();
            for (PackageInput p : reads.packages()) {
                packageManifests.add(new PackageManifest(p.location(), p.size(), p.mtime(), o.maxModuleSize(),
                        List.copyOf(packageKernels.getOrDefault(p.location(), Set.of()))));
            }
            // the plan prunes what no tree holds; a package may hold it still
            Set<String> held = new HashSet<>(kernels);
            reads.skippedPackages().forEach(p -> held.addAll(storedPackages.get(p.location()).kernels()));
            List<String> pruned = new ArrayList<>();
            for (String k : plan.pruned()) {
                if (!held.contains(k)) {
                    pruned.add(k);
                }
            }
            warnReplaced(kernels, reads, storedPackages, storedManifests.keySet(), log);
            List<String> commit = new ArrayList<>(kernels);
            commit.addAll(pruned);
            List<String> inputs = new ArrayList<>();
            reads.packages().forEach(p -> inputs.add(p.location()));
            firmwareDirs.forEach(d -> inputs.add(d.location()));
            List<String> dropped = new ArrayList<>();
            List<String> droppedFiles = new ArrayList<>();
            if (o.prune()) {
                // firmware rows of inputs (packages, directories) that no INPUT holds any more
                Set<String> keep = new HashSet<>();
                packages.forEach(p -> keep.add(Tables.inputFile(p.location())));
                firmwareDirs.forEach(d -> keep.add(Tables.inputFile(d.location())));
                for (String f : store.inputFiles()) {
                    if (!keep.contains(f)) {
                        droppedFiles.add(f);
                    }
                }
                Set<String> given = new HashSet<>();
                packages.forEach(p -> given.add(p.location()));
                for (PackageManifest pm : storedPackages.values()) {
                    if (!given.contains(pm.location()) && pm.kernels().isEmpty()) {
                        dropped.add(pm.location()); // a firmware package no input holds any more
                    }
                }
            }
            if (!commit.isEmpty() || !packageManifests.isEmpty() || !inputs.isEmpty() || !dropped.isEmpty()
                    || !droppedFiles.isEmpty()) {
                store.commit(commit, manifests, packageManifests, inputs, dropped, droppedFiles);
            }
            Set<String> rescanned = new TreeSet<>();
            Set<String> added = new TreeSet<>();
            kernels.forEach(k -> (inOutput.contains(k) ? rescanned : added).add(k));
            ScanSummary.Releases counts = new ScanSummary.Releases(plan.skipped().size() - reads.reopened(),
                    rescanned.size(), added.size(), pruned.size());
            return summarize(results, kernels.size(), counts, reads.skippedPackages().size(),
                    System.currentTimeMillis() - startMillis, store.output().toString());
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
        }
    }

    /**
     * Says which kernels this run rewrites lose rows of inputs it did not read (packages named by
     * their manifests, a tree by its kernel's manifest): a full run given only some of a release's
     * inputs replaces the rows of the others.
     */
    static void warnReplaced(Set<String> kernels, Reads reads, Map<String, PackageManifest> storedPackages,
                             Set<String> treeManifests, PrintWriter log) {
        Set<String> read = new HashSet<>();
        reads.packages().forEach(p -> read.add(p.location()));
        Set<String> treesRead = new HashSet<>();
        reads.trees().forEach(r -> treesRead.add(r.kernel()));
        Map<String, Set<String>> lost = new TreeMap<>();
        for (PackageManifest pm : storedPackages.values()) {
            if (!read.contains(pm.location())) {
                for (String k : pm.kernels()) {
                    if (kernels.contains(k)) {
                        String name = pm.location().substring(pm.location().lastIndexOf('/') + 1);
                        lost.computeIfAbsent(k, x -> new TreeSet<>()).add(name);
                    }
                }
            }
        }
        for (String k : kernels) {
            if (treeManifests.contains(k) && !treesRead.contains(k)) {
                lost.computeIfAbsent(k, x -> new TreeSet<>()).add("its release tree");
            }
        }
        lost.forEach((k, from) -> log.printf("fwatlas scan: %s: the rows read earlier from %s are replaced; this "
                + "run's inputs do not include %s%n", k, String.join(", ", from), from.size() == 1 ? "it" : "them"));
        log.flush();
    }

    /**
     * Which trees and packages a run reads. Starts from the plan (trees) and the package
     * manifests (a package is skipped when unchanged); {@link #close} then adds every skipped
     * input that holds rows of a kernel being written, since the kernel's partition is replaced whole.
     */
    static final class Reads {
        private final List<Release> trees = new ArrayList<>();
        private final List<Release> skippedTrees = new ArrayList<>();
        private final List<PackageInput> packages = new ArrayList<>();
        private final List<PackageInput> skippedPackages = new ArrayList<>();
        private final Map<String, PackageManifest> stored;
        private int reopened;

        Reads(List<Release> releases, Plan plan, List<PackageInput> inputs, Map<String, PackageManifest> stored,
              Options o) {
            this.stored = stored;
            Set<String> scanned = new HashSet<>();
            plan.scan().forEach(r -> scanned.add(r.kernel()));
            for (Release r : releases) {
                (scanned.contains(r.kernel()) ? trees : skippedTrees).add(r);
            }
            for (PackageInput p : inputs) {
                PackageManifest m = stored.get(p.location());
                boolean same = o.incremental() && m != null && m.unchanged(p, o.maxModuleSize());
                (same ? skippedPackages : packages).add(p);
            }
        }

        /** Kernels known to be written: those of the trees read, and those the packages read held last time. */
        Set<String> touched() {
            Set<String> t = new HashSet<>();
            trees.forEach(r -> t.add(r.kernel()));
            for (PackageInput p : packages) {
                PackageManifest m = stored.get(p.location());
                if (m != null) {
                    t.addAll(m.kernels());
                }
            }
            return t;
        }

        /** Moves every skipped input that holds rows of a kernel in {@code kernels} to the reads, transitively. */
        void close(Set<String> kernels) {
            Set<String> touched = new HashSet<>(kernels);
            boolean changed = true;
            while (changed) {
                changed = false;
                for (java.util.Iterator<Release> it = skippedTrees.iterator(); it.hasNext(); ) {
                    Release r = it.next();
                    if (touched.contains(r.kernel())) {
                        it.remove();
                        trees.add(r);
                        reopened++;
                        changed = true;
                    }
                }
                for (java.util.Iterator<PackageInput> it = skippedPackages.iterator(); it.hasNext(); ) {
                    PackageInput p = it.next();
                    List<String> held = stored.get(p.location()).kernels();
                    if (held.stream().anyMatch(touched::contains)) {
                        it.remove();
                        packages.add(p);
                        touched.addAll(held);
                        changed = true;
                    }
                }
            }
        }

        List<Release> trees() {
            return trees;
        }

        List<PackageInput> packages() {
            return packages;
        }

        List<PackageInput> skippedPackages() {
            return skippedPackages;
        }

        /** Trees the plan skipped that are read after all. */
        int reopened() {
            return reopened;
        }
    }

    /** Sums the tasks' counts. */
    public static ScanSummary summarize(List<TaskResult> tasks, int kernels, ScanSummary.Releases releases,
                                        int packagesSkipped, long elapsedMillis, String output) {
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
        Set<String> firmware = new HashSet<>();
        Map<String, Long> errors = new TreeMap<>();
        Set<String> decoders = new TreeSet<>();
        for (BinResult b : bins) {
            modules += b.modules();
            builtins += b.builtins();
            firmwareRows += b.firmwareRows();
            firmware.addAll(b.firmware());
            b.errorsByKind().forEach((k, n) -> errors.merge(k, n, Long::sum));
            decoders.add(b.xzDecoder());
        }
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
        return new ScanSummary(kernels, modules, builtins, firmwareRows, firmware.size(), errors, releases,
                new ScanSummary.Packages(packagesRead, packagesSkipped, List.copyOf(empty)), elapsedMillis, output,
                List.copyOf(decoders), new ScanSummary.Firmware(fwInputs, fwFiles, fwLinks, fwErrors));
    }
}
