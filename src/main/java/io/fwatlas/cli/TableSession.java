package io.fwatlas.cli;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.scan.SparkSetup;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a command that reads an existing table: spark-submit's when there is one,
 * else a new one that {@link #close} stops. The table and the master are checked before Spark
 * starts, so a wrong path or master is refused in a second rather than after Spark's start-up.
 */
final class TableSession implements AutoCloseable {
    final SparkSession spark;
    private final boolean owned;

    private TableSession(SparkSession spark, boolean owned) {
        this.spark = spark;
        this.owned = owned;
    }

    static TableSession open(String app, String master, String table, String confDir) {
        SparkSession existing = SparkSetup.existing();
        if (existing != null) {
            if (master != null) {
                SparkSetup.checkMaster(master, true, false);
            }
            return new TableSession(existing, false);
        }
        SparkConf conf = SparkSetup.conf(master, confDir);
        org.apache.hadoop.conf.Configuration hadoop = SparkSetup.hadoopConf(conf);
        org.apache.hadoop.fs.Path location = AtlasTables.check(table, hadoop);
        SparkSetup.checkMaster(conf.get("spark.master"), master != null, true);
        conf.set("spark.ui.showConsoleProgress", "false"); // stderr stays for messages
        if (conf.get("spark.master").startsWith("local") && small(location, hadoop)) {
            // Measured (docs/BENCHMARKS.md): compiling the generated code of a query costs a fresh JVM
            // 0.7 s, more than evaluating a small table's rows interpreted takes (query kernels on the
            // samples 3.4 -> 2.7 s); on a 12 MiB table interpreted is slower for heavy queries.
            conf.setIfMissing("spark.sql.codegen.wholeStage", "false");
            conf.setIfMissing("spark.sql.codegen.factoryMode", "NO_CODEGEN");
        }
        conf.set("spark.app.name", app);
        // the classic builder itself: SparkSession.builder() first looks the implementation up by reflection
        // (0.2-0.26 s of every start, docs/BENCHMARKS.md); fwatlas runs classic Spark only
        return new TableSession(org.apache.spark.sql.classic.SparkSession.builder().config(conf).getOrCreate(), true);
    }

    /** Tables up to this size are queried without generated code. */
    static final long SMALL_TABLE = 4L << 20;

    static boolean small(org.apache.hadoop.fs.Path location, org.apache.hadoop.conf.Configuration conf) {
        try {
            return location.getFileSystem(conf).getContentSummary(location).getLength() <= SMALL_TABLE;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (owned) {
            spark.stop();
        }
    }
}
