package io.fwatlas.scan;

import io.fwatlas.module.ModinfoEntry;
import io.fwatlas.module.ModuleError;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one row type the read pass emits: a {@code module} row per module file or built-in module
 * (with status and error), and an {@code entry} row per {@code .modinfo} string. The three tables
 * are projections of these rows, so modules are read once.
 */
public final class ScanRows {
    public static final String KIND_MODULE = "module";
    public static final String KIND_ENTRY = "entry";
    public static final String STATUS_OK = "ok";
    public static final String STATUS_ERROR = "error";
    /** error_kind of a string in modules.builtin.modinfo that is not {@code module.key=value}. */
    public static final String BAD_BUILTIN_STRING = "bad_builtin_string";

    public static final StructType SCHEMA = new StructType(new StructField[] {
        field("kind", DataTypes.StringType, false),
        field("kernel", DataTypes.StringType, false),
        field("module", DataTypes.StringType, true),
        field("path", DataTypes.StringType, false),
        field("builtin", DataTypes.BooleanType, false),
        field("size", DataTypes.LongType, true),
        field("compression", DataTypes.StringType, true),
        field("elf_class", DataTypes.IntegerType, true),
        field("byte_order", DataTypes.StringType, true),
        field("machine", DataTypes.StringType, true),
        field("vermagic", DataTypes.StringType, true),
        field("vermagic_release", DataTypes.StringType, true),
        field("signed", DataTypes.BooleanType, true),
        field("status", DataTypes.StringType, true),
        field("error_kind", DataTypes.StringType, true),
        field("error", DataTypes.StringType, true),
        field("ordinal", DataTypes.IntegerType, true),
        field("key", DataTypes.StringType, true),
        field("value", DataTypes.StringType, true),
    });

    private ScanRows() {
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** Rows for one reader result: the module row first, then its strings in section order. */
    public static List<Row> of(String kernel, ModuleResult r) {
        List<Row> out = new ArrayList<>();
        if (r instanceof ModuleInfo m) {
            boolean b = m.builtin();
            out.add(RowFactory.create(KIND_MODULE, kernel, m.name(), m.path(), b,
                    b ? null : m.size(),
                    b ? null : m.compression().label(),
                    b ? null : m.elfClass(),
                    m.byteOrder(), m.machine(), m.vermagic(), m.vermagicRelease(),
                    b ? null : m.signed(),
                    STATUS_OK, null, null, null, null, null));
            List<ModinfoEntry> es = m.entries();
            for (int i = 0; i < es.size(); i++) {
                out.add(RowFactory.create(KIND_ENTRY, kernel, m.name(), m.path(), b, null, null, null, null, null,
                        null, null, null, null, null, null, i, es.get(i).key(), es.get(i).value()));
            }
        } else {
            ModuleError e = (ModuleError) r;
            out.add(error(kernel, e.name(), e.path(), e.builtin(), e.builtin() ? null : e.size(),
                    e.compression() == null ? null : e.compression().label(), e.kind().label(), e.message()));
        }
        return out;
    }

    public static Row error(String kernel, String module, String path, boolean builtin, Long size,
                            String compression, String errorKind, String message) {
        return RowFactory.create(KIND_MODULE, kernel, module, path, builtin, size, compression, null, null, null,
                null, null, null, STATUS_ERROR, errorKind, message, null, null, null);
    }
}
