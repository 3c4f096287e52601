package io.fwatlas.scan;

import java.nio.file.Paths;
import java.util.List;

/**
 * Prints a table's rows as tab-separated lines, kernel first, read with parquet-hadoop alone.
 * Used by jobs/check-against-modinfo. Usage: DumpTable OUT TABLE
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
        for (ParquetTables.FileRows f : ParquetTables.readInFileOrder(Paths.get(args[0], args[1]))) {
            for (List<Object> row : f.rows()) {
                b.append(f.kernel());
                for (Object v : row) {
                    b.append('\t').append(v);
                }
                b.append('\n');
            }
        }
        System.out.print(b);
    }
}
