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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

/**
 * The scan, as driver steps that tests call one by one:
 * stage 1 ({@link #listFiles}) lists each release on an executor; the driver packs the listed
 * files into balanced bins ({@link Packing}); stage 2 ({@link #readRows}) reads the bins in
 * {@code mapPartitions}; {@link #run} persists those rows once, writes the three tables to
 * staging, commits them through {@link TableStore} and summarizes.
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

    /** Lists, reads, writes and commits; the store is opened (and locked) by the caller. */
    public static ScanSummary run(SparkSession spark, Configuration conf, List<Release> releases, TableStore store,
                                  long maxModuleSize, long startMillis, PrintWriter log) throws IOException {
        Broadcast<SerializableConfiguration> bconf = hadoopConf(spark, releases, conf);
        long t0 = System.currentTimeMillis();
        List<FileTask> files = listFiles(spark, releases, bconf);
        int parallelism = spark.sparkContext().defaultParallelism();
        List<List<FileTask>> bins = Packing.pack(files,
                Packing.binCount(files, BINS_PER_CORE * parallelism, Packing.TARGET_BIN_COST));
        log.printf("fwatlas scan: listed %d files of %d releases in %.1f s; reading them in %d partitions%n",
                files.size(), releases.size(), (System.currentTimeMillis() - t0) / 1000.0, bins.size());
        log.flush();
        JavaSparkContext.fromSparkContext(spark.sparkContext())
                .setJobDescription("fwatlas: read " + files.size() + " files in " + bins.size() + " bins");
        Dataset<Row> rows = readRows(spark, bins, maxModuleSize, bconf).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            int writers = Math.max(1, Math.min(releases.size(), 2 * parallelism));
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
            List<String> kernels = new ArrayList<>();
            releases.forEach(r -> kernels.add(r.kernel()));
            store.commit(kernels);
            return summarize(rows, releases.size(), System.currentTimeMillis() - startMillis,
                    store.output().toString());
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
        } finally {
            rows.unpersist();
        }
    }

    /** Counts over the read pass's rows, in one aggregation. */
    public static ScanSummary summarize(Dataset<Row> rows, int kernels, long elapsedMillis, String output) {
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
        return new ScanSummary(kernels, nz(c, 0), nz(c, 1), nz(c, 2), nz(c, 3), errors, elapsedMillis, output);
    }

    /** Rows where {@code condition} holds. */
    private static Column count(Column condition) {
        return sum(when(condition, lit(1L)).otherwise(lit(0L)));
    }

    private static long nz(Row r, int i) {
        return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
    }
}
