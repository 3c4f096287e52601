package io.fwatlas.query;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.sort_array;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/** The questions about firmware packages: what is missing from all of them, and which ship a name. */
public final class FirmwarePackages {
    private FirmwarePackages() {
    }

    /**
     * {@code missing}: per kernel (in release order) and firmware name that {@code resolve} found in
     * no package or directory, its status and the modules that ask for it.
     *
     * @param resolved the {@code resolved} table, or null when {@code resolve} has not run
     * @param kernels  only these kernels; all when empty
     */
    public static Dataset<Row> missing(Dataset<Row> resolved, List<String> kernels) {
        if (resolved == null) {
            throw QueryException.usage("the table has no resolved table yet: run fwatlas resolve --table OUT first");
        }
        List<String> all = resolved.select("kernel").distinct().as(Encoders.STRING()).collectAsList();
        Queries.requireKernels(all, kernels);
        Dataset<Row> r = resolved.filter(col("status").notEqual(FirmwareResolver.FOUND));
        if (!kernels.isEmpty()) {
            r = r.filter(col("kernel").isin(kernels.toArray()));
        }
        Dataset<Row> order = Queries.releaseOrder(resolved.sparkSession(), all);
        return r.groupBy("kernel", "firmware", "status")
                .agg(sort_array(collect_set("module")).as("modules"))
                .join(order, "kernel")
                .orderBy("seq", "firmware")
                .select("kernel", "firmware", "status", "modules");
    }

    /**
     * {@code providers}: every file and link of the scanned firmware packages and directories whose
     * firmware name (path without {@code .xz}/{@code .zst}) or path equals PATTERN, or matches it as
     * a glob; by name, package and version.
     */
    public static Dataset<Row> providers(Dataset<Row> firmwareFiles, String pattern) {
        return firmwareFiles.filter(col("status").equalTo("ok"))
                .filter(Queries.matches(col("name"), pattern).or(Queries.matches(col("path"), pattern)))
                .select("name", "package", "version", "path", "kind", "target", "size", "sha256")
                .orderBy("name", "package", "version", "path");
    }
}
