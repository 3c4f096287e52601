package io.fwatlas.query;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * {@code fwatlas report}: one HTML file that opens offline, with Chart.js (vendored by
 * {@code jobs/update-chartjs}) inlined. The page records how many points it drew and any script
 * error in {@code data-fwatlas-*} attributes of {@code <body>}, so a headless browser can check it.
 */
public final class Report {
    static final String RESOURCES = "/io/fwatlas/report/";
    static final StructType STEPS = StructType.fromDDL("flavour STRING, seq INT, kernel STRING, prev STRING");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() {
    }

    /**
     * (flavour, from, to, added, removed): distinct firmware names gained and lost between each
     * kernel and the one before it in the same flavour, biggest total change first.
     */
    public static Dataset<Row> changes(Dataset<Row> firmware, Dataset<Row> modules, int limit) {
        List<Row> order = Queries.releaseOrder(firmware, modules, null).orderBy("seq").collectAsList();
        List<Row> steps = new ArrayList<>();
        for (int i = 1; i < order.size(); i++) {
            Row prev = order.get(i - 1);
            Row cur = order.get(i);
            if (prev.getString(1).equals(cur.getString(1))) {
                steps.add(RowFactory.create(cur.getString(1), cur.getInt(2), cur.getString(0), prev.getString(0)));
            }
        }
        Dataset<Row> s = firmware.sparkSession().createDataFrame(steps, STEPS);
        Dataset<Row> names = firmware.select("kernel", "firmware").distinct();
        Dataset<Row> cur = s.join(names, "kernel");
        Dataset<Row> before = s.join(names.withColumnRenamed("kernel", "prev"), "prev");
        Dataset<Row> added = cur.join(before, new String[] {"flavour", "seq", "kernel", "prev", "firmware"}, "left_anti")
                .groupBy("flavour", "seq", "kernel", "prev").agg(count(lit(1)).as("added"));
        Dataset<Row> removed = before.join(cur, new String[] {"flavour", "seq", "kernel", "prev", "firmware"},
                        "left_anti")
                .groupBy("flavour", "seq", "kernel", "prev").agg(count(lit(1)).as("removed"));
        return s.join(added, new String[] {"flavour", "seq", "kernel", "prev"}, "left")
                .join(removed, new String[] {"flavour", "seq", "kernel", "prev"}, "left")
                .na().fill(0L, new String[] {"added", "removed"})
                .filter(col("added").plus(col("removed")).gt(0))
                .orderBy(col("added").plus(col("removed")).desc(), col("seq"))
                .limit(limit)
                .select(col("flavour"), col("prev").as("from"), col("kernel").as("to"), col("added"),
                        col("removed"));
    }

    /** (kernel, not_found): distinct firmware names not found (missing or glob-no-match) per kernel. */
    public static Dataset<Row> missing(Dataset<Row> resolved) {
        return resolved.filter(col("status").notEqual(FirmwareResolver.FOUND)).groupBy("kernel")
                .agg(countDistinct("firmware").as("not_found"));
    }

    /**
     * (kernel, provider, names): per kernel, each package (or firmware directory) that provides
     * some of its firmware, with the number of distinct names it provides, most first.
     */
    public static Dataset<Row> sources(Dataset<Row> resolved) {
        return resolved.filter(col("providers").isNotNull())
                .select(col("kernel"), org.apache.spark.sql.functions.explode(col("providers")).as("provider"),
                        col("firmware"))
                .groupBy("kernel", "provider").agg(countDistinct("firmware").as("names"))
                .orderBy(col("kernel"), col("names").desc(), col("provider"));
    }

    /** As {@link #html(String, List, List, List, List, List)} without the firmware sources. */
    public static String html(String title, List<Row> kernels, List<Row> changes, List<Row> missing,
            List<Row> devices) {
        return html(title, kernels, changes, missing, null, devices);
    }

