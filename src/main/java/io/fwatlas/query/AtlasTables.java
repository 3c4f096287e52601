package io.fwatlas.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fwatlas.scan.StoreErrors;
import io.fwatlas.scan.ScanException;
import io.fwatlas.scan.TableLayout;
import io.fwatlas.scan.TableStamp;
import io.fwatlas.scan.TableStore;
import io.fwatlas.scan.Tables;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The tables of one fwatlas output directory, read for queries. Each is read with its schema
 * given, so a release such as {@code 6.1} stays a string (no partition type inference) and a
 * table with no partitions yet is an empty Dataset rather than an error.
 */
public record AtlasTables(SparkSession spark, Path location, Dataset<Row> firmware, Dataset<Row> modinfo,
        Dataset<Row> modules) {

    // the scan's tables as Spark reads them: their Parquet schemas (Tables) with the partition column first
    public static final StructType FIRMWARE = Tables.sparkSchema(Tables.FIRMWARE);
    public static final StructType MODINFO = Tables.sparkSchema(Tables.MODINFO);
    public static final StructType MODULES = Tables.sparkSchema(Tables.MODULES);
    public static final StructType RESOLVED = new StructType()
            .add("kernel", DataTypes.StringType).add("module", DataTypes.StringType)
            .add("firmware", DataTypes.StringType).add("status", DataTypes.StringType)
            .add("files", DataTypes.createArrayType(DataTypes.StringType))
            .add("notes", DataTypes.createArrayType(DataTypes.StringType))
            .add("providers", DataTypes.createArrayType(DataTypes.StringType));
    public static final String RESOLVED_TABLE = "resolved";
    public static final StructType FIRMWARE_FILES = Tables.sparkSchema(Tables.FIRMWARE_FILES);
    public static final StructType FIRMWARE_PACKAGES = Tables.sparkSchema(Tables.FIRMWARE_PACKAGES);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens the table directory {@code out}; refuses (exit 2) anything that is not an fwatlas table. */
    public static AtlasTables open(SparkSession spark, String out) {
        Path location = check(out, spark.sparkContext().hadoopConfiguration());
        FileSystem fs = fileSystem(spark, location);
        return new AtlasTables(spark, location, read(spark, fs, location, "firmware", FIRMWARE),
                read(spark, fs, location, "modinfo", MODINFO), read(spark, fs, location, "modules", MODULES));
    }

    /** How long a reader waits for a commit in progress, and how often it reads again after one. */
    static final java.time.Duration COMMIT_WAIT = java.time.Duration.ofMinutes(10);
    static final int MAX_READS = 20;

    /**
     * Runs {@code body} on the tables of {@code out} so that it sees one commit's state whole:
     * it waits while a commit is changing the tables, and reads again when a commit ran while it
     * read (the stamp's generation changed; a failure then, such as a file renamed away, is that
     * commit's doing). {@code body} must return what it read, not Datasets to be read later.
     */
    public static <T> T consistent(SparkSession spark, String out, java.io.PrintWriter err,
                                   java.util.function.Function<AtlasTables, T> body) {
        return consistent(spark.sparkContext().hadoopConfiguration(), out, err, location -> body.apply(open(spark, out)));
    }

    /** As {@link #consistent(SparkSession, String, java.io.PrintWriter, java.util.function.Function)}, for a body that reads the files itself. */
    public static <T> T consistent(org.apache.hadoop.conf.Configuration conf, String out, java.io.PrintWriter err,
                                   java.util.function.Function<Path, T> body) {
        Path location = check(out, conf);
        TableLayout layout;
        try {
            layout = TableLayout.of(location, conf);
        } catch (IOException e) {
            throw QueryException.usage("cannot open the file system of " + location + ": " + e.getMessage());
        }
        try {
            for (int read = 0; read < MAX_READS; read++) {
                TableStamp.Token before = TableStamp.await(layout, COMMIT_WAIT, err);
                T result;
                try {
                    result = body.apply(location);
                } catch (Exception e) { // Spark's checked SparkException too, which Scala code throws unchecked
                    if (TableStamp.unchanged(layout, before)) {
                        throw e;
                    }
                    continue;
                }
                if (TableStamp.unchanged(layout, before)) {
                    return result;
                }
            }
        } catch (ScanException e) {
            throw new QueryException(e.exitCode(), e.getMessage());
        } catch (IOException e) {
            throw new QueryException(QueryException.NO_MATCH, "cannot read " + out + ": " + e.getMessage());
        }
        throw new QueryException(QueryException.NO_MATCH, "table " + out + " changed during each of " + MAX_READS
                + " reads; try again when its writers are done");
    }

    /**
     * The table's location, once its marker is checked; without Spark, so that commands can
     * refuse a wrong --table before the seconds a session takes to start.
     */
    public static Path check(String out, org.apache.hadoop.conf.Configuration conf) {
        Path location = TableStore.location(out);
        FileSystem fs;
        try {
            fs = location.getFileSystem(conf);
        } catch (IOException | RuntimeException | LinkageError e) {
            throw QueryException.usage(StoreErrors.message("table", out, e));
        }
        Path marker = new Path(location, TableStore.MARKER);
        JsonNode m;
        try (InputStream in = fs.open(marker)) {
            m = JSON.readTree(in);
        } catch (FileNotFoundException e) {
            try {
                throw QueryException.usage(fs.exists(location)
                        ? "table " + out + " is not an fwatlas table (no " + TableStore.MARKER + ")"
                        : "table " + out + " does not exist");
            } catch (IOException io) {
                throw QueryException.usage("cannot read table " + out + ": " + io.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            throw QueryException.usage(StoreErrors.message("table", out, e));
        }
        if (m == null || !TableStore.FORMAT.equals(m.path("format").asText())) {
            throw QueryException.usage("table " + out + " has a " + TableStore.MARKER + " that is not an fwatlas marker");
        }
        if (m.path("version").asInt(-1) != TableStore.FORMAT_VERSION) {
            throw QueryException.usage("table " + out + " has format version " + m.path("version").asText()
                    + "; this fwatlas reads version " + TableStore.FORMAT_VERSION);
        }
        return location;
    }

    /**
     * The kernels of the firmware and modules tables, from their partition directories: what
     * {@link Queries#kernels(Dataset, Dataset)} computes, without a Spark job.
     */
    public List<String> kernelNames() {
        java.util.TreeSet<String> found = new java.util.TreeSet<>(partitionTimes(Tables.FIRMWARE).keySet());
        found.addAll(partitionTimes(Tables.MODULES).keySet());
        return List.copyOf(found);
    }

    /** Per kernel partition of {@code table}, its directory's modification time (when its run wrote it). */
    public java.util.Map<String, Long> partitionTimes(String table) {
        try {
            return TableLayout.partitionTimes(fileSystem(spark, location), new Path(location, table));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + location + "/" + table + ": " + e.getMessage(), e);
        }
    }

    /** What {@code resolved} was resolved against and when; null without one, or for one resolved before that was recorded. */
    public ResolvedInfo resolvedInfo() {
        return ResolvedInfo.read(fileSystem(spark, location), new Path(location, RESOLVED_TABLE));
    }

    /**
     * The kernels {@code resolved} does not describe as they are: absent from it, or written after
     * it was resolved (by their modules partition). Empty when there is no resolved table.
     */
    public List<String> staleForResolved() {
        java.util.Set<String> resolvedKernels = partitionTimes(RESOLVED_TABLE).keySet();
        if (resolvedKernels.isEmpty() && resolved() == null) {
            return List.of();
        }
        ResolvedInfo info = resolvedInfo();
        java.util.Map<String, Long> written = partitionTimes(Tables.MODULES);
        java.util.TreeSet<String> kernels = new java.util.TreeSet<>(written.keySet());
        kernels.addAll(partitionTimes(Tables.FIRMWARE).keySet());
        List<String> stale = new java.util.ArrayList<>();
        for (String k : kernels) {
            Long at = written.get(k);
            if (!resolvedKernels.contains(k) || info != null && at != null && at > info.at().toEpochMilli()) {
                stale.add(k);
            }
        }
        stale.sort(KernelRelease::compare);
        return stale;
    }

    /** The {@code resolved} table written by {@code fwatlas resolve}, or null when there is none. */
    public Dataset<Row> resolved() {
        FileSystem fs = fileSystem(spark, location);
        try {
            if (!fs.exists(new Path(location, RESOLVED_TABLE))) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return read(spark, fs, location, RESOLVED_TABLE, RESOLVED);
    }

    /** The {@code firmware_files} table: every file and link of the firmware packages and directories scanned. */
    public Dataset<Row> firmwareFiles() {
        return read(spark, fileSystem(spark, location), location, Tables.FIRMWARE_FILES, FIRMWARE_FILES);
    }

    /** The {@code firmware_packages} table: one row per firmware package or directory scanned. */
    public Dataset<Row> firmwarePackages() {
        return read(spark, fileSystem(spark, location), location, Tables.FIRMWARE_PACKAGES, FIRMWARE_PACKAGES);
    }

    /**
     * Registers the views firmware, modinfo, modules, firmware_files and firmware_packages for
     * {@code fwatlas query sql}, and resolved when the table has one.
     */
    public void registerViews() {
        firmware.createOrReplaceTempView("firmware");
        modinfo.createOrReplaceTempView("modinfo");
        modules.createOrReplaceTempView("modules");
        firmwareFiles().createOrReplaceTempView(Tables.FIRMWARE_FILES);
        firmwarePackages().createOrReplaceTempView(Tables.FIRMWARE_PACKAGES);
        Dataset<Row> r = resolved();
        if (r != null) {
            r.createOrReplaceTempView(RESOLVED_TABLE);
        }
    }

    static FileSystem fileSystem(SparkSession spark, Path location) {
        try {
            return location.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw QueryException.usage("cannot open the file system of " + location + ": " + e.getMessage());
        }
    }

    private static Dataset<Row> read(SparkSession spark, FileSystem fs, Path location, String table,
            StructType schema) {
        Path dir = new Path(location, table);
        try {
            if (!fs.exists(dir)) {
                return spark.createDataFrame(List.of(), schema);
            }
        } catch (IOException e) {
            throw QueryException.usage("cannot read " + dir + ": " + e.getMessage());
        }
        // Spark puts partition columns last; keep the documented column order
        String[] names = schema.fieldNames();
        return spark.read().schema(schema).parquet(dir.toString())
                .selectExpr(java.util.Arrays.stream(names).map(n -> "`" + n + "`").toArray(String[]::new));
    }
}
