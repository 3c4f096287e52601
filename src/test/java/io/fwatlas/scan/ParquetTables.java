package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/** Reads the tables with parquet-hadoop's example (Group) API only: what a non-Spark consumer sees. */
final class ParquetTables {
    /**
     * The documented file schemas, as "column: PRIMITIVE (logical) repetition". The partition
     * column kernel is not in the files; it is the directory name kernel=RELEASE.
     */
    static final Map<String, List<String>> SCHEMAS = Map.of(
            "firmware", List.of(
                    "module: BINARY (STRING) OPTIONAL",
                    "firmware: BINARY (STRING) OPTIONAL",
                    "builtin: BOOLEAN REQUIRED",
                    "path: BINARY (STRING) REQUIRED",
                    "source: BINARY (STRING) REQUIRED"),
            "modinfo", List.of(
                    "module: BINARY (STRING) OPTIONAL",
                    "path: BINARY (STRING) REQUIRED",
                    "builtin: BOOLEAN REQUIRED",
                    "ordinal: INT32 OPTIONAL",
                    "key: BINARY (STRING) OPTIONAL",
                    "value: BINARY (STRING) OPTIONAL",
                    "source: BINARY (STRING) REQUIRED"),
            "modules", List.of(
                    "module: BINARY (STRING) OPTIONAL",
                    "path: BINARY (STRING) REQUIRED",
                    "builtin: BOOLEAN REQUIRED",
                    "size: INT64 OPTIONAL",
                    "compression: BINARY (STRING) OPTIONAL",
                    "elf_class: INT32 OPTIONAL",
                    "byte_order: BINARY (STRING) OPTIONAL",
                    "machine: BINARY (STRING) OPTIONAL",
                    "vermagic: BINARY (STRING) OPTIONAL",
                    "vermagic_release: BINARY (STRING) OPTIONAL",
                    "signed: BOOLEAN OPTIONAL",
                    "status: BINARY (STRING) OPTIONAL",
                    "error_kind: BINARY (STRING) OPTIONAL",
                    "error: BINARY (STRING) OPTIONAL",
                    "source: BINARY (STRING) REQUIRED"));

    private ParquetTables() {
    }

    /** One Parquet file: its partition's kernel, its schema description, its rows in file order. */
    record FileRows(String kernel, String file, List<String> schema, List<List<Object>> rows) {
    }

    /** Every data file of a table, partitions and files in name order. */
    static List<FileRows> readInFileOrder(Path table) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(table)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        Configuration conf = new Configuration();
        List<FileRows> out = new ArrayList<>();
        for (Path f : files) {
            String dir = f.getParent().getFileName().toString();
            assertTrue(dir.startsWith("kernel="), dir);
            org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(f.toUri());
            MessageType schema;
            try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(hp, conf))) {
                schema = r.getFooter().getFileMetaData().getSchema();
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), hp).withConf(conf).build()) {
                for (Group g = r.read(); g != null; g = r.read()) {
                    rows.add(values(g, schema));
                }
            }
            // File names carry a per-write UUID, so they are left out of the comparison.
            out.add(new FileRows(dir.substring("kernel=".length()), f.getParent().getFileName().toString(),
                    describe(schema), rows));
        }
        return out;
    }

    static List<String> describe(MessageType schema) {
        List<String> out = new ArrayList<>();
        for (Type t : schema.getFields()) {
            PrimitiveType p = t.asPrimitiveType();
            String logical = p.getLogicalTypeAnnotation() == null ? "" : " (" + p.getLogicalTypeAnnotation() + ")";
            out.add(t.getName() + ": " + p.getPrimitiveTypeName() + logical + " " + t.getRepetition());
        }
        return out;
    }

    private static List<Object> values(Group g, MessageType schema) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
            if (g.getFieldRepetitionCount(i) == 0) {
                row.add(null);
                continue;
            }
            switch (schema.getType(i).asPrimitiveType().getPrimitiveTypeName()) {
                case BOOLEAN:
                    row.add(g.getBoolean(i, 0));
                    break;
                case INT32:
                    row.add(g.getInteger(i, 0));
                    break;
                case INT64:
                    row.add(g.getLong(i, 0));
                    break;
                default:
                    row.add(g.getString(i, 0));
            }
        }
        return row;
    }

    /** Rows of a firmware or modinfo file are in (path, module) order, modinfo also by ordinal. */
    static void assertSortedByPath(FileRows f, String table) {
        int pathAt = table.equals("firmware") ? 3 : 1;
        List<Object> prev = null;
        for (List<Object> row : f.rows()) {
            if (prev != null) {
                int c = ((String) prev.get(pathAt)).compareTo((String) row.get(pathAt));
                if (c == 0) {
                    c = String.valueOf(prev.get(0)).compareTo(String.valueOf(row.get(0)));
                }
                if (c == 0 && table.equals("modinfo")) {
                    c = Integer.compare((Integer) prev.get(3), (Integer) row.get(3)) < 0 ? -1 : 1;
                }
                assertTrue(c <= 0, table + " rows out of order in " + f.file() + ": " + prev + " then " + row);
            }
            prev = row;
        }
    }
}
