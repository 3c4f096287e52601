package io.fwatlas.query;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The built-in questions of {@code fwatlas query}, as Dataset-in, Dataset-out functions of the
 * firmware and modules tables. Release order comes from {@link KernelRelease} (Spark SQL would
 * order {@code 6.12} before {@code 6.6}): the few kernel names are sorted on the driver and joined
 * back as a sequence number.
 */
public final class Queries {
    // built, not parsed: the DDL parser's first use costs a fresh JVM 0.1 s
    static final StructType ORDER = new StructType(new StructField[] {
        DataTypes.createStructField("kernel", DataTypes.StringType, true),
        DataTypes.createStructField("flavour", DataTypes.StringType, true),
        DataTypes.createStructField("seq", DataTypes.IntegerType, true)});

    /** The columns of {@code query kernels}: the kernel, its flavour, then the counts of {@link io.fwatlas.scan.KernelStats}. */
    public static final StructType KERNELS = new StructType(new StructField[] {
        DataTypes.createStructField("kernel", DataTypes.StringType, true),
        DataTypes.createStructField("flavour", DataTypes.StringType, true),
        DataTypes.createStructField("modules", DataTypes.LongType, false),
        DataTypes.createStructField("modules_with_firmware", DataTypes.LongType, false),
        DataTypes.createStructField("firmware_rows", DataTypes.LongType, false),
        DataTypes.createStructField("distinct_firmware", DataTypes.LongType, false),
        DataTypes.createStructField("builtin_firmware_rows", DataTypes.LongType, false),
        DataTypes.createStructField("errors", DataTypes.LongType, false)});

    private Queries() {
    }

    /**
     * The kernel column as the partition directory names it: the rows of no kernel (a package's
     * errors before its release was seen) are Spark's null partition, counted under its name.
     */
    static Column partitionName() {
        return coalesce(col("kernel"), lit(ExternalCatalogUtils.DEFAULT_PARTITION_NAME())).as("kernel");
    }

    /** Every kernel in either table. */
    public static List<String> kernels(Dataset<Row> firmware, Dataset<Row> modules) {
        Column kernel = partitionName();
        return modules.select(kernel).union(firmware.select(kernel)).distinct().as(Encoders.STRING()).collectAsList();
    }

    /** (kernel, flavour, seq): seq numbers the kernels in {@link KernelRelease#ORDER}, flavour by flavour. */
    public static Dataset<Row> releaseOrder(SparkSession spark, Collection<String> kernels) {
        return releaseOrder(spark, ordered(kernels));
    }

