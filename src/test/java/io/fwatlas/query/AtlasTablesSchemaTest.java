package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The tables' columns as README documents them and other tools read them: the Spark schemas,
 * derived from the Parquet file schemas, must keep these names, types and order.
 */
class AtlasTablesSchemaTest {
    @Test
    void columnsAreTheDocumentedOnes() {
        assertEquals(StructType.fromDDL(
                "kernel STRING, module STRING, firmware STRING, builtin BOOLEAN, path STRING, source STRING"),
                AtlasTables.FIRMWARE);
        assertEquals(StructType.fromDDL(
                "kernel STRING, module STRING, path STRING, builtin BOOLEAN, ordinal INT, key STRING, value STRING, "
                        + "source STRING"), AtlasTables.MODINFO);
        assertEquals(StructType.fromDDL(
                "kernel STRING, module STRING, path STRING, builtin BOOLEAN, size BIGINT, compression STRING, "
                        + "elf_class INT, byte_order STRING, machine STRING, vermagic STRING, vermagic_release STRING, "
                        + "signed BOOLEAN, status STRING, error_kind STRING, error STRING, source STRING"),
                AtlasTables.MODULES);
        assertEquals(StructType.fromDDL(
                "package STRING, version STRING, source STRING, path STRING, name STRING, compression STRING, "
                        + "kind STRING, target STRING, size BIGINT, sha256 STRING, driver STRING, license STRING, "
                        + "status STRING, error_kind STRING, error STRING"), AtlasTables.FIRMWARE_FILES);
        assertEquals(StructType.fromDDL(
                "package STRING, version STRING, source STRING, format STRING, summary STRING, description STRING, "
                        + "homepage STRING, files BIGINT, links BIGINT, status STRING, error_kind STRING, error STRING"),
                AtlasTables.FIRMWARE_PACKAGES);
    }
}
