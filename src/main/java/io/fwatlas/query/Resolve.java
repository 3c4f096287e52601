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
            "kernel STRING, firmware STRING, status STRING, files ARRAY<STRING>, notes ARRAY<STRING>, "
                    + "providers ARRAY<STRING>");

    private Resolve() {
    }

    /**
     * Rows in the schema of {@link AtlasTables#RESOLVED}, ordered by kernel, module, firmware;
     * {@code providers} names the firmware directory that has the file.
     */
    public static Dataset<Row> resolve(Dataset<Row> firmware, List<Path> firmwareDirs) {
        FirmwareResolver resolver = new FirmwareResolver(firmwareDirs);
        List<Row> resolved = new ArrayList<>();
        for (Row p : pairs(firmware)) {
            FirmwareResolver.Resolution r = resolver.resolve(p.getString(0), p.getString(1));
            List<String> providers = new ArrayList<>();
            for (Path d : firmwareDirs) {
                String root = real(d);
                if (providers.isEmpty() && r.files().stream().anyMatch(f -> f.startsWith(root + "/"))) {
                    providers.add(d.toString());
                }
            }
            resolved.add(RowFactory.create(p.getString(0), p.getString(1), r.status(),
                    r.files().toArray(new String[0]), r.notes().toArray(new String[0]),
                    providers.toArray(new String[0])));
        }
        return join(firmware, resolved);
    }

    /**
     * As {@link #resolve(Dataset, List)}, against the packages of {@code firmwareFiles} (the
     * {@code firmware_files} table) instead of directories: each package on its own, so that
     * {@code providers} lists every {@code package_version} whose own files satisfy the lookup, and
     * {@code files} the paths they matched, relative to the firmware root.
     */
    public static Dataset<Row> resolveInPackages(Dataset<Row> firmware, Dataset<Row> firmwareFiles) {
        PackageResolver.Builder b = new PackageResolver.Builder();
        for (Row r : firmwareFiles.filter(col("status").equalTo("ok"))
                .select("package", "version", "path", "kind", "target").collectAsList()) {
            b.add(providerKey(r.getString(0), r.getString(1)), r.getString(2), r.getString(3), r.getString(4));
        }
        PackageResolver resolver = b.build();
        List<Row> resolved = new ArrayList<>();
        for (Row p : pairs(firmware)) {
            PackageResolver.Resolution r = resolver.resolve(p.getString(0), p.getString(1));
            resolved.add(RowFactory.create(p.getString(0), p.getString(1), r.status(),
                    r.files().toArray(new String[0]), r.notes().toArray(new String[0]),
                    r.providers().toArray(new String[0])));
        }
        return join(firmware, resolved);
    }

    private static String real(Path d) {
        try {
            return d.toRealPath().toString();
        } catch (IOException e) {
            return d.toAbsolutePath().toString();
        }
    }

    /** Per kernel: distinct firmware names, and those no package or directory has. */
    public static Dataset<Row> missingPerKernel(Dataset<Row> resolved) {
        Dataset<Row> order = Queries.releaseOrder(resolved.sparkSession(),
                resolved.select("kernel").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        return resolved.groupBy("kernel")
                .agg(org.apache.spark.sql.functions.countDistinct("firmware").as("firmware_names"),
                        org.apache.spark.sql.functions.countDistinct(org.apache.spark.sql.functions.when(
                                col("status").notEqual(FirmwareResolver.FOUND), col("firmware"))).as("missing"))
                .join(order, "kernel").orderBy("seq").select("kernel", "firmware_names", "missing");
    }

    /** Per provider: the distinct firmware names it provides, over every kernel. */
    public static Dataset<Row> namesPerProvider(Dataset<Row> resolved) {
        return resolved.select(org.apache.spark.sql.functions.explode(col("providers")).as("provider"),
                        col("firmware"))
                .groupBy("provider").agg(org.apache.spark.sql.functions.countDistinct("firmware").as("names"))
                .orderBy("provider");
    }

    /** {@code package_version}, or the package alone for a directory (which has no version). */
    public static String providerKey(String pkg, String version) {
        return version == null ? pkg : pkg + "_" + version;
    }

    private static List<Row> pairs(Dataset<Row> firmware) {
        return firmware.filter(col("firmware").isNotNull()).select("kernel", "firmware").distinct().collectAsList();
    }

    /**
     * The (kernel, module, firmware) rows with their pair's resolution. The resolutions go to the
     * executors as one broadcast (a local relation of them would travel inside a task).
     */
    private static Dataset<Row> join(Dataset<Row> firmware, List<Row> resolved) {
        java.util.HashMap<String, Row> byPair = new java.util.HashMap<>();
        for (Row r : resolved) {
            byPair.put(r.getString(0) + "\0" + r.getString(1), r);
        }
        org.apache.spark.broadcast.Broadcast<java.util.HashMap<String, Row>> b =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(firmware.sparkSession().sparkContext())
                        .broadcast(byPair);
        return firmware.filter(col("firmware").isNotNull()).select("kernel", "module", "firmware").distinct()
                .map(new WithResolution(b), org.apache.spark.sql.Encoders.row(AtlasTables.RESOLVED))
                .orderBy("kernel", "module", "firmware");
    }

    /** Adds a (kernel, module, firmware) row's resolution from the broadcast map of pairs. */
    static final class WithResolution implements org.apache.spark.api.java.function.MapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final org.apache.spark.broadcast.Broadcast<java.util.HashMap<String, Row>> pairs;

        WithResolution(org.apache.spark.broadcast.Broadcast<java.util.HashMap<String, Row>> pairs) {
            this.pairs = pairs;
        }

        @Override
        public Row call(Row r) {
            Row p = pairs.value().get(r.getString(0) + "\0" + r.getString(2));
            return RowFactory.create(r.getString(0), r.getString(1), r.getString(2), p.getString(2), p.get(3),
                    p.get(4), p.get(5));
        }
    }

    /**
     * Replaces {@code OUT/resolved} with {@code resolved}, under the scan lock: Spark writes it
     * below the run's staging directory, and the store's journaled commit swaps it in whole, as
     * it does a scan's partitions (readers see the old table or the new one).
     */
    public static void write(Dataset<Row> resolved, TableStore store) throws IOException {
        write(resolved, store, null);
    }

    /** As {@link #write(Dataset, TableStore)}, with {@code info} (what it was resolved against) beside the rows. */
    public static void write(Dataset<Row> resolved, TableStore store, ResolvedInfo info) throws IOException {
        try {
            String dir = store.staging(AtlasTables.RESOLVED_TABLE).toString();
            resolved.repartition(col("kernel")).sortWithinPartitions("kernel", "module", "firmware")
                    .write().partitionBy("kernel").parquet(dir);
            if (info != null) {
                info.write(new org.apache.hadoop.fs.Path(dir),
                        resolved.sparkSession().sparkContext().hadoopConfiguration());
            }
            store.commitTable(AtlasTables.RESOLVED_TABLE);
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
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