    /**
     * The page. {@code kernels} is {@link Queries#kernels}'s result (release order), {@code
     * missing} and {@code sources} ({@link #sources}) may be null (no resolved table), {@code
     * devices} is {@link Devices#summary}'s result or null (no device list).
     */
    public static String html(String title, List<Row> kernels, List<Row> changes, List<Row> missing,
            List<Row> sources, List<Row> devices) {
        ObjectNode data = JSON.createObjectNode();
        data.put("title", title);
        ArrayNode k = data.putArray("kernels");
        for (Row r : kernels) {
            k.addObject().put("kernel", r.<String>getAs("kernel")).put("flavour", r.<String>getAs("flavour"))
                    .put("distinct_firmware", r.<Long>getAs("distinct_firmware"))
                    .put("modules_with_firmware", r.<Long>getAs("modules_with_firmware"))
                    .put("modules", r.<Long>getAs("modules")).put("errors", r.<Long>getAs("errors"));
        }
        ArrayNode c = data.putArray("changes");
        for (Row r : changes) {
            c.addObject().put("flavour", r.<String>getAs("flavour")).put("from", r.<String>getAs("from"))
                    .put("to", r.<String>getAs("to")).put("added", r.<Long>getAs("added"))
                    .put("removed", r.<Long>getAs("removed"));
        }
        if (missing != null) {
            ArrayNode m = data.putArray("missing");
            for (Row r : missing) {
                m.addObject().put("kernel", r.<String>getAs("kernel")).put("not_found", r.<Long>getAs("not_found"));
            }
        }
        if (sources != null && missing != null) {
            java.util.Map<String, List<String>> byKernel = new java.util.HashMap<>();
            for (Row r : sources) {
                byKernel.computeIfAbsent(r.getString(0), x -> new ArrayList<>())
                        .add(r.getString(1) + " (" + r.getLong(2) + ")");
            }
            java.util.Map<String, Long> notFound = new java.util.HashMap<>();
            missing.forEach(r -> notFound.put(r.getAs("kernel"), r.<Long>getAs("not_found")));
            ArrayNode p = data.putArray("packages");
            for (Row r : kernels) {
                String kernel = r.getAs("kernel");
                p.addObject().put("kernel", kernel).put("not_found", notFound.getOrDefault(kernel, 0L))
                        .put("providers", String.join(", ", byKernel.getOrDefault(kernel, List.of())));
            }
        }
        if (devices != null) {
            deviceMatrix(data.putObject("devices"), kernels, devices);
        }
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // inside <script>, "</" could end the element early; "<\/" is the same JSON string
        json = json.replace("</", "<\\/");
        return fill(resource("report.html"), java.util.Map.of(
                "TITLE", escape(title),
                "CHARTJS_VERSION", resource("chart.js-VERSION").strip(),
                "CHARTJS", resource("chart.umd.min.js").replace("</script", "<\\/script"),
                "DATA", json));
    }

    /**
     * The support matrix: {@code flavours} in the kernels' order, and per device (in the summary's
     * order) one cell per flavour that supports it.
     */
    private static void deviceMatrix(ObjectNode m, List<Row> kernels, List<Row> summary) {
        ArrayNode flavours = m.putArray("flavours");
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (Row r : kernels) {
            seen.add(r.<String>getAs("flavour"));
        }
        seen.forEach(flavours::add);
        ArrayNode rows = m.putArray("rows");
        ObjectNode row = null;
        String current = null;
        for (Row r : summary) {
            String modalias = r.getAs("modalias");
            if (!modalias.equals(current)) {
                current = modalias;
                row = rows.addObject().put("modalias", modalias);
                row.putObject("cells");
            }
            if (Devices.SUPPORTED.equals(r.getAs("status"))) {
                ObjectNode cell = ((ObjectNode) row.get("cells")).putObject(r.<String>getAs("flavour"));
                cell.put("first", r.<String>getAs("first")).put("last", r.<String>getAs("last"))
                        .put("kernels", r.<Long>getAs("kernels"));
                strings(cell.putArray("gaps"), r.getList(r.fieldIndex("gaps")));
                strings(cell.putArray("modules"), r.getList(r.fieldIndex("modules")));
                strings(cell.putArray("firmware"), r.getList(r.fieldIndex("firmware")));
            }
        }
    }

    private static void strings(ArrayNode a, List<Object> values) {
        for (Object v : values) {
            a.add(String.valueOf(v));
        }
    }

    /** Replaces each {@code @NAME@} of the template in one pass, so no inserted text is scanned again. */
    static String fill(String template, java.util.Map<String, String> values) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("@([A-Z_]+)@").matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(b);
        return b.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String resource(String name) {
        try (InputStream in = Report.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name + " (run jobs/update-chartjs)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
