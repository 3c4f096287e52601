package io.fwatlas.scan;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * One task's work: files of one kernel from one input, in path order. A bin writes one Parquet file per table
 * into its kernel's staged partition, named by {@code index}, so a retried task replaces exactly
 * what its failed attempt may have left.
 */
public record Bin(int index, String kernel, String source, List<FileTask> files) implements Work {
    public Bin {
        for (FileTask f : files) {
            if (!f.kernel().equals(kernel) || !f.source().equals(source)) {
                throw new IllegalArgumentException("bin of kernel " + kernel + " from " + source + " holds a file of "
                        + f.kernel() + " from " + f.source());
            }
        }
        files = List.copyOf(files);
    }

    /** The file name of this bin's part of each table: the same in every run with the same bins. */
    public String fileName() {
        return fileName(index);
    }

    static String fileName(int index) {
        return String.format("part-%05d%s.parquet", index, ParquetRows.CODEC.getExtension());
    }

    @Serial
    private Object writeReplace() {
        return new Form(index, kernel, source, new PackedFiles(files));
    }

    /** What a bin is serialized as: its files packed. */
    private record Form(int index, String kernel, String source, PackedFiles files) implements Serializable {
        @Serial
        private Object readResolve() {
            return new Bin(index, kernel, source, files.files());
        }
    }
}
