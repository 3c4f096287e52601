package io.fwatlas.scan;

import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleResult;
import io.fwatlas.packages.PackageError;
import io.fwatlas.packages.PackageReader;
import io.fwatlas.packages.PackageSummary;
import io.fwatlas.packages.PackageVisitor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Executor side of a {@link PackageTask}: streams the package once through {@link PackageReader}
 * and writes every release it holds into that release's partition, one {@link BinWriter} per
 * release. Rows name the package file as their {@code source}. A fault in the package becomes an
 * error row (with the package and member in its message) in the partition of the release being
 * read, or of {@link #UNKNOWN_KERNEL} when no release was seen yet; everything read before it stays.
 */
final class ReadPackage implements PackageVisitor {
    /** Spark's and Hive's name for a null partition value: errors of a package whose release is unknown. */
    static final String UNKNOWN_KERNEL = "__HIVE_DEFAULT_PARTITION__";
    private static final int BUFFER = 1 << 20;

    private final PackageTask task;
    private final String source;
    private final FileSystem fs;
    private final Path runDir;
    private final String attempt;
    private final Configuration conf;
    private final Map<String, BinWriter> writers = new LinkedHashMap<>();
    private String lastKernel;

    private ReadPackage(PackageTask task, FileSystem fs, Path runDir, String attempt, Configuration conf) {
        this.task = task;
        this.source = task.input().name();
        this.fs = fs;
        this.runDir = runDir;
        this.attempt = attempt;
        this.conf = conf;
    }

    static TaskResult run(PackageTask task, PackageReader reader, FileSystem fs, Path runDir, String attempt,
                          Configuration conf) throws IOException {
        ReadPackage r = new ReadPackage(task, fs, runDir, attempt, conf);
        try {
            PackageSummary summary;
            PackageInput in = task.input();
            try (InputStream s = open(in, conf)) {
                summary = reader.read(r.source, s, in.size(), r);
            } catch (IOException e) {
                PackageError error = new PackageError(r.source, null, null, ErrorKind.IO_ERROR,
                        r.source + ": cannot open: " + ReleaseLister.describe(e));
                r.packageError(error);
                summary = new PackageSummary(r.source, null, 0, 0, 0, List.of(), 0, 0, error);
            }
            List<BinResult> bins = new ArrayList<>();
            for (BinWriter w : r.writers.values()) {
                bins.add(w.commit());
            }
            return new TaskResult(bins, in, summary);
        } finally {
            r.writers.values().forEach(BinWriter::close);
        }
    }

    private static InputStream open(PackageInput in, Configuration conf) throws IOException {
        if (in.local()) {
            return new BufferedInputStream(Files.newInputStream(Paths.get(in.location())), BUFFER);
        }
        Path p = new Path(in.location());
        return new BufferedInputStream(p.getFileSystem(conf).open(p, BUFFER), BUFFER);
    }

    private BinWriter writer(String kernel) {
        lastKernel = kernel;
        return writers.computeIfAbsent(kernel,
                k -> new BinWriter(fs, runDir, task.index(), k, attempt, conf));
    }

    @Override
    public void module(String kernel, String path, ModuleResult result) {
        Tables.rows(result, source, writer(kernel));
    }

    @Override
    public void builtin(String kernel, String path, BuiltinModinfo.Result result) {
        ReadModules.builtinRows(path, result, source, writer(kernel));
    }

    @Override
    public void builtinError(String kernel, String path, ErrorKind kind, String message) {
        Tables.error(null, path, true, null, null, kind.label(), message, source, writer(kernel));
    }

    @Override
    public void packageError(PackageError e) {
        String kernel = lastKernel != null ? lastKernel : UNKNOWN_KERNEL;
        String member = e.member() != null ? e.member() : source;
        Tables.error(null, member, false, null, null, e.kind().label(), e.message(), source, writer(kernel));
    }
}
