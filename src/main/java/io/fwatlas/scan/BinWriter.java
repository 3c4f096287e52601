package io.fwatlas.scan;

import io.fwatlas.module.ModuleReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Executor side: the Parquet files of one bin, one per table, opened when the table's first row
 * comes. Files are written under the run's {@code _tasks/ATTEMPT/} directory and moved to
 * {@code TABLE/kernel=K/part-BIN.snappy.parquet} by {@link #commit}, so a task that dies leaves
 * nothing in a staged partition, and a retry replaces what an earlier attempt committed.
 * Counts every row it writes for the {@link BinResult}.
 */
final class BinWriter implements Tables.Sink, AutoCloseable {
    static final String TASKS = "_tasks";

    private final FileSystem fs;
    private final Path runDir;
    private final Path attemptDir;
    private final int index;
    private final String kernel;
    private final Configuration conf;
    private final Map<String, ParquetRows> open = new HashMap<>();

    private long modules;
    private long builtins;
    private long firmwareRows;
    private final Set<String> firmware = new HashSet<>();
    // what query kernels counts (KernelRows)
    private long named;
    private long errorRows;
    private long builtinFirmwareRows;
    private final Set<String> firmwareModules = new HashSet<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final Map<String, Long> vermagic = new TreeMap<>();

    BinWriter(FileSystem fs, Path runDir, Bin bin, String attempt, Configuration conf) {
        this(fs, runDir, bin.index(), bin.kernel(), attempt, conf);
    }

    /** The files of task {@code index} in the partition of {@code kernel}. */
    BinWriter(FileSystem fs, Path runDir, int index, String kernel, String attempt, Configuration conf) {
        this.fs = fs;
        this.runDir = runDir;
        this.attemptDir = new Path(new Path(new Path(runDir, TASKS), attempt), TableLayout.partition(kernel));
        this.index = index;
        this.kernel = kernel;
        this.conf = conf;
    }

    @Override
    public void row(String table, Object[] row) {
        count(table, row);
        try {
            ParquetRows w = open.get(table);
            if (w == null) {
                w = ParquetRows.create(fs, temp(table), Tables.schema(table), conf);
                open.put(table, w);
            }
            w.write(row);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + table + " of task " + index + ": "
                    + e.getMessage(), e);
        }
    }

    private void count(String table, Object[] row) {
        if (table.equals(Tables.FIRMWARE)) {
            firmwareRows++;
            if (row[1] != null) {
                firmware.add((String) row[1]);
            }
            if ((Boolean) row[2]) {
                builtinFirmwareRows++;
            }
            String key = KernelRows.moduleKey((String) row[3], (String) row[0]);
            if (key != null) {
                firmwareModules.add(key);
            }
        } else if (table.equals(Tables.MODULES)) {
            boolean builtin = (Boolean) row[2];
            boolean ok = Tables.STATUS_OK.equals(row[11]);
            if (row[0] != null) {
                named++;
            }
            if (Tables.STATUS_ERROR.equals(row[11])) {
                errorRows++;
            }
            if (!builtin) {
                modules++;
                String release = (String) row[9];
                if (ok && release != null
                        && (vermagic.size() < BinResult.VERMAGIC_KEPT || vermagic.containsKey(release))) {
                    vermagic.merge(release, 1L, Long::sum);
                }
            } else if (ok) {
                builtins++;
            }
            if (!ok) {
                errors.merge((String) row[12], 1L, Long::sum);
            }
        }
    }

    private Path temp(String table) {
        return new Path(attemptDir, table + ".parquet");
    }

    /** Closes the files and moves each into its staged partition. */
    BinResult commit() throws IOException {
        Set<String> tables = new HashSet<>(open.keySet());
        closeAll();
        String partition = TableLayout.partition(kernel);
        for (String t : tables) {
            Path dir = new Path(new Path(runDir, t), partition);
            Path target = new Path(dir, Bin.fileName(index));
            fs.mkdirs(dir);
            fs.delete(target, false);
            if (!fs.rename(temp(t), target)) {
                throw new IOException("rename " + temp(t) + " -> " + target + " failed");
            }
        }
        fs.delete(attemptDir, true);
        return new BinResult(index, kernel, modules, builtins, firmwareRows, firmware, errors, tables,
                ModuleReader.xzDecoder(), vermagic,
                KernelRows.of(named, errorRows, firmwareRows, builtinFirmwareRows, firmware, firmwareModules));
    }

    private void closeAll() throws IOException {
        IOException first = null;
        for (ParquetRows w : open.values()) {
            try {
                w.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }

    /** After a failure: closes and removes this attempt's files; the staged partitions stay as they were. */
    @Override
    public void close() {
        try {
            closeAll();
        } catch (IOException | RuntimeException ignored) {
            // the attempt failed already; its files go either way
        }
        try {
            fs.delete(attemptDir, true);
        } catch (IOException ignored) {
            // the run's staging, _tasks included, is deleted at commit or by the next run
        }
    }
}
