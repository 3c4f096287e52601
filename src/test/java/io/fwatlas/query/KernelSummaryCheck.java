package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The oracle of the recorded kernel stats: Spark's {@link Queries#kernels} over the table's rows.
 * Used wherever a test leaves a table behind a scan (trees, packages, incremental runs, pruning).
 */
public final class KernelSummaryCheck {
    private KernelSummaryCheck() {
    }

    /** Every kernel of the table at {@code table} has stats, and they are what Spark counts in its rows. */
    public static void assertStatsMatchTheRows(SparkSession spark, String table) throws IOException {
        Path location = new Path(new java.io.File(table).toURI());
        FileSystem fs = location.getFileSystem(spark.sparkContext().hadoopConfiguration());
        List<Row> recorded = KernelSummary.rows(fs, location, null);
        assertNotNull(recorded, "a kernel of " + table + " has no " + io.fwatlas.scan.KernelStats.FILE);
        AtlasTables t = AtlasTables.open(spark, table);
        List<Row> counted = Queries.kernels(t.firmware(), t.modules(), t.kernelNames(), null).collectAsList();
        assertEquals(strings(counted), strings(recorded), table);
    }

    static List<String> strings(List<Row> rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.toString()));
        return out;
    }
}
