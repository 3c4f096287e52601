package io.fwatlas.query;

import io.fwatlas.scan.KernelStats;
import io.fwatlas.scan.TableLayout;
import io.fwatlas.scan.Tables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * {@code fwatlas query kernels} read from the {@link KernelStats} each scan records with a kernel's
 * modules partition, without Spark: the rows {@link Queries#kernels} computes from the tables.
 * Spark SQL's cold start alone (a fresh JVM plans and runs its first aggregation) takes longer
 * than the scan of an empty release (docs/BENCHMARKS.md).
 */
public final class KernelSummary {
    private KernelSummary() {
    }

    /**
     * The rows of query kernels for the table at {@code location} (all kernels, or those of
     * {@code flavour}); null when a kernel has no stats, as in a table written before they were
     * recorded: the query then runs on Spark.
     */
    public static List<Row> rows(FileSystem fs, Path location, String flavour) throws IOException {
        Path modules = new Path(location, Tables.MODULES);
        Map<String, Long> withModules = TableLayout.partitionTimes(fs, modules);
        TreeSet<String> all = new TreeSet<>(withModules.keySet());
        all.addAll(TableLayout.partitionTimes(fs, new Path(location, Tables.FIRMWARE)).keySet());
        if (all.size() != withModules.size()) {
            return null; // firmware rows of a kernel without modules rows: no scan wrote that
        }
        List<Row> rows = new ArrayList<>();
        for (KernelRelease k : Queries.ordered(all, flavour)) {
            KernelStats s = KernelStats.read(fs, new Path(modules, TableLayout.partition(k.release())));
            if (s == null) {
                return null;
            }
            rows.add(RowFactory.create(k.release(), k.series(), s.modules(), s.modulesWithFirmware(),
                    s.firmwareRows(), s.distinctFirmware(), s.builtinFirmwareRows(), s.errors()));
        }
        return rows;
    }
}
