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
        AtlasTables.check(table, SparkSetup.hadoopConf(conf));
        SparkSetup.checkMaster(conf.get("spark.master"), master != null, true);
        conf.set("spark.ui.showConsoleProgress", "false"); // stderr stays for messages
        conf.set("spark.app.name", app);
        return new TableSession(SparkSession.builder().config(conf).getOrCreate(), true);
    }

    @Override
    public void close() {
        if (owned) {
            spark.stop();
        }
    }
}
