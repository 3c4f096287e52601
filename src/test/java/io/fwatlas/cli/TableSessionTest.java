package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which tables a local query reads without generated code: those up to {@link TableSession#SMALL_TABLE}. */
class TableSessionTest {
    @TempDir
    Path tmp;

    private static boolean small(Path dir) {
        return TableSession.small(new org.apache.hadoop.fs.Path(dir.toUri()), new Configuration());
    }

    @Test
    void aTableIsSmallByTheBytesOfAllItsFiles() throws IOException {
        Path t = Files.createDirectories(tmp.resolve("t").resolve("modules").resolve("kernel=6.1.0-18-amd64"));
        Files.write(t.resolve("part-0.parquet"), new byte[(int) (TableSession.SMALL_TABLE / 2)]);
        assertTrue(small(tmp.resolve("t")));
        Files.write(t.resolve("part-1.parquet"), new byte[(int) (TableSession.SMALL_TABLE / 2) + 1]);
        assertFalse(small(tmp.resolve("t")), "one byte past the limit, summed over files");
        assertFalse(small(tmp.resolve("missing")), "a table that cannot be measured is not small");
    }
}
