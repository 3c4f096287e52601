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
        SparkSession existing = existing(master);
        if (existing != null) {
            return new TableSession(existing, false);
        }
        Checked c = check(master, table, confDir);
        SparkConf conf = c.conf();
        org.apache.hadoop.conf.Configuration hadoop = c.hadoop();
        org.apache.hadoop.fs.Path location = c.location();
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

    /**
     * The Hadoop settings a session for {@code table} reads it with, for a command that reads the
     * files itself: spark-submit's session's, else {@link #open}'s, with the table and master
     * checked as open checks them, and no Spark started.
     */
    static org.apache.hadoop.conf.Configuration files(String master, String table, String confDir) {
        SparkSession existing = existing(master);
        return existing != null ? existing.sparkContext().hadoopConfiguration() : check(master, table, confDir).hadoop();
    }

    /** spark-submit's session, with an explicit --master checked; null when there is none. */
    private static SparkSession existing(String master) {
        SparkSession existing = SparkSetup.existing();
        if (existing != null && master != null) {
            SparkSetup.checkMaster(master, true, false);
        }
        return existing;
    }

    private record Checked(SparkConf conf, org.apache.hadoop.conf.Configuration hadoop,
                           org.apache.hadoop.fs.Path location) {
    }

    /** The configuration of a new session; the table and the master are refused before Spark starts. */
    private static Checked check(String master, String table, String confDir) {
        SparkConf conf = SparkSetup.conf(master, confDir);
        org.apache.hadoop.conf.Configuration hadoop = SparkSetup.hadoopConf(conf);
        org.apache.hadoop.fs.Path location = AtlasTables.check(table, hadoop);
        SparkSetup.checkMaster(conf.get("spark.master"), master != null, true);
        return new Checked(conf, hadoop, location);
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
