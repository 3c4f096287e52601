package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinWriterTest {
    @TempDir
    Path tmp;

    private final Configuration conf = new Configuration();

    private BinWriter writer(Bin bin, String attempt) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(tmp.toUri());
        FileSystem fs = TableLayout.fileSystem(dir, conf);
        return new BinWriter(fs, dir, bin, attempt, conf);
    }

    private static Object[] module(String name, boolean ok) {
        return new Object[] {name, "kernel/" + name + ".ko", false, 10L, "none", 64, "little", "x86_64", null, null,
            false, ok ? Tables.STATUS_OK : Tables.STATUS_ERROR, ok ? null : "truncated", ok ? null : "cut", "/trees"};
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.filter(Files::isRegularFile).map(tmp::relativize).sorted().toList();
        }
    }

    @Test
    void commitMovesEachTablesFileIntoItsPartitionAndCounts() throws IOException {
        Bin bin = new Bin(3, "6.1.0-1-amd64", "/trees", List.of());
        BinResult r;
        try (BinWriter w = writer(bin, "attempt-7")) {
            w.row(Tables.MODULES, module("a", true));
            w.row(Tables.MODULES, module("b", false));
            w.row(Tables.FIRMWARE, new Object[] {"a", "x.bin", false, "kernel/a.ko", "/trees"});
            w.row(Tables.FIRMWARE, new Object[] {"a", "x.bin", false, "kernel/a.ko", "/trees"});
            r = w.commit();
        }
        assertEquals(List.of(Path.of("firmware/kernel=6.1.0-1-amd64/part-00003.snappy.parquet"),
                Path.of("modules/kernel=6.1.0-1-amd64/part-00003.snappy.parquet")), files());
        assertEquals(2, r.modules());
        assertEquals(2, r.firmwareRows());
        assertEquals(Set.of("x.bin"), r.firmware());
        assertEquals(Map.of("truncated", 1L), r.errorsByKind());
        assertEquals(Set.of(Tables.FIRMWARE, Tables.MODULES), r.tables());
        assertEquals(2, ParquetTables.readInFileOrder(tmp.resolve("modules")).get(0).rows().size());
    }

    @Test
    void aFailedAttemptLeavesNothingAndARetryReplacesACommittedFile() throws IOException {
        Bin bin = new Bin(0, "k", "/trees", List.of());
        try (BinWriter w = writer(bin, "attempt-1")) {
            w.row(Tables.MODULES, module("old", true));
            w.commit();
        }
        try (BinWriter w = writer(bin, "attempt-2")) {
            w.row(Tables.MODULES, module("dies", true));
            // no commit: the task failed
        }
        assertEquals(List.of(Path.of("modules/kernel=k/part-00000.snappy.parquet")), files());
        try (BinWriter w = writer(bin, "attempt-3")) {
            w.row(Tables.MODULES, module("new1", true));
            w.row(Tables.MODULES, module("new2", true));
            w.commit();
        }
        assertEquals(List.of(Path.of("modules/kernel=k/part-00000.snappy.parquet")), files());
        List<List<Object>> rows = ParquetTables.readInFileOrder(tmp.resolve("modules")).get(0).rows();
        assertEquals(List.of("new1", "new2"), rows.stream().map(x -> x.get(0)).toList());
        try (Stream<Path> s = Files.walk(tmp.resolve(BinWriter.TASKS))) {
            assertEquals(List.of(), s.filter(Files::isRegularFile).toList(), "files of the failed attempt");
        }
    }

    @Test
    void aMissingRequiredValueIsRefused() throws IOException {
        try (BinWriter w = writer(new Bin(0, "k", "/trees", List.of()), "attempt-1")) {
            Object[] row = module("a", true);
            row[1] = null;
            assertThrows(IllegalArgumentException.class, () -> w.row(Tables.MODULES, row));
        }
    }
}
