package io.fwatlas.query;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;

import io.fwatlas.module.AliasIndex;
import io.fwatlas.module.Modalias;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * {@code fwatlas query device}: which kernels support a device, through which module, asking for
 * which firmware. The alias strings of the {@code modinfo} table are matched against the devices
 * as kmod matches them ({@link AliasIndex}): the device list is broadcast and each partition of
 * alias rows is indexed and asked every device, so the work is spread like the table.
 *
 * <p>Every matching module counts, loadable and built-in alike. kmod's {@code modprobe
 * --resolve-alias} names built-in modules only when no loadable one matches; the {@code builtin}
 * column tells them apart.
 */
public final class Devices {
    /** One alias row that matches one device (the device's index in the {@link DeviceList}). */
    static final StructType MATCH = StructType.fromDDL("device INT, kernel STRING, module STRING, path STRING, "
            + "builtin BOOLEAN, source STRING, ordinal INT, alias STRING");
    static final StructType GIVEN = StructType.fromDDL("device INT, modalias STRING");
    /** Lists of names that the text formats join with one space, not with ", ". */
    static final Metadata SPACE_SEPARATED = new MetadataBuilder().putString(ResultWriter.SEPARATOR, " ").build();
    /** {@link #summary}'s rows. */
    static final StructType SUMMARY = StructType.fromDDL("modalias STRING, flavour STRING, status STRING, "
            + "first STRING, last STRING, kernels BIGINT, gaps ARRAY<STRING>")
            .add("modules", DataTypes.createArrayType(DataTypes.StringType), true, SPACE_SEPARATED)
            .add("firmware", DataTypes.createArrayType(DataTypes.StringType), true, SPACE_SEPARATED);
    public static final String SUPPORTED = "supported";
    public static final String UNSUPPORTED = "unsupported";
    /** Alias rows indexed together on an executor: about 30,000 make one kernel. */
    static final int CHUNK = 1 << 16;

    private static final String[] MODULE_KEY = {"kernel", "source", "path", "module"};

    private Devices() {
    }

    /**
     * {@code device}: one row per (modalias, kernel, module) match, in the device list's order,
     * then release order per flavour: modalias (as given), kernel, flavour, module, builtin, path,
     * alias (the first matching one in section order) and firmware (the module's names in section
     * order, each once). A module found twice in a kernel (two inputs of one release) is
     * reported once, loadable before built-in, then by source and path.
     */
    public static Dataset<Row> rows(AtlasTables t, DeviceList devices, List<String> kernels, String flavour) {
        Selection s = select(t, kernels, flavour);
        return found(s, devices).join(given(t.spark(), devices), "device")
                .orderBy("device", "flavour", "seq", "module")
                .select(col("modalias"), col("kernel"), col("flavour"), col("module"), col("builtin"), col("path"),
                        col("alias"), col("firmware").as("firmware", SPACE_SEPARATED));
    }

    /**
     * {@code device --summary}: per device and flavour, the status, the first and last kernel that
     * support it, how many do, the kernels in between that do not (gaps), the modules and the
     * firmware they ask for. A device no selected kernel supports is one row with status
     * {@code unsupported} and no flavour.
     */
    public static Dataset<Row> summary(AtlasTables t, DeviceList devices, List<String> kernels, String flavour) {
        Selection s = select(t, kernels, flavour);
        // Grouped on the executors; the groups (devices times flavours) are few, so the spans
        // are taken on the driver from the release order, not with more joins.
        List<Row> groups = found(s, devices)
                .groupBy("device", "flavour").agg(collect_set(col("seq")).as("seqs"),
                        array_sort(collect_set(col("module"))).as("modules"),
                        array_sort(array_distinct(flatten(collect_list(col("firmware"))))).as("firmware"))
                .collectAsList();
        Map<Integer, List<Row>> byDevice = new TreeMap<>();
        for (Row g : groups) {
            byDevice.computeIfAbsent(g.getInt(0), d -> new ArrayList<>()).add(g);
        }
        List<Row> order = s.order.orderBy("seq").collectAsList();
        List<Row> out = new ArrayList<>();
        for (int d = 0; d < devices.size(); d++) {
            String modalias = devices.given().get(d);
            List<Row> found = byDevice.get(d);
            if (found == null) {
                out.add(RowFactory.create(modalias, null, UNSUPPORTED, null, null, 0L, new String[0], new String[0],
                        new String[0]));
                continue;
            }
            found.sort(Comparator.comparing(g -> g.getString(1)));
            for (Row g : found) {
                out.add(span(modalias, g, order));
            }
        }
        return t.spark().createDataFrame(out, SUMMARY);
    }

