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
 * error, and the x position of each kernel's point, in {@code data-fwatlas-*} attributes of {@code <body>},
 * so a headless browser can check it.
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

    /**
     * What the page says of the resolved table: what it was resolved against ({@code info}, null
     * for a table resolved before that was recorded) and the kernels it is older than or lacks.
     */
    public record Resolution(ResolvedInfo info, List<String> stale) {
    }

    /**
     * The page. {@code kernels} is {@link Queries#kernels}'s result (release order), {@code
     * missing} and {@code sources} ({@link #sources}) may be null (no resolved table), {@code
     * devices} is {@link Devices#summary}'s result or null (no device list). Every table is HTML
     * in the page (a browser without scripts shows them); the charts are drawn by Chart.js, one line
     * per flavour along the kernels' versions, so that kernels of one version line up.
     */
    public static String html(String title, List<Row> kernels, List<Row> changes, List<Row> missing,
            List<Row> sources, List<Row> devices, Resolution resolution) {
        ObjectNode data = JSON.createObjectNode();
        data.put("title", title);
        chartData(data, kernels);
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // inside <script>, "</" could end the element early; "<\/" is the same JSON string
        json = json.replace("</", "<\\/");
        List<List<Object>> changeRows = new ArrayList<>();
        for (Row r : changes) {
            changeRows.add(List.of(r.<String>getAs("flavour"), r.<String>getAs("from"), r.<String>getAs("to"),
                    r.<Long>getAs("added"), r.<Long>getAs("removed")));
        }
        List<List<Object>> kernelRows = new ArrayList<>();
        for (Row r : kernels) {
            kernelRows.add(List.of(r.<String>getAs("kernel"), r.<String>getAs("flavour"), r.<Long>getAs("modules"),
                    r.<Long>getAs("modules_with_firmware"), r.<Long>getAs("distinct_firmware"),
                    r.<Long>getAs("errors")));
        }
        Matrix matrix = devices == null ? null : deviceMatrix(kernels, devices);
        String missingHtml;
        if (missing == null) {
            missingHtml = "<p>No resolved table: run fwatlas resolve first.</p>";
        } else {
            List<List<Object>> rows = new ArrayList<>();
            for (Row r : missing) {
                rows.add(List.of(r.<String>getAs("kernel"), r.<Long>getAs("not_found")));
            }
            missingHtml = resolutionHtml(resolution) + table(List.of("kernel", "firmware not found"), rows);
        }
        return fill(resource("report.html"), java.util.Map.of(
                "TITLE", escape(title),
                "CHARTJS_VERSION", resource("chart.js-VERSION").strip(),
                "CHARTJS", resource("chart.umd.min.js").replace("</script", "<\\/script"),
                "DATA", json,
                "CHANGES", table(List.of("flavour", "from", "to", "firmware added", "firmware removed"), changeRows),
                "MISSING", missingHtml,
                "PACKAGES", packagesHtml(kernels, missing, sources),
                "DEVICES", matrix == null ? "" : matrix.html(),
                "DEVICE_CELLS", String.valueOf(matrix == null ? 0 : matrix.cells()),
                "KERNELS", table(List.of("kernel", "flavour", "modules", "modules with firmware", "distinct firmware",
                        "errors"), kernelRows)));
    }

    /**
     * The charts' data: {@code versions}, every kernel's version (its release without the flavour)
     * in release order, the x axis; {@code series}, per flavour in the kernels' order, its kernels'
     * points at their versions.
     */
    private static void chartData(ObjectNode data, List<Row> kernels) {
        java.util.TreeSet<String> versions = new java.util.TreeSet<>(KernelRelease::compareVersions);
        java.util.Map<String, ArrayNode> series = new java.util.LinkedHashMap<>();
        ArrayNode all = data.putArray("series");
        for (Row r : kernels) {
            String flavour = r.getAs("flavour");
            KernelRelease k = KernelRelease.parse(r.getAs("kernel"));
            versions.add(k.version());
            ArrayNode points = series.computeIfAbsent(flavour, f -> {
                ObjectNode s = all.addObject().put("flavour", f);
                return s.putArray("points");
            });
            points.addObject().put("kernel", k.release()).put("x", k.version())
                    .put("distinct_firmware", r.<Long>getAs("distinct_firmware"))
                    .put("modules_with_firmware", r.<Long>getAs("modules_with_firmware"));
        }
        versions.forEach(data.putArray("versions")::add);
    }

    /** The line under "Firmware not found": what resolved was made from, and a warning when it is stale. */
    private static String resolutionHtml(Resolution r) {
        if (r == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        if (!r.stale().isEmpty()) {
            b.append("<p class=\"stale\" id=\"stale\"><b>Out of date:</b> the resolved table is older than ")
                    .append(io.fwatlas.scan.Plural.of(r.stale().size(), "kernel"))
                    .append(" of this table (").append(escape(String.join(", ", r.stale().subList(0,
                            Math.min(10, r.stale().size())))))
                    .append(r.stale().size() > 10 ? ", \u2026" : "")
                    .append("): their firmware is not counted here. Run fwatlas resolve again.</p>");
        }
        if (r.info() == null) {
            b.append("<p class=\"resolved\">The resolved table does not say what it was resolved against (it predates that record).</p>");
        } else {
            b.append("<p class=\"resolved\">Resolved ").append(escape(r.info().at().truncatedTo(
                    java.time.temporal.ChronoUnit.SECONDS).toString())).append(" against ")
                    .append(ResolvedInfo.DIRECTORIES.equals(r.info().against()) ? "the firmware directories "
                            : "the firmware packages and directories scanned into the table: ")
                    .append(escape(String.join(", ", r.info().sources()))).append(".</p>");
        }
        return b.toString();
    }

    /** Per kernel: names missing from every package, and the packages that provide some (after resolve against packages). */
    private static String packagesHtml(List<Row> kernels, List<Row> missing, List<Row> sources) {
        if (sources == null || missing == null) {
            return "";
        }
        java.util.Map<String, List<String>> byKernel = new java.util.HashMap<>();
        for (Row r : sources) {
            byKernel.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(r.getString(1) + " (" + r.getLong(2) + ")");
        }
        java.util.Map<String, Long> notFound = new java.util.HashMap<>();
        missing.forEach(r -> notFound.put(r.getAs("kernel"), r.<Long>getAs("not_found")));
        List<List<Object>> rows = new ArrayList<>();
        for (Row r : kernels) {
            String kernel = r.getAs("kernel");
            rows.add(List.of(kernel, notFound.getOrDefault(kernel, 0L),
                    String.join(", ", byKernel.getOrDefault(kernel, List.of()))));
        }
        return "<section id=\"packages-section\">\n<h2>Where each kernel's firmware comes from</h2>\n"
                + "<p>Per kernel: the firmware names that no scanned package or directory provides (as dracut looks "
                + "them up), and each package that provides some of its names, with how many.</p>\n"
                + table(List.of("kernel", "missing from every package", "provided by (names)"), rows) + "\n</section>";
    }

    /** An HTML table: text escaped, numbers right-aligned; "None." when there are no rows. */
    static String table(List<String> headers, List<List<Object>> rows) {
        if (rows.isEmpty()) {
            return "<p>None.</p>";
        }
        StringBuilder b = new StringBuilder("<table><tbody><tr>");
        headers.forEach(h -> b.append("<th>").append(escape(h)).append("</th>"));
        b.append("</tr>");
        for (List<Object> r : rows) {
            b.append("\n<tr>");
            for (Object v : r) {
                b.append(v instanceof Number ? "<td class=\"n\">" : "<td>").append(escape(String.valueOf(v)))
                        .append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /**
     * The support matrix: one column per flavour in the kernels' order, one row per device (in the
     * summary's order); a cell names the first (and last) supporting kernel, the modules and the
     * firmware they ask for, or is a dash.
     */
    private static Matrix deviceMatrix(List<Row> kernels, List<Row> summary) {
        java.util.Set<String> flavours = new java.util.LinkedHashSet<>();
        for (Row r : kernels) {
            flavours.add(r.<String>getAs("flavour"));
        }
        java.util.Map<String, java.util.Map<String, Row>> cells = new java.util.LinkedHashMap<>();
        for (Row r : summary) {
            java.util.Map<String, Row> row = cells.computeIfAbsent(r.<String>getAs("modalias"),
                    m -> new java.util.HashMap<>());
            if (Devices.SUPPORTED.equals(r.getAs("status"))) {
                row.put(r.<String>getAs("flavour"), r);
            }
        }
        StringBuilder b = new StringBuilder("<section id=\"devices-section\">\n<h2>Device support</h2>\n"
                + "<p>Per device and kernel series: the first kernel whose modules match it (as kmod matches "
                + "aliases), the modules and the firmware they ask for.</p>\n<table><tbody><tr><th>device</th>");
        flavours.forEach(f -> b.append("<th>").append(escape(f.isEmpty() ? "(no flavour)" : f)).append("</th>"));
        b.append("</tr>");
        for (var e : cells.entrySet()) {
            b.append("\n<tr><td class=\"device\">").append(escape(e.getKey())).append("</td>");
            for (String f : flavours) {
                Row c = e.getValue().get(f);
                if (c == null) {
                    b.append("<td class=\"unsupported\">\u2014</td>");
                    continue;
                }
                String first = c.getAs("first");
                String last = c.getAs("last");
                List<String> gaps = strings(c.getList(c.fieldIndex("gaps")));
                List<String> firmware = strings(c.getList(c.fieldIndex("firmware")));
                b.append("<td class=\"supported\"><b>").append(escape(first)).append("</b>")
                        .append(escape(last.equals(first) ? " only" : " \u2026 " + last)).append("<br>")
                        .append(escape(String.join(" ", strings(c.getList(c.fieldIndex("modules"))))));
                if (!gaps.isEmpty()) {
                    b.append("<br>").append(escape("not in " + String.join(" ", gaps)));
                }
                b.append("<br><small title=\"").append(escape(String.join("\n", firmware))).append("\">")
                        .append(escape(firmware.isEmpty() ? "no firmware" : String.join(" ",
                                firmware.subList(0, Math.min(3, firmware.size())))
                                + (firmware.size() > 3 ? " and " + (firmware.size() - 3) + " more" : "")))
                        .append("</small></td>");
            }
            b.append("</tr>");
        }
        return new Matrix(b.append("</tbody></table>\n</section>").toString(), (long) cells.size() * flavours.size());
    }

    /** The device section, and how many (device, flavour) cells it has. */
    private record Matrix(String html, long cells) {
    }

    private static List<String> strings(List<Object> values) {
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            out.add(String.valueOf(v));
        }
        return out;
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
