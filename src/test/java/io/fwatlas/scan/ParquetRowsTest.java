package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's values as parquet-mr's reader sees them: repeated strings, nulls, row groups, refused rows. */
class ParquetRowsTest {
    @TempDir
    Path tmp;

    @Test
    void repeatedAlternatingAndMissingStringsAreWrittenAsGiven() throws IOException {
        Random random = new Random(3);
        String[] modules = {"e1000e", "iwlwifi", "snd_hda_intel", "é-unicode"};
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            // runs of one module, then jumps; equal strings that are distinct objects; nulls between
            String module = new String(modules[(i / (1 + random.nextInt(7))) % modules.length]);
            String key = random.nextInt(10) == 0 ? null : (random.nextBoolean() ? "alias" : "firmware");
            String value = random.nextInt(5) == 0 ? null : "v" + random.nextInt(4);
            rows.add(new Object[] {random.nextInt(8) == 0 ? null : module, "kernel/" + module + ".ko", i % 3 == 0, i,
                key, value, "/src"});
        }
        try (ParquetRows w = create(ParquetRows.ROW_GROUP_BYTES)) {
            for (Object[] r : rows) {
                w.write(r);
            }
        }
        assertReadBack(rows);
    }

    @Test
    void rowsFillingSeveralRowGroupsReadBackInOrder() throws IOException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(new Object[] {"m" + (i / 20), "kernel/m" + (i / 20) + ".ko", false, i % 20, "alias",
                "pci:v00008086d" + String.format("%08X", i) + "sv*sd*bc*sc*i*", "/src"});
        }
        try (ParquetRows w = create(64 * 1024)) {
            for (Object[] r : rows) {
                w.write(r);
            }
        }
        Configuration conf = new Configuration();
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file().toUri()), conf))) {
            List<BlockMetaData> groups = r.getFooter().getBlocks();
            assertTrue(groups.size() > 3, groups.size() + " row groups");
            assertEquals(rows.size(), groups.stream().mapToLong(BlockMetaData::getRowCount).sum());
        }
        assertReadBack(rows);
    }

    @Test
    void aRowMissingARequiredValueIsRefusedWhole() throws IOException {
        List<Object[]> kept = List.of(
                new Object[] {"a", "kernel/a.ko", false, 0, "firmware", "a.bin", "/src"},
                new Object[] {"b", "kernel/b.ko", false, 0, "firmware", "b.bin", "/src"});
        try (ParquetRows w = create(ParquetRows.ROW_GROUP_BYTES)) {
            w.write(kept.get(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> w.write(new Object[] {"x", "kernel/x.ko", false, 0, "firmware", "x.bin", null}));
            assertEquals("column source is required", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.write(new Object[] {"x", "kernel/x.ko"}));
            w.write(kept.get(1));
        }
        assertReadBack(kept);
    }

    @Test
    void afterAFailedWriteTheFileTakesNoMoreRows() throws IOException {
        ParquetRows w = create(ParquetRows.ROW_GROUP_BYTES);
        w.write(new Object[] {"a", "kernel/a.ko", false, 0, "firmware", "a.bin", "/src"});
        assertThrows(ClassCastException.class,
                () -> w.write(new Object[] {"b", "kernel/b.ko", false, "zero", "firmware", "b.bin", "/src"}));
        IOException e = assertThrows(IOException.class,
                () -> w.write(new Object[] {"c", "kernel/c.ko", false, 0, "firmware", "c.bin", "/src"}));
        assertTrue(e.getMessage().contains("takes no more rows: a write failed"), e.getMessage());
        w.close();
        w.close();
    }

    /** The rows of the dictionary test: runs of one value, jumps back, distinct objects, nulls, a flood of new values. */
    private static List<Object[]> dictionaryRows() {
        Random random = new Random(11);
        List<Object[]> rows = new ArrayList<>();
        String module = "m0";
        for (int i = 0; i < 30_000; i++) {
            if (random.nextInt(12) == 0) {
                module = random.nextInt(4) == 0 ? null : "m" + random.nextInt(300);
            }
            // keys repeat from a few values, then (past row 20,000) are all new, so the dictionary overflows
            String key = i > 20_000 ? "key-" + i + "-".repeat(40) : new String(new String[] {"alias", "firmware",
                "depends"}[random.nextInt(3)]);
            rows.add(new Object[] {module, module == null ? "kernel/none.ko" : "kernel/" + module + ".ko", i % 5 == 0,
                i, key, "v" + random.nextInt(50), "/src"});
        }
        return rows;
    }

    @Test
    void theScansDictionaryWritersWriteWhatParquetMrsDo() throws IOException {
        List<Object[]> rows = dictionaryRows();
        for (int dictionaryPage : new int[] {ParquetProperties.DEFAULT_DICTIONARY_PAGE_SIZE, 4096}) {
            ParquetProperties scan = ParquetProperties.copy(ParquetRows.properties())
                    .withDictionaryPageSize(dictionaryPage).build();
            ParquetProperties mr = ParquetProperties.copy(scan)
                    .withValuesWriterFactory(new DefaultValuesWriterFactory()).build();
            byte[] ours = write(rows, scan, "ours");
            byte[] theirs = write(rows, mr, "theirs");
            assertTrue(Arrays.equals(ours, theirs), "files differ with a dictionary page of " + dictionaryPage
                    + " bytes: " + ours.length + " and " + theirs.length + " bytes");
        }
    }

    private byte[] write(List<Object[]> rows, ParquetProperties props, String name) throws IOException {
        Configuration conf = new Configuration();
        Path f = Files.createDirectories(tmp.resolve(name)).resolve("part.parquet");
        // small row groups, so the writers are remade and the dictionaries cleared along the way
        try (ParquetRows w = ParquetRows.create(TableLayout.of(TableLayout.location(tmp.toString()), conf).fs(),
                new org.apache.hadoop.fs.Path(f.toUri()), Tables.MODINFO_SCHEMA, conf, ParquetRows.CODEC, 256 * 1024,
                props)) {
            for (Object[] r : rows) {
                w.write(r);
            }
        }
        return Files.readAllBytes(f);
    }

    private Path file() throws IOException {
        return Files.createDirectories(tmp.resolve("modinfo/kernel=6.1.0-1-amd64")).resolve("part.parquet");
    }

    private ParquetRows create(long rowGroupBytes) throws IOException {
        Configuration conf = new Configuration();
        return ParquetRows.create(TableLayout.of(TableLayout.location(tmp.toString()), conf).fs(),
                new org.apache.hadoop.fs.Path(file().toUri()), Tables.MODINFO_SCHEMA, conf, ParquetRows.CODEC,
                rowGroupBytes);
    }

    private void assertReadBack(List<Object[]> rows) throws IOException {
        List<List<Object>> read = ParquetTables.readInFileOrder(tmp.resolve("modinfo")).get(0).rows();
        assertEquals(rows.size(), read.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Arrays.asList(rows.get(i)), read.get(i), "row " + i);
        }
    }
}
