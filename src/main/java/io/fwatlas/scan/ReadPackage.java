package io.fwatlas.scan;

import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleResult;
import io.fwatlas.packages.FirmwareFile;
import io.fwatlas.packages.PackageControl;
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
    private PackageControl control;
    private FirmwareWriter firmware;

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
            FirmwareResult fw = null;
            if (r.firmware != null) {
                PackageError e = summary.error();
                fw = r.firmware.commit(summary.format() == null ? null : summary.format().label(),
                        e == null ? null : e.kind().label(), e == null ? null : e.message());
            }
            return new TaskResult(bins, in, summary, fw);
        } finally {
            r.writers.values().forEach(BinWriter::close);
            if (r.firmware != null) {
                r.firmware.close();
            }
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
    public void control(PackageControl c) {
        control = c;
    }

    @Override
    public void firmware(FirmwareFile f) {
        if (firmware == null) {
            String[] nv = nameAndVersion(source);
            firmware = new FirmwareWriter(fs, runDir, attempt, task.input().location(), source, nv[0], nv[1], conf);
            if (control != null) {
                firmware.control(control);
            }
        }
        firmware.file(f);
    }

    /**
     * A tarball's package name and version from its file name ({@code linux-firmware-20250410.tar.xz}:
     * {@code linux-firmware}, {@code 20250410}); the whole name without its suffix and no version when
     * no {@code -} is followed by a digit.
     */
    static String[] nameAndVersion(String fileName) {
        String base = fileName;
        for (String suffix : PackageInput.SUFFIXES) {
            if (base.toLowerCase(java.util.Locale.ROOT).endsWith(suffix)) {
                base = base.substring(0, base.length() - suffix.length());
                break;
            }
        }
        for (int i = base.length() - 2; i > 0; i--) {
            if (base.charAt(i) == '-' && Character.isDigit(base.charAt(i + 1))) {
                return new String[] {base.substring(0, i), base.substring(i + 1)};
            }
        }
        return new String[] {base, null};
    }

    @Override
    public void packageError(PackageError e) {
        if (firmware != null && lastKernel == null) {
            firmware.error(e.member() != null ? e.member() : source, e.kind().label(), e.message());
            return;
        }
        String kernel = lastKernel != null ? lastKernel : UNKNOWN_KERNEL;
        String member = e.member() != null ? e.member() : source;
        Tables.error(null, member, false, null, null, e.kind().label(), e.message(), source, writer(kernel));
    }
}
