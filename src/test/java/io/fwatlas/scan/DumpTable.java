package io.fwatlas.scan;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a table's rows as tab-separated lines, kernel first, read with parquet-hadoop alone.
 * Used by jobs/check-against-modinfo and by the tests that compare two runs' tables.
 * Usage: DumpTable OUT TABLE
 */
public final class DumpTable {
    private DumpTable() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: DumpTable OUT TABLE");
            System.exit(2);
        }
        StringBuilder b = new StringBuilder();
        for (String line : lines(Paths.get(args[0]), args[1])) {
            b.append(line).append('\n');
        }
        System.out.print(b);
    }

    /** Every row of {@code OUT/TABLE} as a tab-separated line, kernel first, in file order. */
    static List<String> lines(Path out, String table) throws IOException {
        List<String> lines = new ArrayList<>();
        for (ParquetTables.FileRows f : ParquetTables.readInFileOrder(out.resolve(table))) {
            for (List<Object> row : f.rows()) {
                StringBuilder b = new StringBuilder(f.kernel());
                for (Object v : row) {
                    b.append('\t').append(v);
                }
                lines.add(b.toString());
            }
        }
        return lines;
    }

    /** The same lines, sorted: two runs that wrote the same rows into different files compare equal. */
    static List<String> sortedLines(Path out, String table) throws IOException {
        List<String> lines = lines(out, table);
        lines.sort(null);
        return lines;
    }
}
