package io.fwatlas.scan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The Spark side of a scan. Stage 1 lists each release on an executor into a persisted RDD of
 * {@link ListedRelease}s and returns only their {@link ReleaseSummary}s to the driver. Stage 2
 * deals each listed release's files into the bins the driver planned ({@link Packing#shards}),
 * where the listing already is, moves each bin (with the package and firmware-directory tasks)
 * to a partition of its own and reads it ({@link ReadModules}); only counts come back.
 */
final class ScanExecution implements AutoCloseable {
    private final JavaSparkContext jsc;
    private final Broadcast<SerializableConfiguration> conf;
    private final JavaRDD<ListedRelease> listed;

    private ScanExecution(JavaSparkContext jsc, Broadcast<SerializableConfiguration> conf,
                          JavaRDD<ListedRelease> listed) {
        this.jsc = jsc;
        this.conf = conf;
        this.listed = listed;
    }

    /** Sets up the listing of {@code releases}, one partition each; nothing runs until {@link #summaries}. */
    static ScanExecution of(SparkSession spark, Configuration hadoop, List<Release> releases) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(hadoop));
        List<Tuple2<Integer, Release>> indexed = new ArrayList<>();
        for (int i = 0; i < releases.size(); i++) {
            indexed.add(new Tuple2<>(i, releases.get(i)));
        }
        JavaRDD<ListedRelease> listed = null;
        if (!releases.isEmpty()) {
            listed = jsc.parallelize(indexed, releases.size()).map(new ListRelease(conf))
                    .persist(StorageLevel.MEMORY_AND_DISK_SER());
        }
        return new ScanExecution(jsc, conf, listed);
    }

    Broadcast<SerializableConfiguration> conf() {
        return conf;
    }

    /** Stage 1: lists every release where it runs; the driver gets a summary per release, in release order. */
    List<ReleaseSummary> summaries(long maxModuleSize, boolean digest) {
        if (listed == null) {
            return List.of();
        }
        jsc.setJobDescription("fwatlas: list " + listed.getNumPartitions() + " releases");
        return listed.map(new Summarize(maxModuleSize, digest, conf)).collect();
    }

    /**
     * Stage 2: reads the bins of {@code shards} (from the listing) and the tasks {@code other}
     * (packages, firmware directories, numbered after the bins), one partition each; reports to
     * {@code progress} when not null.
     */
    ReadResults read(List<Packing.Shard> shards, List<Work> other, int first, ReadModules reader, String what,
                     Progress progress) {
        int bins = first;
        Map<Integer, Packing.Shard> byRelease = new HashMap<>();
        for (Packing.Shard s : shards) {
            byRelease.put(s.release(), s);
            bins = Math.max(bins, s.first() + s.count());
        }
        int total = bins - first + other.size();
        if (total == 0) {
            return new ReadResults();
        }
        List<Tuple2<Integer, Work>> rest = new ArrayList<>();
        for (int i = 0; i < other.size(); i++) {
            rest.add(new Tuple2<>(bins + i, other.get(i)));
        }
        JavaPairRDD<Integer, Work> work = jsc.parallelizePairs(rest, Math.max(1, Math.min(rest.size(), 64)));
        if (!byRelease.isEmpty()) {
            work = listed.flatMapToPair(new DealBins(byRelease)).union(work);
        }
        jsc.setJobDescription("fwatlas: read " + what);
        Progress.Listener listener = progress == null ? null : new Progress.Listener(progress);
        java.util.concurrent.ScheduledExecutorService ticker = null;
        if (listener != null) {
            jsc.sc().addSparkListener(listener);
            ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fwatlas-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(progress::tick, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        try {
            // merged where the tasks ran: the driver gets a result per kernel, not per bin
            return work.partitionBy(new OnePerPartition(first, total)).values().map(reader).setName(Progress.READ_RDD)
                    .treeAggregate(new ReadResults(), ReadResults::add, ReadResults::merge);
        } finally {
            if (listener != null) {
                ticker.shutdownNow();
                jsc.sc().removeSparkListener(listener);
                progress.finish();
            }
        }
    }

    @Override
    public void close() {
        if (listed != null) {
            listed.unpersist(false);
        }
    }

    /** Lists one release on the executor. */
    static final class ListRelease implements Function<Tuple2<Integer, Release>, ListedRelease> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<SerializableConfiguration> conf;

        ListRelease(Broadcast<SerializableConfiguration> conf) {
            this.conf = conf;
        }

        @Override
        public ListedRelease call(Tuple2<Integer, Release> r) {
            Listing l = ReleaseLister.list(r._2(), r._2().local() ? null : conf.value().value());
            return new ListedRelease(r._1(), r._2(), l.files(), l.linksNotFollowed());
        }
    }

    /** The driver's view of one listed release. */
    static final class Summarize implements Function<ListedRelease, ReleaseSummary> {
        private static final long serialVersionUID = 1L;
        private final long maxModuleSize;
        private final boolean digest;
        private final Broadcast<SerializableConfiguration> conf;

        Summarize(long maxModuleSize, boolean digest, Broadcast<SerializableConfiguration> conf) {
            this.maxModuleSize = maxModuleSize;
            this.digest = digest;
            this.conf = conf;
        }

        @Override
        public ReleaseSummary call(ListedRelease l) {
            return ReleaseSummary.of(l, maxModuleSize, digest, conf.value().value());
        }
    }

    /** Deals a listed release's files into its planned bins; releases not planned give none. */
    static final class DealBins implements PairFlatMapFunction<ListedRelease, Integer, Work> {
        private static final long serialVersionUID = 1L;
        private final Map<Integer, Packing.Shard> byRelease;

        DealBins(Map<Integer, Packing.Shard> byRelease) {
            this.byRelease = new HashMap<>(byRelease);
        }

        @Override
        public Iterator<Tuple2<Integer, Work>> call(ListedRelease l) {
            Packing.Shard s = byRelease.get(l.index());
            List<Tuple2<Integer, Work>> out = new ArrayList<>();
            if (s == null) {
                return out.iterator();
            }
            List<List<FileTask>> bins = Packing.pack(l.files(), s.count());
            for (int i = 0; i < bins.size(); i++) {
                Release r = l.release();
                out.add(new Tuple2<>(s.first() + i, new Bin(s.first() + i, r.kernel(), r.source(), bins.get(i))));
            }
            return out.iterator();
        }
    }

    /** Partition {@code k} holds the work numbered {@code first + k}. */
    static final class OnePerPartition extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int first;
        private final int partitions;

        OnePerPartition(int first, int partitions) {
            this.first = first;
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key - first;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OnePerPartition p && p.first == first && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return 31 * first + partitions;
        }
    }
}
