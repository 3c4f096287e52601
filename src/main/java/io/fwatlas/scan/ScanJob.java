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

    /** Stage 2: one task per bin, each writing its rows into the staging directory {@code runDir}. */
    public static List<BinResult> writeBins(SparkSession spark, List<Bin> bins, long maxModuleSize,
                                            Broadcast<SerializableConfiguration> conf, String runDir) {
        if (bins.isEmpty()) {
            return List.of();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return jsc.parallelize(bins, bins.size()).map(new ReadModules(maxModuleSize, conf, runDir)).collect();
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
    public record Options(long maxModuleSize, boolean incremental, boolean prune, boolean digest) {
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

    /** Lists, plans, reads what changed, writes and commits; the store is opened (and locked) by the caller. */
    public static ScanSummary run(SparkSession spark, Configuration conf, List<Release> releases, TableStore store,
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
        Plan plan = plan(releases, current, store.manifests(), store.kernels(), o);
        List<FileTask> files = new ArrayList<>();
        List<String> kernels = new ArrayList<>();
        Map<String, ReleaseManifest> manifests = new HashMap<>();
        for (Release r : plan.scan()) {
            files.addAll(byKernel.getOrDefault(r.kernel(), List.of()));
            kernels.add(r.kernel());
            manifests.put(r.kernel(), current.get(r.kernel()));
        }
        kernels.addAll(plan.pruned());
        int parallelism = spark.sparkContext().defaultParallelism();
        List<Bin> bins = Packing.byKernel(files, BINS_PER_CORE * parallelism, Packing.TARGET_BIN_COST);
        log.printf("fwatlas scan: listed %d files of %d releases in %.1f s; %d unchanged, reading %d files of %d "
                        + "releases in %d tasks%n", listed.size(), releases.size(), (tl - t0) / 1000.0,
                plan.skipped().size(), files.size(), plan.scan().size(), bins.size());
        log.flush();
        try {
            JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .setJobDescription("fwatlas: read " + files.size() + " files in " + bins.size() + " bins");
            List<BinResult> results = writeBins(spark, bins, o.maxModuleSize(), bconf, store.runDir().toString());
            store.discardTasks();
            if (!bins.isEmpty()) {
                log.printf("fwatlas scan: read and staged in %.1f s%n", (System.currentTimeMillis() - t0) / 1000.0);
                log.flush();
            }
            if (!kernels.isEmpty()) {
                store.commit(kernels, manifests);
            }
            return summarize(results, plan.scan().size(), plan.counts(), System.currentTimeMillis() - startMillis,
                    store.output().toString());
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
        }
    }

    /** Sums the bins' counts. */
    public static ScanSummary summarize(List<BinResult> bins, int kernels, ScanSummary.Releases releases,
                                        long elapsedMillis, String output) {
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
        return new ScanSummary(kernels, modules, builtins, firmwareRows, firmware.size(), errors, releases,
                elapsedMillis, output, List.copyOf(decoders));
    }
}