    /** Per (device, kernel, module): the chosen match with its firmware, flavour and release number. */
    private static Dataset<Row> found(Selection s, DeviceList devices) {
        // The plan reads the matches three times (the shadow check, the firmware lookup and the
        // rows); kept once on the executors, the alias rows are scanned and matched once.
        Dataset<Row> matches = matches(s.modinfo, devices).localCheckpoint();
        return withFirmware(firstMatches(unshadowed(matches, s.modules)), s.modinfo).join(s.order, "kernel");
    }

    /** One supported row: first, last, count and gaps of the group's kernels in release order. */
    private static Row span(String modalias, Row group, List<Row> order) {
        Set<Integer> seqs = new HashSet<>(group.getList(2));
        String flavour = group.getString(1);
        int first = Collections.min(seqs);
        int last = Collections.max(seqs);
        List<String> gaps = new ArrayList<>();
        for (Row o : order) {
            if (o.getString(1).equals(flavour) && o.getInt(2) > first && o.getInt(2) < last
                    && !seqs.contains(o.getInt(2))) {
                gaps.add(o.getString(0));
            }
        }
        return RowFactory.create(modalias, flavour, SUPPORTED, kernelAt(order, first), kernelAt(order, last),
                (long) seqs.size(), gaps.toArray(new String[0]), group.getList(3).toArray(new String[0]),
                group.getList(4).toArray(new String[0]));
    }

    private static String kernelAt(List<Row> order, int seq) {
        for (Row o : order) {
            if (o.getInt(2) == seq) {
                return o.getString(0);
            }
        }
        throw new IllegalStateException("no kernel numbered " + seq);
    }

    /**
     * Every alias row of {@code modinfo} that matches a device, as {@link #MATCH} rows. Fails
     * (exit 2) when the rows hold no alias strings at all, so that a table without alias data is
     * not mistaken for hardware nothing supports.
     */
    public static Dataset<Row> matches(Dataset<Row> modinfo, DeviceList devices) {
        Dataset<Row> aliases = modinfo.filter(col("key").equalTo("alias"))
                .select("kernel", "module", "path", "builtin", "source", "ordinal", "value");
        if (aliases.select("kernel").limit(1).collectAsList().isEmpty()) {
            throw QueryException.usage("the selected kernels hold no alias strings (an empty modinfo table?); "
                    + "scan the module trees again to match devices");
        }
        byte[][] normalized = new byte[devices.size()][];
        boolean wild = false;
        for (int i = 0; i < normalized.length; i++) {
            normalized[i] = devices.normalized().get(i).getBytes(StandardCharsets.UTF_8);
            wild |= Modalias.isPattern(normalized[i]);
        }
        Broadcast<byte[][]> b = JavaSparkContext.fromSparkContext(modinfo.sparkSession().sparkContext())
                .broadcast(normalized);
        if (wild) {
            // A device holding *?[ also walks the trie's wildcard edges literally, so its answer
            // depends on which aliases share the trie: index exactly what depmod would, one
            // release tree's loadable aliases, or its built-in ones, together.
            return aliases.repartition(col("kernel"), col("source"))
                    .sortWithinPartitions("kernel", "source", "builtin")
                    .mapPartitions(new MatchAliases(b, Integer.MAX_VALUE), Encoders.row(MATCH));
        }
        return aliases.mapPartitions(new MatchAliases(b, CHUNK), Encoders.row(MATCH));
    }

    /**
     * Drops the matches of module files that depmod leaves out because another file of the same
     * name in the same tree wins: one under {@code updates/} before any other, else the first (kmod
     * takes the first its directory walk meets; here, the first path in byte order).
     */
    static Dataset<Row> unshadowed(Dataset<Row> matches, Dataset<Row> modules) {
        String[] key = {"kernel", "source", "module"};
        Dataset<Row> winners = modules.filter(col("builtin").equalTo(false))
                .join(matches.select("kernel", "source", "module").distinct(), key, "left_semi")
                .groupBy("kernel", "source", "module")
                .agg(min(struct(not(col("path").startsWith("updates/")).as("later"), col("path"))).as("w"))
                .select(col("kernel"), col("source"), col("module"), col("w.path").as("winner"));
        return matches.join(winners, key, "left")
                .filter(col("builtin").or(col("winner").isNull()).or(col("path").equalTo(col("winner"))))
                .drop("winner");
    }

    /** One row per (device, kernel, module): loadable before built-in, then by source, path and alias order. */
    static Dataset<Row> firstMatches(Dataset<Row> matches) {
        return matches.groupBy("device", "kernel", "module")
                .agg(min(struct("builtin", "source", "path", "ordinal", "alias")).as("m"))
                .select(col("device"), col("kernel"), col("module"), col("m.builtin").as("builtin"),
                        col("m.source").as("source"), col("m.path").as("path"), col("m.alias").as("alias"));
    }

