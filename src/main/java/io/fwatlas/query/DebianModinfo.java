package io.fwatlas.query;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import io.fwatlas.scan.Tables;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What Debian firmware-nonfree's {@code debian/bin/update-modinfo KERNELDIR...} writes to
 * {@code debian/modinfo.json}, from the tables. Its rules: the files under {@code KERNELDIR/kernel}
 * named {@code *.ko} or {@code *.ko.xz}, keyed by file name without that suffix (dashes kept);
 * only files with firmware; of their aliases only those holding ':'; per key the union over
 * files and kernels; {@code json.dump(indent=2, sort_keys=True)} with sets as sorted lists.
 */
public final class DebianModinfo {
    private DebianModinfo() {
    }

    /** One key of the JSON: the union of its files' aliases and firmware. */
    public record Entry(Set<String> alias, Set<String> firmware) {
    }

    /** The JSON text, and the files update-modinfo would read that the table holds as errors ({@code kernel/path}). */
    public record Export(String json, List<String> unreadable) {
    }

    /** The export for these kernels of the table; an unknown kernel is refused (exit 2). */
    public static Export export(AtlasTables t, List<String> kernels) {
        Queries.requireKernels(Queries.kernels(t.firmware(), t.modules()), kernels);
        Map<String, Entry> entries = new TreeMap<>();
        for (Row r : files(t.modinfo(), kernels).collectAsList()) {
            add(entries, r.getString(0), r.getList(1), r.getList(2));
        }
        List<String> unreadable = new ArrayList<>();
        for (Row r : unreadable(t.modules(), kernels).collectAsList()) {
            unreadable.add(r.getString(0) + "/" + r.getString(1));
        }
        return new Export(json(entries), unreadable);
    }

    /**
     * (path, firmware, alias): per module file that update-modinfo reads and that has firmware
     * strings, its firmware and alias values in section order, as {@code modinfo -F} prints them.
     */
    static Dataset<Row> files(Dataset<Row> modinfo, List<String> kernels) {
        return modinfo.filter(col("kernel").isin(kernels.toArray()))
                .filter(seen().and(col("key").isin("firmware", "alias")))
                .groupBy("kernel", "source", "path")
                .agg(values("firmware").as("firmware"), values("alias").as("alias"))
                .filter(size(col("firmware")).gt(0))
                .select("path", "firmware", "alias");
    }

    /** (kernel, path) of the module files update-modinfo reads that could not be read here. */
    static Dataset<Row> unreadable(Dataset<Row> modules, List<String> kernels) {
        return modules.filter(col("kernel").isin(kernels.toArray()))
                .filter(seen().and(col("status").equalTo(Tables.STATUS_ERROR)))
                .select("kernel", "path").distinct().orderBy("kernel", "path");
    }

    /** The module files update-modinfo walks: below kernel/, named *.ko or *.ko.xz. */
    private static Column seen() {
        return not(col("builtin")).and(col("path").startsWith("kernel/"))
                .and(col("path").endsWith(".ko").or(col("path").endsWith(".ko.xz")));
    }

    private static Column values(String key) {
        Column kv = when(col("key").equalTo(key), struct(col("ordinal"), col("value")));
        return transform(array_sort(collect_list(kv)), s -> s.getField("value"));
    }

    /** Adds one file's strings to its key's entry, as update-modinfo does. */
    static void add(Map<String, Entry> entries, String path, List<String> firmwareValues, List<String> aliasValues) {
        Set<String> firmware = new HashSet<>(lines(firmwareValues));
        if (firmware.isEmpty()) {
            return;
        }
        Set<String> alias = new HashSet<>();
        for (String a : lines(aliasValues)) {
            if (a.indexOf(':') >= 0) {
                alias.add(a);
            }
        }
        Entry e = entries.computeIfAbsent(key(path), k -> new Entry(new HashSet<>(), new HashSet<>()));
        e.alias().addAll(alias);
        e.firmware().addAll(firmware);
    }

    /** The file name without .ko.xz or .ko. */
    static String key(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.substring(0, name.length() - (name.endsWith(".ko.xz") ? 6 : 3));
    }

    /**
     * The lines update-modinfo gets from {@code modinfo -F}: each value followed by a newline,
     * read as Python text (universal newlines: {@code \r\n} and {@code \r} become {@code \n}),
     * nothing for no output, else the text without its trailing newlines, split at newlines.
     */
    static List<String> lines(List<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            b.append(v).append('\n');
        }
        String s = b.toString().replace("\r\n", "\n").replace('\r', '\n');
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\n') {
            end--;
        }
        return List.of(s.substring(0, end).split("\n", -1));
    }

    /**
     * Python's {@code json.dump(entries, indent=2, sort_keys=True)} with each set as a sorted
     * list: keys and lists in code point order, two-space indent, {@code ": "} after keys, no
     * newline at the end, and ensure_ascii escapes, so the text is ASCII.
     */
    public static String json(Map<String, Entry> entries) {
        if (entries.isEmpty()) {
            return "{}";
        }
        StringBuilder b = new StringBuilder("{\n");
        List<String> keys = sorted(entries.keySet());
        for (int i = 0; i < keys.size(); i++) {
            Entry e = entries.get(keys.get(i));
            b.append("  ");
            string(b, keys.get(i));
            b.append(": {\n    \"alias\": ");
            list(b, sorted(e.alias()));
            b.append(",\n    \"firmware\": ");
            list(b, sorted(e.firmware()));
            b.append("\n  }").append(i + 1 < keys.size() ? ",\n" : "\n");
        }
        return b.append('}').toString();
    }

    private static void list(StringBuilder b, List<String> items) {
        if (items.isEmpty()) {
            b.append("[]");
            return;
        }
        b.append("[\n");
        for (int i = 0; i < items.size(); i++) {
            b.append("      ");
            string(b, items.get(i));
            b.append(i + 1 < items.size() ? ",\n" : "\n");
        }
        b.append("    ]");
    }

    /** A JSON string as Python's ensure_ascii writes it: non-ASCII as lowercase {@code \\uXXXX}, per UTF-16 unit. */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        b.append(c);
                    } else {
                        b.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        b.append('"');
    }

    /** Sorted as Python sorts str: by code point (Java's String order differs above U+FFFF). */
    static List<String> sorted(Collection<String> items) {
        List<String> l = new ArrayList<>(items);
        l.sort(DebianModinfo::compareCodePoints);
        return l;
    }

    /** Python's str order: by code point (Java's String order differs above U+FFFF). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
