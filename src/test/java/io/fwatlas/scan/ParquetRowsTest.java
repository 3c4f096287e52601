package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's values as a Parquet reader sees them, however the rows repeat their strings. */
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
        Path file = Files.createDirectories(tmp.resolve("modinfo/kernel=6.1.0-1-amd64")).resolve("part.parquet");
        Configuration conf = new Configuration();
        try (ParquetWriter<Object[]> w = ParquetRows.create(TableLayout.of(TableLayout.location(tmp.toString()), conf)
                .fs(), new org.apache.hadoop.fs.Path(file.toUri()), Tables.MODINFO_SCHEMA, conf)) {
            for (Object[] r : rows) {
                w.write(r);
            }
        }
        List<List<Object>> read = ParquetTables.readInFileOrder(tmp.resolve("modinfo")).get(0).rows();
        assertEquals(rows.size(), read.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Arrays.asList(rows.get(i)), read.get(i), "row " + i);
        }
    }
}
