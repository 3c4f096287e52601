package io.fwatlas.scan;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The three output tables as projections of the read pass's {@link ScanRows}. Each is
 * repartitioned by kernel and sorted within partitions (kernel first, so the partitioned writer
 * adds no sort of its own), which makes the files of a re-scan hold the same rows in the same order.
 */
public final class Tables {
    public static final String FIRMWARE = "firmware";
    public static final String MODINFO = "modinfo";
    public static final String MODULES = "modules";
    public static final List<String> NAMES = List.of(FIRMWARE, MODINFO, MODULES);
    public static final String PARTITION_COLUMN = "kernel";

    private Tables() {
    }

    /** One row per {@code firmware=} string, duplicates kept, in section order within a module. */
    public static Dataset<Row> firmware(Dataset<Row> rows, int partitions) {
        return rows.filter(col("kind").equalTo(ScanRows.KIND_ENTRY).and(col("key").equalTo("firmware")))
                .repartition(partitions, col("kernel"))
                .sortWithinPartitions(col("kernel"), col("path"), col("module"), col("ordinal"))
                .select(col("kernel"), col("module"), col("value").as("firmware"), col("builtin"), col("path"));
    }

    /** Every {@code .modinfo} string; ordinal is its index within its module. */
    public static Dataset<Row> modinfo(Dataset<Row> rows, int partitions) {
        return rows.filter(col("kind").equalTo(ScanRows.KIND_ENTRY))
                .repartition(partitions, col("kernel"))
                .sortWithinPartitions(col("kernel"), col("path"), col("module"), col("ordinal"))
                .select(col("kernel"), col("module"), col("path"), col("builtin"), col("ordinal"), col("key"),
                        col("value"));
    }

    /** One row per module file and per built-in module, failed ones included. */
    public static Dataset<Row> modules(Dataset<Row> rows, int partitions) {
        return rows.filter(col("kind").equalTo(ScanRows.KIND_MODULE))
                .repartition(partitions, col("kernel"))
                .sortWithinPartitions(col("kernel"), col("path"), col("module"), col("error"))
                .select(moduleColumns());
    }

    static Column[] moduleColumns() {
        return new Column[] {col("kernel"), col("module"), col("path"), col("builtin"), col("size"),
            col("compression"), col("elf_class"), col("byte_order"), col("machine"), col("vermagic"),
            col("vermagic_release"), col("signed"), col("status"), col("error_kind"), col("error")};
    }

    public static Dataset<Row> table(String name, Dataset<Row> rows, int partitions) {
        switch (name) {
            case FIRMWARE:
                return firmware(rows, partitions);
            case MODINFO:
                return modinfo(rows, partitions);
            case MODULES:
                return modules(rows, partitions);
            default:
                throw new IllegalArgumentException("no table " + name);
        }
    }
}
