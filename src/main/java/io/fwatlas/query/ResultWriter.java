package io.fwatlas.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import scala.collection.Seq;

/**
 * Prints collected query results, whole: never Spark's {@code show()}, which cuts values at 20
 * characters. Arrays print as {@code a, b} in the text formats and as JSON arrays in JSON.
 */
public final class ResultWriter {
    /** table: aligned columns for a terminal; tsv: tab-separated for pipes; csv: RFC 4180; json: one array. */
    public enum Format { TABLE, TSV, CSV, JSON }

    /**
     * Field metadata naming how the text formats join an array column's items (default ", "):
     * lists of names that other tools split on whitespace use one space.
     */
    public static final String SEPARATOR = "fwatlas.separator";

    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private ResultWriter() {
    }

    /** Collects the rows and prints them; returns how many there were. */
    public static int write(Dataset<Row> result, Format format, PrintWriter out) {
        List<Row> rows = result.collectAsList();
        write(result.schema().fields(), rows, format, out);
        return rows.size();
    }

    public static void write(StructField[] fields, List<Row> rows, Format format, PrintWriter out) {
        switch (format) {
            case TABLE -> table(fields, rows, out);
            case TSV -> tsv(fields, rows, out);
            case CSV -> csv(fields, rows, out);
            case JSON -> json(fields, rows, out);
            default -> throw new IllegalArgumentException(format.toString());
        }
        out.flush();
    }

    /** Text of one value: null is empty, arrays are joined with ", ". */
    static String text(Object v) {
        return text(v, ", ");
    }

    /** Text of one value: null is empty, arrays are joined with {@code separator}. */
    static String text(Object v, String separator) {
        if (v == null) {
            return "";
        }
        if (v instanceof Seq<?> s) {
            List<String> parts = new ArrayList<>();
            s.foreach(x -> parts.add(text(x, separator)));
            return String.join(separator, parts);
        }
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(text(x, separator)));
            return String.join(separator, parts);
        }
        return v.toString();
    }

    /** The separator of each field's array items in the text formats. */
    private static String[] separators(StructField[] fields) {
        String[] s = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            s[i] = fields[i].metadata().contains(SEPARATOR) ? fields[i].metadata().getString(SEPARATOR) : ", ";
        }
        return s;
    }

    private static void table(StructField[] fields, List<Row> rows, PrintWriter out) {
        int n = fields.length;
        String[] sep = separators(fields);
        int[] width = new int[n];
        List<String[]> cells = new ArrayList<>();
        String[] header = new String[n];
        for (int i = 0; i < n; i++) {
            header[i] = fields[i].name();
            width[i] = header[i].length();
        }
        for (Row r : rows) {
            String[] c = new String[n];
            for (int i = 0; i < n; i++) {
                // a newline inside a value would break the alignment; show it escaped
                c[i] = text(r.get(i), sep[i]).replace("\n", "\\n").replace("\t", "\\t");
                width[i] = Math.max(width[i], c[i].length());
            }
            cells.add(c);
        }
        boolean[] right = new boolean[n];
        for (int i = 0; i < n; i++) {
            right[i] = fields[i].dataType() instanceof NumericType;
        }
        line(header, width, right, out);
        String[] rule = new String[n];
        for (int i = 0; i < n; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(rule, width, new boolean[n], out);
        for (String[] c : cells) {
            line(c, width, right, out);
        }
    }

    private static void line(String[] cells, int[] width, boolean[] right, PrintWriter out) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            if (i > 0) {
                b.append("  ");
            }
            b.append(right[i] ? pad + cells[i] : cells[i] + pad);
        }
        out.println(b.toString().stripTrailing());
    }

    private static void tsv(StructField[] fields, List<Row> rows, PrintWriter out) {
        List<String> h = new ArrayList<>();
        for (StructField f : fields) {
            h.add(f.name());
        }
        out.println(String.join("\t", h));
        String[] sep = separators(fields);
        for (Row r : rows) {
            List<String> c = new ArrayList<>();
            for (int i = 0; i < fields.length; i++) {
                c.add(text(r.get(i), sep[i]).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                        .replace("\r", "\\r"));
            }
            out.println(String.join("\t", c));
        }
    }

    /** RFC 4180: one header record, fields quoted only when they hold a comma, quote, CR or LF, CRLF endings. */
    private static void csv(StructField[] fields, List<Row> rows, PrintWriter out) {
        try {
            CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180);
            List<String> h = new ArrayList<>();
            for (StructField f : fields) {
                h.add(f.name());
            }
            p.printRecord(h);
            String[] sep = separators(fields);
            for (Row r : rows) {
                List<String> c = new ArrayList<>();
                for (int i = 0; i < fields.length; i++) {
                    c.add(text(r.get(i), sep[i]));
                }
                p.printRecord(c);
            }
            p.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void json(StructField[] fields, List<Row> rows, PrintWriter out) {
        try {
            JsonGenerator g = JSON.getFactory().createGenerator(out);
            g.writeStartArray();
            for (Row r : rows) {
                out.flush();
                g.writeRaw('\n');
                g.writeStartObject();
                for (int i = 0; i < fields.length; i++) {
                    g.writeFieldName(fields[i].name());
                    value(g, r.get(i), fields[i].dataType());
                }
                g.writeEndObject();
            }
            if (!rows.isEmpty()) {
                g.writeRaw('\n');
            }
            g.writeEndArray();
            g.writeRaw('\n');
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void value(JsonGenerator g, Object v, DataType type) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Seq<?> s) {
            g.writeStartArray();
            List<Object> items = new ArrayList<>();
            s.foreach(items::add);
            for (Object x : items) {
                value(g, x, null);
            }
            g.writeEndArray();
        } else if (v instanceof Number num) {
            g.writeNumber(num.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }
}
