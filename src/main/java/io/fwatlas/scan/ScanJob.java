package io.fwatlas.scan;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.fwatlas.module.ErrorKind;
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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The scan, as driver steps that tests call one by one:
 * stage 1 ({@link #listFiles}) lists each release on an executor; the driver packs the listed
 * files into balanced bins ({@link Packing}); stage 2 ({@link #readRows}) reads the bins in
 * {@code mapPartitions}; {@link #run} persists those rows once, writes the three tables to
 * staging, commits them through {@link TableStore} and summarizes.
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

    /** Stage 2: one partition per bin; rows of {@link ScanRows#SCHEMA}. */
    public static Dataset<Row> readRows(SparkSession spark, List<List<FileTask>> bins, long maxModuleSize,
                                        Broadcast<SerializableConfiguration> conf) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> rows = jsc.parallelize(bins, Math.max(1, bins.size()))
                .mapPartitions(new ReadModules(maxModuleSize, conf));
        return spark.createDataFrame(rows, ScanRows.SCHEMA);
    }

    /** Broadcasts the Hadoop configuration when some release is not on the local file system. */
    static Broadcast<SerializableConfiguration> hadoopConf(SparkSession spark, List<Release> releases,
                                                          Configuration conf) {
        boolean remote = releases.stream().anyMatch(r -> !r.local());
        if (!remote) {
            return null;
        }
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
        Broadcast<SerializableConfiguration> bconf = hadoopConf(spark, releases, conf);
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
        Set<String> reading = new HashSet<>();
        plan.scan().forEach(r -> reading.add(r.kernel()));
        List<FileTask> files = new ArrayList<>();
        for (FileTask f : listed) {
            if (reading.contains(f.kernel())) {
                files.add(f);
            }
        }
        List<String> kernels = new ArrayList<>();
        plan.scan().forEach(r -> kernels.add(r.kernel()));
        kernels.addAll(plan.pruned());
        Map<String, ReleaseManifest> manifests = new HashMap<>();
        for (Release r : plan.scan()) {
            manifests.put(r.kernel(), current.get(r.kernel()));
        }
        int parallelism = spark.sparkContext().defaultParallelism();
        List<List<FileTask>> bins = Packing.pack(files,
                Packing.binCount(files, BINS_PER_CORE * parallelism, Packing.TARGET_BIN_COST));
        log.printf("fwatlas scan: listed %d files of %d releases in %.1f s; %d unchanged, reading %d files of %d "
                        + "releases in %d partitions%n", listed.size(), releases.size(), (tl - t0) / 1000.0,
                plan.skipped().size(), files.size(), plan.scan().size(), bins.size());
        log.flush();
        if (plan.scan().isEmpty()) {
            try {
                if (!kernels.isEmpty()) {
                    store.commit(kernels, manifests);
                }
            } catch (IOException | RuntimeException e) {
                store.abandon();
                throw e;
            }
            return new ScanSummary(0, 0, 0, 0, 0, Map.of(), plan.counts(), System.currentTimeMillis() - startMillis,
                    store.output().toString());
        }
        JavaSparkContext.fromSparkContext(spark.sparkContext())
                .setJobDescription("fwatlas: read " + files.size() + " files in " + bins.size() + " bins");
        Dataset<Row> rows = readRows(spark, bins, o.maxModuleSize(), bconf).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            int writers = Math.max(1, Math.min(plan.scan().size(), 2 * parallelism));
            spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(writers));
            for (String t : Tables.NAMES) {
                long tw = System.currentTimeMillis();
                JavaSparkContext.fromSparkContext(spark.sparkContext()).setJobDescription("fwatlas: write " + t);
                Tables.table(t, rows, writers).write()
                        .mode(SaveMode.Overwrite)
                        .partitionBy(Tables.PARTITION_COLUMN)
                        .parquet(store.staging(t).toString());
                if (Boolean.getBoolean("fwatlas.timings")) {
                    log.printf("fwatlas scan: staged %s in %.1f s%n", t, (System.currentTimeMillis() - tw) / 1000.0);
                }
            }
            log.printf("fwatlas scan: read and staged in %.1f s%n", (System.currentTimeMillis() - t0) / 1000.0);
            log.flush();
            store.commit(kernels, manifests);
            return summarize(rows, plan.scan().size(), plan.counts(), System.currentTimeMillis() - startMillis,
                    store.output().toString());
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
        } finally {
            rows.unpersist();
        }
    }

    /** Counts over the read pass's rows, in one aggregation. */
    public static ScanSummary summarize(Dataset<Row> rows, int kernels, ScanSummary.Releases releases,
                                        long elapsedMillis, String output) {
        Column module = col("kind").equalTo(ScanRows.KIND_MODULE);
        Column fw = col("kind").equalTo(ScanRows.KIND_ENTRY).and(col("key").equalTo("firmware"));
        List<String> kinds = new ArrayList<>();
        for (ErrorKind k : ErrorKind.values()) {
            kinds.add(k.label());
        }
        kinds.add(ScanRows.BAD_BUILTIN_STRING);
        List<Column> aggs = new ArrayList<>(List.of(
                count(module.and(col("builtin").equalTo(false))),
                count(module.and(col("builtin")).and(col("status").equalTo(ScanRows.STATUS_OK))),
                count(fw),
                countDistinct(when(fw, col("value")))));
        for (String k : kinds) {
            aggs.add(count(col("status").equalTo(ScanRows.STATUS_ERROR).and(col("error_kind").equalTo(k))));
        }
        Row c = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
        Map<String, Long> errors = new TreeMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            long n = nz(c, 4 + i);
            if (n > 0) {
                errors.put(kinds.get(i), n);
            }
        }
        return new ScanSummary(kernels, nz(c, 0), nz(c, 1), nz(c, 2), nz(c, 3), errors, releases, elapsedMillis,
                output);
    }

    /** Rows where {@code condition} holds. */
    private static Column count(Column condition) {
        return sum(when(condition, lit(1L)).otherwise(lit(0L)));
    }

    private static long nz(Row r, int i) {
        return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
    }
}
