package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fwatlas.scan.KernelStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** query kernels from recorded stats: the rows when every kernel has valid ones, else null (Spark counts). */
class KernelSummaryTest {
    static final String STATS = "{\"version\":1,\"modules\":%d,\"modules_with_firmware\":2,\"firmware_rows\":3,"
            + "\"distinct_firmware\":3,\"builtin_firmware_rows\":1,\"errors\":0}";

    @TempDir
    Path table;

    void partition(String t, String kernel, String stats) throws IOException {
        Path p = Files.createDirectories(table.resolve(t).resolve("kernel=" + kernel));
        Files.writeString(p.resolve("part-00000.snappy.parquet"), "");
        if (stats != null) {
            Files.writeString(p.resolve(KernelStats.FILE), stats);
        }
    }

    List<Row> rows(String flavour) throws IOException {
        org.apache.hadoop.fs.Path location = new org.apache.hadoop.fs.Path(table.toUri());
        FileSystem fs = location.getFileSystem(new Configuration());
        List<org.apache.spark.sql.Row> rows = KernelSummary.rows(fs, location, flavour);
        return rows == null ? null : rows.stream().map(r -> new Row(r.toString())).toList();
    }

    record Row(String text) {
    }

    @Test
    void everyKernelWithStatsGivesItsLineInReleaseOrderPerFlavour() throws IOException {
        partition("modules", "6.1.0-10-amd64", STATS.formatted(5));
        partition("modules", "6.1.0-9-amd64", STATS.formatted(4));
        partition("modules", "6.1.0-9-cloud-amd64", STATS.formatted(1));
        partition("firmware", "6.1.0-9-amd64", null);
        assertEquals(List.of(new Row("[6.1.0-9-amd64,amd64,4,2,3,3,1,0]"), new Row("[6.1.0-10-amd64,amd64,5,2,3,3,1,0]"),
                new Row("[6.1.0-9-cloud-amd64,cloud-amd64,1,2,3,3,1,0]")), rows(null));
        assertEquals(List.of(new Row("[6.1.0-9-cloud-amd64,cloud-amd64,1,2,3,3,1,0]")), rows("cloud-amd64"));
        QueryException e = assertThrows(QueryException.class, () -> rows("rt-amd64"));
        assertEquals("no kernel of flavour 'rt-amd64'; flavours: amd64, cloud-amd64", e.getMessage());
    }

    @Test
    void aTableWithoutKernelsHasNoLines() throws IOException {
        Files.createDirectories(table.resolve("modules"));
        assertEquals(List.of(), rows(null));
    }

    @Test
    void aKernelWithoutStatsSendsTheQueryToSpark() throws IOException {
        partition("modules", "6.1.0-9-amd64", STATS.formatted(4));
        partition("modules", "6.1.0-10-amd64", null);
        assertNull(rows(null));
    }

    @Test
    void firmwareRowsOfAKernelWithoutModulesRowsSendTheQueryToSpark() throws IOException {
        partition("modules", "6.1.0-9-amd64", STATS.formatted(4));
        partition("firmware", "6.1.0-10-amd64", null);
        assertNull(rows(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[]", "null", "{\"version\":2,\"modules\":1,\"modules_with_firmware\":2,"
            + "\"firmware_rows\":3,\"distinct_firmware\":3,\"builtin_firmware_rows\":1,\"errors\":0}",
        "{\"version\":1,\"modules\":1}",
        "{\"version\":1,\"modules\":-1,\"modules_with_firmware\":2,\"firmware_rows\":3,\"distinct_firmware\":3,"
            + "\"builtin_firmware_rows\":1,\"errors\":0}",
        "{\"version\":1,\"modules\":1.5,\"modules_with_firmware\":2,\"firmware_rows\":3,\"distinct_firmware\":3,"
            + "\"builtin_firmware_rows\":1,\"errors\":0}",
        "{\"version\":1,\"modules\":\"1\",\"modules_with_firmware\":2,\"firmware_rows\":3,\"distinct_firmware\":3,"
            + "\"builtin_firmware_rows\":1,\"errors\":0}"})
    void statsThatAreNotThisVersionsSendTheQueryToSpark(String stats) throws IOException {
        partition("modules", "6.1.0-9-amd64", STATS.formatted(4));
        partition("modules", "6.1.0-10-amd64", stats);
        assertNull(rows(null), stats);
    }
}