    /** Adds each matched module's firmware names, in section order and each once (none: empty). */
    static Dataset<Row> withFirmware(Dataset<Row> first, Dataset<Row> modinfo) {
        Dataset<Row> firmware = modinfo.filter(col("key").equalTo("firmware"))
                .join(first.select("kernel", "source", "path", "module").distinct(), MODULE_KEY, "left_semi")
                .groupBy("kernel", "source", "path", "module")
                .agg(array_distinct(Queries.ordered(col("ordinal"), col("value"))).as("firmware"));
        return first.join(firmware, MODULE_KEY, "left")
                .withColumn("firmware", coalesce(col("firmware"), array().cast("array<string>")));
    }

    /** (device, modalias as given). */
    static Dataset<Row> given(SparkSession spark, DeviceList devices) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            rows.add(RowFactory.create(i, devices.given().get(i)));
        }
        return spark.createDataFrame(rows, GIVEN);
    }

    /** The kernels asked about, in release order, and the modinfo rows of only those kernels. */
    private record Selection(Dataset<Row> order, Dataset<Row> modinfo, Dataset<Row> modules) {
    }

    private static Selection select(AtlasTables t, List<String> kernels, String flavour) {
        List<String> all = Queries.kernels(t.firmware(), t.modules());
        if (all.isEmpty()) {
            throw QueryException.noMatch("the table holds no kernels");
        }
        Queries.requireKernels(all, kernels);
        Dataset<Row> order = Queries.releaseOrder(t.spark(), all, flavour);
        Dataset<Row> modinfo = t.modinfo();
        Dataset<Row> modules = t.modules();
        if (!kernels.isEmpty()) {
            order = order.filter(col("kernel").isin(kernels.toArray()));
        }
        if (!kernels.isEmpty() || flavour != null) {
            // a partition filter, so only the asked kernels' files are read
            List<String> names = order.select("kernel").as(Encoders.STRING()).collectAsList();
            if (names.isEmpty()) {
                throw QueryException.usage("no kernel is both of flavour '" + flavour + "' and among --kernel "
                        + String.join(", ", kernels));
            }
            modinfo = modinfo.filter(col("kernel").isin(names.toArray()));
            modules = modules.filter(col("kernel").isin(names.toArray()));
        }
        return new Selection(order, modinfo, modules);
    }

    /** Whether two alias rows go into one kmod trie: the same release tree, both loadable or both built-in. */
    static boolean sameTrie(Row a, Row b) {
        return Objects.equals(a.get(0), b.get(0)) && Objects.equals(a.get(4), b.get(4))
                && Objects.equals(a.get(3), b.get(3));
    }

    /**
     * Executor side: indexes the alias rows of one trie (see {@link #sameTrie}), at most {@code
     * chunk} at a time, and asks the index every device, so memory stays at one chunk whatever the
     * partition holds.
     */
    static final class MatchAliases implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[][]> devices;
        private final int chunk;

        MatchAliases(Broadcast<byte[][]> devices, int chunk) {
            this.devices = devices;
            this.chunk = chunk;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> aliases) {
            byte[][] wanted = devices.value();
            return new Iterator<>() {
                private final List<Row> rows = new ArrayList<>(Math.min(chunk, 4096));
                private final List<Row> found = new ArrayList<>();
                private Row pending;
                private int next;

                @Override
                public boolean hasNext() {
                    while (next == found.size() && (pending != null || aliases.hasNext())) {
                        found.clear();
                        next = 0;
                        match();
                    }
                    return next < found.size();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return found.get(next++);
                }

                private void match() {
                    rows.clear();
                    AliasIndex.Builder b = new AliasIndex.Builder();
                    while (rows.size() < chunk && (pending != null || aliases.hasNext())) {
                        Row r = pending != null ? pending : aliases.next();
                        pending = null;
                        if (!rows.isEmpty() && !sameTrie(rows.get(0), r)) {
                            pending = r;  // the next chunk's first row
                            break;
                        }
                        String value = r.getString(6);
                        if (value != null && b.add(value, rows.size())) {
                            rows.add(r);
                        }
                    }
                    AliasIndex index = b.build();
                    for (int d = 0; d < wanted.length; d++) {
                        int device = d;
                        index.lookupNormalized(wanted[d], id -> {
                            Row r = rows.get(id);
                            found.add(RowFactory.create(device, r.get(0), r.get(1), r.get(2), r.get(3), r.get(4),
                                    r.get(5), r.get(6)));
                        });
                    }
                }
            };
        }
    }
}
