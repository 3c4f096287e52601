package io.fwatlas.scan;

import io.fwatlas.module.ModinfoEntry;
import io.fwatlas.module.ModuleError;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleResult;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * The output tables: their Parquet file schemas and the rows one reader result gives each.
 * The three module tables are partitioned by {@code kernel}, which lives in the directory name
 * ({@code kernel=RELEASE}), not in the files; the {@link #INPUT_TABLES} of firmware packages are not. Every row names its {@code source}: the input
 * (tree root or package file) it was read from. Rows keep the order of the read: files in path
 * order within a bin, a module's strings in section order.
 */
public final class Tables {
    public static final String FIRMWARE = "firmware";
    public static final String MODINFO = "modinfo";
    public static final String MODULES = "modules";
    public static final List<String> NAMES = List.of(FIRMWARE, MODINFO, MODULES);
    public static final String FIRMWARE_FILES = "firmware_files";
    public static final String FIRMWARE_PACKAGES = "firmware_packages";
    /**
     * The tables of firmware packages and directories: not partitioned; each input has one file in
     * each ({@link #inputFile}), replaced whole when the input is read again.
     */
    public static final List<String> INPUT_TABLES = List.of(FIRMWARE_FILES, FIRMWARE_PACKAGES);
    public static final String PARTITION_COLUMN = "kernel";

    public static final String STATUS_OK = "ok";
    public static final String STATUS_ERROR = "error";
    /** error_kind of a string in modules.builtin.modinfo that is not {@code module.key=value}. */
    public static final String BAD_BUILTIN_STRING = "bad_builtin_string";

    /** One row per {@code firmware=} string, duplicates kept, in section order within a module. */
    static final MessageType FIRMWARE_SCHEMA = Types.buildMessage()
            .addField(string("module", Repetition.OPTIONAL))
            .addField(string("firmware", Repetition.OPTIONAL))
            .addField(Types.primitive(PrimitiveTypeName.BOOLEAN, Repetition.REQUIRED).named("builtin"))
            .addField(string("path", Repetition.REQUIRED))
            .addField(string("source", Repetition.REQUIRED))
            .named("firmware");

    /** Every {@code .modinfo} string; ordinal is its index within its module. */
    static final MessageType MODINFO_SCHEMA = Types.buildMessage()
            .addField(string("module", Repetition.OPTIONAL))
            .addField(string("path", Repetition.REQUIRED))
            .addField(Types.primitive(PrimitiveTypeName.BOOLEAN, Repetition.REQUIRED).named("builtin"))
            .addField(Types.primitive(PrimitiveTypeName.INT32, Repetition.OPTIONAL).named("ordinal"))
            .addField(string("key", Repetition.OPTIONAL))
            .addField(string("value", Repetition.OPTIONAL))
            .addField(string("source", Repetition.REQUIRED))
            .named("modinfo");

    /** One row per module file and per built-in module, failed ones included. */
    static final MessageType MODULES_SCHEMA = Types.buildMessage()
            .addField(string("module", Repetition.OPTIONAL))
            .addField(string("path", Repetition.REQUIRED))
            .addField(Types.primitive(PrimitiveTypeName.BOOLEAN, Repetition.REQUIRED).named("builtin"))
            .addField(Types.primitive(PrimitiveTypeName.INT64, Repetition.OPTIONAL).named("size"))
            .addField(string("compression", Repetition.OPTIONAL))
            .addField(Types.primitive(PrimitiveTypeName.INT32, Repetition.OPTIONAL).named("elf_class"))
            .addField(string("byte_order", Repetition.OPTIONAL))
            .addField(string("machine", Repetition.OPTIONAL))
            .addField(string("vermagic", Repetition.OPTIONAL))
            .addField(string("vermagic_release", Repetition.OPTIONAL))
            .addField(Types.primitive(PrimitiveTypeName.BOOLEAN, Repetition.OPTIONAL).named("signed"))
            .addField(string("status", Repetition.OPTIONAL))
            .addField(string("error_kind", Repetition.OPTIONAL))
            .addField(string("error", Repetition.OPTIONAL))
            .addField(string("source", Repetition.REQUIRED))
            .named("modules");

    /** One row per file or link below a firmware root, and one per entry or package that could not be read. */
    static final MessageType FIRMWARE_FILES_SCHEMA = Types.buildMessage()
            .addField(string("package", Repetition.OPTIONAL))
            .addField(string("version", Repetition.OPTIONAL))
            .addField(string("source", Repetition.REQUIRED))
            .addField(string("path", Repetition.OPTIONAL))
            .addField(string("name", Repetition.OPTIONAL))
            .addField(string("compression", Repetition.OPTIONAL))
            .addField(string("kind", Repetition.OPTIONAL))
            .addField(string("target", Repetition.OPTIONAL))
            .addField(Types.primitive(PrimitiveTypeName.INT64, Repetition.OPTIONAL).named("size"))
            .addField(string("sha256", Repetition.OPTIONAL))
            .addField(string("driver", Repetition.OPTIONAL))
            .addField(string("license", Repetition.OPTIONAL))
            .addField(string("status", Repetition.REQUIRED))
            .addField(string("error_kind", Repetition.OPTIONAL))
            .addField(string("error", Repetition.OPTIONAL))
            .named("firmware_files");

    /** One row per firmware package or directory: what it says of itself and what it holds. */
    static final MessageType FIRMWARE_PACKAGES_SCHEMA = Types.buildMessage()
            .addField(string("package", Repetition.OPTIONAL))
            .addField(string("version", Repetition.OPTIONAL))
            .addField(string("source", Repetition.REQUIRED))
            .addField(string("format", Repetition.OPTIONAL))
            .addField(string("summary", Repetition.OPTIONAL))
            .addField(string("description", Repetition.OPTIONAL))
            .addField(string("homepage", Repetition.OPTIONAL))
            .addField(Types.primitive(PrimitiveTypeName.INT64, Repetition.REQUIRED).named("files"))
            .addField(Types.primitive(PrimitiveTypeName.INT64, Repetition.REQUIRED).named("links"))
            .addField(string("status", Repetition.REQUIRED))
            .addField(string("error_kind", Repetition.OPTIONAL))
            .addField(string("error", Repetition.OPTIONAL))
            .named("firmware_packages");

    private Tables() {
    }

    /** The file name of an input's rows in each of {@link #INPUT_TABLES}: a digest of its location. */
    public static String inputFile(String location) {
        byte[] d = ReleaseManifest.sha256().digest(location.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "input-" + java.util.HexFormat.of().formatHex(d, 0, 16) + ".parquet";
    }

    private static org.apache.parquet.schema.PrimitiveType string(String name, Repetition r) {
        return Types.primitive(PrimitiveTypeName.BINARY, r).as(LogicalTypeAnnotation.stringType()).named(name);
    }

    public static MessageType schema(String table) {
        return switch (table) {
            case FIRMWARE -> FIRMWARE_SCHEMA;
            case MODINFO -> MODINFO_SCHEMA;
            case MODULES -> MODULES_SCHEMA;
            case FIRMWARE_FILES -> FIRMWARE_FILES_SCHEMA;
            case FIRMWARE_PACKAGES -> FIRMWARE_PACKAGES_SCHEMA;
            default -> throw new IllegalArgumentException("no table " + table);
        };
    }

    /**
     * The columns of {@code table} as Spark reads the table: the partition column {@code kernel}
     * first for the partitioned tables, then the file schema's columns, every one nullable.
     */
    public static org.apache.spark.sql.types.StructType sparkSchema(String table) {
        List<org.apache.spark.sql.types.StructField> fields = new java.util.ArrayList<>();
        if (NAMES.contains(table)) {
            fields.add(org.apache.spark.sql.types.DataTypes.createStructField(PARTITION_COLUMN,
                    org.apache.spark.sql.types.DataTypes.StringType, true));
        }
        for (org.apache.parquet.schema.Type t : schema(table).getFields()) {
            PrimitiveTypeName p = t.asPrimitiveType().getPrimitiveTypeName();
            org.apache.spark.sql.types.DataType type = switch (p) {
                case BINARY -> org.apache.spark.sql.types.DataTypes.StringType;
                case INT64 -> org.apache.spark.sql.types.DataTypes.LongType;
                case INT32 -> org.apache.spark.sql.types.DataTypes.IntegerType;
                case BOOLEAN -> org.apache.spark.sql.types.DataTypes.BooleanType;
                default -> throw new IllegalStateException("no Spark type for " + p + " of " + table);
            };
            fields.add(org.apache.spark.sql.types.DataTypes.createStructField(t.getName(), type, true));
        }
        return org.apache.spark.sql.types.DataTypes.createStructType(fields);
    }

    /** Receives rows table by table, in schema order. */
    interface Sink {
        void row(String table, Object[] row);
    }

    /** The rows of one reader result: its module row, then its strings and firmware in section order. */
    static void rows(ModuleResult r, String source, Sink out) {
        if (r instanceof ModuleInfo m) {
            boolean b = m.builtin();
            out.row(MODULES, new Object[] {m.name(), m.path(), b,
                b ? null : m.size(),
                b ? null : m.compression().label(),
                b ? null : m.elfClass(),
                m.byteOrder(), m.machine(), m.vermagic(), m.vermagicRelease(),
                b ? null : m.signed(),
                STATUS_OK, null, null, source});
            List<ModinfoEntry> es = m.entries();
            for (int i = 0; i < es.size(); i++) {
                ModinfoEntry e = es.get(i);
                out.row(MODINFO, new Object[] {m.name(), m.path(), b, i, e.key(), e.value(), source});
                if ("firmware".equals(e.key())) {
                    out.row(FIRMWARE, new Object[] {m.name(), e.value(), b, m.path(), source});
                }
            }
        } else {
            ModuleError e = (ModuleError) r;
            error(e.name(), e.path(), e.builtin(), e.builtin() ? null : e.size(),
                    e.compression() == null ? null : e.compression().label(), e.kind().label(), e.message(), source,
                    out);
        }
    }

    /** A failed module file, built-in module or listing: one modules row with status error. */
    static void error(String module, String path, boolean builtin, Long size, String compression, String errorKind,
                      String message, String source, Sink out) {
        out.row(MODULES, new Object[] {module, path, builtin, size, compression, null, null, null, null, null,
            null, STATUS_ERROR, errorKind, message, source});
    }
}
