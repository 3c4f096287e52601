package io.fwatlas.query;

import static org.apache.spark.sql.functions.col;

import io.fwatlas.scan.TableStore;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.fs.FileSystem;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * {@code fwatlas resolve}: each (kernel, module, firmware) with its dracut resolution against
 * firmware directories. The directories are read on the driver, which is where they are (a
 * cluster's executors need not see them); only distinct (kernel, firmware) pairs are resolved.
 */
public final class Resolve {
    static final StructType PAIRS = StructType.fromDDL(
            "kernel STRING, firmware STRING, status STRING, files ARRAY<STRING>, notes ARRAY<STRING>");

    private Resolve() {
    }

    /** Rows in the schema of {@link AtlasTables#RESOLVED}, ordered by kernel, module, firmware. */
    public static Dataset<Row> resolve(Dataset<Row> firmware, List<Path> firmwareDirs) {
        FirmwareResolver resolver = new FirmwareResolver(firmwareDirs);
        List<Row> pairs = firmware.select("kernel", "firmware").distinct().collectAsList();
        List<Row> resolved = new ArrayList<>();
        for (Row p : pairs) {
            FirmwareResolver.Resolution r = resolver.resolve(p.getString(0), p.getString(1));
            resolved.add(RowFactory.create(p.getString(0), p.getString(1), r.status(),
                    r.files().toArray(new String[0]), r.notes().toArray(new String[0])));
        }
        Dataset<Row> res = firmware.sparkSession().createDataFrame(resolved, PAIRS);
        return firmware.select("kernel", "module", "firmware").distinct()
                .join(res, new String[] {"kernel", "firmware"}, "inner")
                .select(col("kernel"), col("module"), col("firmware"), col("status"), col("files"), col("notes"))
                .orderBy("kernel", "module", "firmware");
    }

    /**
     * Replaces {@code OUT/resolved} with {@code resolved}, under the scan lock: Spark writes it
     * below the run's staging directory, then two renames swap it in. A run killed between the
     * renames leaves no {@code resolved} table (it is derived data: run resolve again), never a
     * half-written one.
     */
    public static void write(Dataset<Row> resolved, TableStore store) throws IOException {
        org.apache.hadoop.fs.Path staged = new org.apache.hadoop.fs.Path(store.runDir(), AtlasTables.RESOLVED_TABLE);
        org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(store.runDir(), "_old_" + AtlasTables.RESOLVED_TABLE);
        org.apache.hadoop.fs.Path live = store.table(AtlasTables.RESOLVED_TABLE);
        FileSystem fs = live.getFileSystem(resolved.sparkSession().sparkContext().hadoopConfiguration());
        try {
            resolved.repartition(col("kernel")).sortWithinPartitions("kernel", "module", "firmware")
                    .write().partitionBy("kernel").parquet(staged.toString());
            if (fs.exists(live) && !fs.rename(live, old)) {
                throw new IOException("rename " + live + " -> " + old + " failed");
            }
            if (!fs.rename(staged, live)) {
                throw new IOException("rename " + staged + " -> " + live + " failed");
            }
        } finally {
            store.abandon();  // no journal here, so this removes the staging (and the old table)
            org.apache.hadoop.fs.Path staging = store.runDir().getParent();
            if (fs.exists(staging) && fs.listStatus(staging).length == 0) {
                fs.delete(staging, false);
            }
        }
    }

    /** (kernel, status, firmware, modules, notes) of the rows not found, in release order. */
    public static Dataset<Row> notFound(Dataset<Row> resolved) {
        Dataset<Row> order = Queries.releaseOrder(resolved.sparkSession(),
                resolved.select("kernel").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        return resolved.filter(col("status").notEqual(FirmwareResolver.FOUND))
                .groupBy("kernel", "status", "firmware")
                .agg(org.apache.spark.sql.functions.sort_array(org.apache.spark.sql.functions.collect_set("module"))
                        .as("modules"),
                        org.apache.spark.sql.functions.array_distinct(org.apache.spark.sql.functions.flatten(
                                org.apache.spark.sql.functions.collect_list("notes"))).as("notes"))
                .join(order, "kernel")
                .orderBy("seq", "firmware")
                .select("kernel", "status", "firmware", "modules", "notes");
    }
}
