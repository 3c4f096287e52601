package io.fwatlas.query;

import org.apache.spark.sql.SparkSession;

/** A small local session for query tests; one per test class. */
public final class TestSpark {
    private TestSpark() {
    }

    public static SparkSession start() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("fwatlas-query-test")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                // tiny tables: one shuffle partition saves most of a query's time
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.sql.codegen.wholeStage", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