    private static Dataset<Row> releaseOrder(SparkSession spark, List<KernelRelease> sorted) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            rows.add(RowFactory.create(sorted.get(i).release(), sorted.get(i).series(), i));
        }
        return spark.createDataFrame(rows, ORDER);
    }

    /** The kernels in {@link KernelRelease#ORDER}, flavour by flavour. */
    static List<KernelRelease> ordered(Collection<String> kernels) {
        List<KernelRelease> sorted = new ArrayList<>();
        for (String k : new TreeSet<>(kernels)) {
            sorted.add(KernelRelease.parse(k));
        }
        sorted.sort(KernelRelease.ORDER);
        return sorted;
    }

    /** As {@link #ordered(Collection)}, restricted to one flavour (null: all); an unknown flavour is refused. */
    static List<KernelRelease> ordered(Collection<String> all, String flavour) {
        List<KernelRelease> sorted = ordered(all);
        if (flavour == null) {
            return sorted;
        }
        requireFlavour(sorted, flavour);
        return sorted.stream().filter(k -> k.series().equals(flavour)).toList();
    }

    /** Refuses a flavour none of {@code kernels} has, naming those they have. */
    private static void requireFlavour(List<KernelRelease> kernels, String flavour) {
        TreeSet<String> flavours = new TreeSet<>();
        kernels.forEach(k -> flavours.add(k.series()));
        if (!flavours.contains(flavour)) {
            throw QueryException.usage("no kernel of flavour '" + flavour + "'; flavours: " + String.join(", ",
                    flavours.stream().map(f -> f.isEmpty() ? "''" : f).toList()));
        }
    }

    /** The release order restricted to one flavour (null: all); an unknown flavour is refused. */
    static Dataset<Row> releaseOrder(Dataset<Row> firmware, Dataset<Row> modules, String flavour) {
        return releaseOrder(firmware.sparkSession(), kernels(firmware, modules), flavour);
    }

    /** The release order of {@code all} restricted to one flavour (null: all); an unknown flavour is refused. */
    static Dataset<Row> releaseOrder(SparkSession spark, List<String> all, String flavour) {
        List<KernelRelease> sorted = ordered(all);
        Dataset<Row> order = releaseOrder(spark, sorted);
        if (flavour == null) {
            return order;
        }
        requireFlavour(sorted, flavour);
        return order.filter(col("flavour").equalTo(flavour));
    }

    /** Kernel names that must exist; an unknown one is refused with the list of known ones. */
    static void requireKernels(Dataset<Row> firmware, Dataset<Row> modules, String... names) {
        requireKernels(kernels(firmware, modules), List.of(names));
    }

    /** Kernel names that must be among {@code all}; an unknown one is refused with the list of known ones. */
    static void requireKernels(List<String> all, List<String> names) {
        for (String k : names) {
            if (!all.contains(k)) {
                List<String> sorted = new ArrayList<>(all);
                sorted.sort(KernelRelease::compare);
                throw QueryException.usage("unknown kernel '" + k + "'; kernels: " + String.join(", ", sorted));
            }
        }
    }

    /** Firmware names equal to the pattern, or matching it as a glob when it has glob characters. */
    public static Column matches(Column name, String pattern) {
        Column exact = name.equalTo(pattern);
        return Glob.isGlob(pattern) ? exact.or(name.rlike("(?s)" + Glob.regex(pattern, true))) : exact;
    }

    /**
     * {@code kernels}: per kernel, modules (files and built-ins, failed ones included), modules
     * with firmware, firmware rows, distinct firmware, built-in firmware rows and failed modules,
     * in release order within each flavour.
     */
    public static Dataset<Row> kernels(Dataset<Row> firmware, Dataset<Row> modules, String flavour) {
        return kernels(firmware, modules, kernels(firmware, modules), flavour);
    }

    /** As {@link #kernels(Dataset, Dataset, String)}, with the tables' kernels known ({@link AtlasTables#kernelNames}). */
    public static Dataset<Row> kernels(Dataset<Row> firmware, Dataset<Row> modules, List<String> all, String flavour) {
        Dataset<Row> order = releaseOrder(firmware.sparkSession(), all, flavour);
        // a malformed modules.builtin.modinfo string is an error row of no module: counted in errors only
        Column kernel = partitionName();
        Dataset<Row> m = modules.groupBy(kernel).agg(count(col("module")).as("modules"),
                sum(when(col("status").equalTo("error"), 1L).otherwise(0L)).as("errors"));
        Dataset<Row> f = firmware.groupBy(kernel).agg(
                countDistinct(col("path"), col("module")).as("modules_with_firmware"),
                count(lit(1)).as("firmware_rows"),
                countDistinct(col("firmware")).as("distinct_firmware"),
                sum(when(col("builtin"), 1L).otherwise(0L)).as("builtin_firmware_rows"));
        // one row per kernel: sorted in one partition, without the sampling job of a range partitioning
        List<Column> out = new ArrayList<>(List.of(col("kernel"), col("flavour")));
        for (StructField c : KERNELS.fields()) {
            if (c.dataType().equals(DataTypes.LongType)) {
                out.add(coalesce(col(c.name()), lit(0L)).as(c.name()));
            }
        }
        return order.join(m, new String[] {"kernel"}, "left").join(f, new String[] {"kernel"}, "left")
                .coalesce(1).orderBy("seq").select(out.toArray(new Column[0]));
    }

    /**
     * {@code diff K1 K2}: (kind, change, name, related) rows: firmware added or removed with the
     * modules that reference it (in K2 for added, K1 for removed), then modules that gained or
     * lost firmware with that firmware.
     */
    public static Dataset<Row> diff(Dataset<Row> firmware, Dataset<Row> modules, String k1, String k2) {
        requireKernels(firmware, modules, k1, k2);
        Dataset<Row> a = firmware.filter(col("kernel").equalTo(k1)).select("module", "firmware").distinct();
        Dataset<Row> b = firmware.filter(col("kernel").equalTo(k2)).select("module", "firmware").distinct();
        Dataset<Row> fwA = a.select("firmware").distinct();
        Dataset<Row> fwB = b.select("firmware").distinct();
        Dataset<Row> added = changed(fwB.except(fwA).join(b, "firmware"), "firmware", "added", "firmware", "module");
        Dataset<Row> removed = changed(fwA.except(fwB).join(a, "firmware"), "firmware", "removed", "firmware",
                "module");
        Dataset<Row> gained = changed(b.except(a), "module", "gained", "module", "firmware");
        Dataset<Row> lost = changed(a.except(b), "module", "lost", "module", "firmware");
        return added.unionByName(removed).unionByName(gained).unionByName(lost).orderBy("kind", "change", "name");
    }

    private static Dataset<Row> changed(Dataset<Row> rows, String kind, String change, String key, String other) {
        return rows.groupBy(key).agg(sort_array(collect_set(col(other))).as("related"))
                .select(lit(kind).as("kind"), lit(change).as("change"), col(key).as("name"), col("related"));
    }

    /**
     * {@code history PATTERN}: per matching firmware name and flavour, the first and last kernel
     * that reference it, how many do, and the kernels of that flavour in between that do not.
     */
    public static Dataset<Row> history(Dataset<Row> firmware, Dataset<Row> modules, String pattern, String flavour) {
        Dataset<Row> order = releaseOrder(firmware, modules, flavour);
        Dataset<Row> refs = firmware.filter(matches(col("firmware"), pattern)).select("firmware", "kernel")
                .distinct().join(order, "kernel");
        return spans(refs, order, "firmware").orderBy("firmware", "flavour")
                .select("firmware", "flavour", "first", "last", "kernels", "gaps");
    }

    /**
     * Per ({@code key}, flavour) of {@code refs} (key, kernel, flavour, seq; each kernel once per
     * key): the first and last kernel in release order, how many kernels, and the kernels of
     * {@code order} between the two that are not in {@code refs} (gaps, in release order).
     */
    static Dataset<Row> spans(Dataset<Row> refs, Dataset<Row> order, String key) {
        Dataset<Row> span = refs.groupBy(key, "flavour").agg(min("seq").as("first_seq"),
                max("seq").as("last_seq"), count(lit(1)).as("kernels"));
        Dataset<Row> o = order.select(col("kernel").as("gap"), col("flavour").as("gap_flavour"),
                col("seq").as("gap_seq"));
        Dataset<Row> gaps = span.join(o, col("flavour").equalTo(col("gap_flavour"))
                        .and(col("gap_seq").gt(col("first_seq"))).and(col("gap_seq").lt(col("last_seq"))))
                .join(refs.select(col(key).as("rk_key"), col("kernel").as("rk")),
                        col(key).equalTo(col("rk_key")).and(col("gap").equalTo(col("rk"))), "left_anti")
                .groupBy(key, "flavour")
                .agg(ordered(col("gap_seq"), col("gap")).as("gaps"));
        Dataset<Row> named = span
                .join(order.select(col("seq").as("first_seq"), col("kernel").as("first")), "first_seq")
                .join(order.select(col("seq").as("last_seq"), col("kernel").as("last")), "last_seq");
        return named.join(gaps, new String[] {key, "flavour"}, "left")
                .select(col(key), col("flavour"), col("first"), col("last"), col("kernels"),
                        coalesce(col("gaps"), org.apache.spark.sql.functions.array().cast("array<string>"))
                                .as("gaps"));
    }

    /** {@code who-needs PATTERN}: per matching firmware and module, the kernels that reference it, in release order. */
    public static Dataset<Row> whoNeeds(Dataset<Row> firmware, Dataset<Row> modules, String pattern) {
        Dataset<Row> order = releaseOrder(firmware, modules, null);
        return firmware.filter(matches(col("firmware"), pattern)).select("firmware", "module", "kernel").distinct()
                .join(order, "kernel")
                .groupBy("firmware", "module")
                .agg(ordered(col("seq"), col("kernel")).as("kernel_list"))
                .select(col("firmware"), col("module"), size(col("kernel_list")).cast("long").as("kernels"),
                        col("kernel_list").as("kernel_names"))
                .orderBy("firmware", "module");
    }

    /**
     * {@code top}: (kind, rank, name, count): the firmware referenced by the most distinct
     * modules, and the modules with the most distinct firmware, {@code limit} of each; ties by name.
     */
    public static Dataset<Row> top(Dataset<Row> firmware, Dataset<Row> modules, String kernel, String flavour,
            int limit) {
        Dataset<Row> rows = firmware;
        if (kernel != null) {
            requireKernels(firmware, modules, kernel);
            rows = rows.filter(col("kernel").equalTo(kernel));
        }
        if (flavour != null) {
            rows = rows.join(releaseOrder(firmware, modules, flavour).select("kernel"), "kernel");
        }
        Dataset<Row> fw = rows.groupBy(col("firmware").as("name")).agg(countDistinct(col("module")).as("count"))
                .withColumn("kind", lit("firmware"));
        Dataset<Row> mod = rows.groupBy(col("module").as("name")).agg(countDistinct(col("firmware")).as("count"))
                .withColumn("kind", lit("module"));
        return fw.unionByName(mod)
                .withColumn("rank", row_number().over(Window.partitionBy("kind")
                        .orderBy(col("count").desc(), col("name"))))
                .filter(col("rank").leq(limit))
                .orderBy("kind", "rank")
                .select(col("kind"), col("rank"), col("name"), col("count"));
    }

    /** The values of {@code value} ordered by {@code seq} (collect_list's order is not defined). */
    static Column ordered(Column seq, Column value) {
        return transform(array_sort(collect_list(struct(seq.as("s"), value.as("v")))), x -> x.getField("v"));
    }
}
