package io.fwatlas.scan;

import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleError;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleNames;
import io.fwatlas.module.ModuleReader;
import io.fwatlas.module.ModuleResult;
import io.fwatlas.module.NotAFileException;
import io.fwatlas.packages.PackageReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Executor side of stage 2: reads every file of a {@link Bin} (or a whole package, see
 * {@link ReadPackage}) and writes its rows through a {@link BinWriter} into the run's staging,
 * returning the counts. Files are read one at a
 * time, so a task holds one module and the writers' buffers. Nothing a file contains can fail the
 * task: every fault becomes an error row.
 */
public final class ReadModules implements Function<Work, TaskResult> {
    private static final long serialVersionUID = 1L;

    private final ModuleReader reader;
    private final PackageReader packages;
    private final Broadcast<SerializableConfiguration> hadoopConf;
    /** The run's staging directory, a qualified URI. */
    private final String runDir;

    public ReadModules(long maxModuleSize, long maxPackageExpansion, Broadcast<SerializableConfiguration> hadoopConf,
                       String runDir) {
        this.reader = new ModuleReader(maxModuleSize);
        this.packages = new PackageReader(Math.min(maxModuleSize, PackageReader.MAX_MODULE_SIZE), maxPackageExpansion);
        this.hadoopConf = hadoopConf;
        this.runDir = runDir;
    }

    @Override
    public TaskResult call(Work work) throws IOException {
        Configuration conf = hadoopConf.value().value();
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(runDir);
        FileSystem fs = TableLayout.fileSystem(dir, conf);
        TaskContext task = TaskContext.get();
        String attempt = "attempt-" + (task == null ? 0 : task.taskAttemptId());
        if (work instanceof PackageTask p) {
            return ReadPackage.run(p, packages, fs, dir, attempt, conf);
        }
        if (work instanceof FirmwareDirTask f) {
            return ReadFirmwareDir.run(f, fs, dir, attempt, conf);
        }
        Bin bin = (Bin) work;
        try (BinWriter out = new BinWriter(fs, dir, bin, attempt, conf)) {
            for (FileTask t : bin.files()) {
                rows(reader, t, conf, out);
            }
            return new TaskResult(List.of(out.commit()), null, null);
        }
    }

    /** Every row of one file. */
    static void rows(ModuleReader reader, FileTask t, Configuration conf, Tables.Sink out) {
        switch (t.kind()) {
            case LIST_ERROR -> Tables.error(null, t.path(), false, null, null, ErrorKind.IO_ERROR.label(),
                    t.path() + ": " + t.problem(), t.source(), out);
            case BUILTIN_MODINFO -> builtinRows(reader.maxSize(), t, conf, out);
            default -> Tables.rows(readModule(reader, t, conf), t.source(), out);
        }
    }

    static ModuleResult readModule(ModuleReader reader, FileTask t, Configuration conf) {
        String rel = t.path();
        if (t.local()) {
            return reader.readFile(Paths.get(t.root(), rel), rel);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(t.root()), rel);
        try {
            FileSystem fs = p.getFileSystem(conf);
            try (HadoopByteSource src = HadoopByteSource.open(fs, p, t.size())) {
                return reader.read(rel, src);
            }
        } catch (FileNotFoundException e) {
            return error(rel, t.size(), ErrorKind.IO_ERROR, "no such file (removed while scanning)");
        } catch (IOException | RuntimeException e) {
            return error(rel, t.size(), ErrorKind.IO_ERROR, "cannot open: " + ReleaseLister.describe(e));
        }
    }

    private static ModuleError error(String rel, long size, ErrorKind kind, String message) {
        return new ModuleError(rel, ModuleNames.fromPath(rel), Math.max(0, size), false, null, kind,
                rel + ": " + message);
    }

    static void builtinRows(long maxSize, FileTask t, Configuration conf, Tables.Sink out) {
        byte[] data;
        try {
            data = readWhole(t, conf, maxSize);
        } catch (NotAFileException e) {
            Tables.error(null, t.path(), true, null, null, ErrorKind.NOT_A_FILE.label(),
                    t.path() + ": " + e.getMessage(), t.source(), out);
            return;
        } catch (NoSuchFileException e) {
            Tables.error(null, t.path(), true, null, null, ErrorKind.IO_ERROR.label(),
                    t.path() + ": no such file (removed, or a dangling link)", t.source(), out);
            return;
        } catch (IOException | RuntimeException e) {
            Tables.error(null, t.path(), true, null, null, ErrorKind.IO_ERROR.label(),
                    t.path() + ": cannot read: " + ReleaseLister.describe(e), t.source(), out);
            return;
        }
        if (data == null) {
            Tables.error(null, t.path(), true, null, null, ErrorKind.SIZE_LIMIT.label(),
                    t.path() + ": larger than the limit of " + maxSize + " bytes", t.source(), out);
            return;
        }
        builtinRows(t.path(), BuiltinModinfo.parse(t.path(), data), t.source(), out);
    }

    /** The rows of a parsed modules.builtin.modinfo: its modules in name order, then its bad strings. */
    static void builtinRows(String path, BuiltinModinfo.Result parsed, String source, Tables.Sink out) {
        // in module order, as the files of a tree are in path order
        parsed.modules().stream().sorted(Comparator.comparing(ModuleInfo::name))
                .forEach(m -> Tables.rows(m, source, out));
        for (String bad : parsed.rejected()) {
            Tables.error(null, path, true, null, null, Tables.BAD_BUILTIN_STRING,
                    path + ": malformed string '" + bad + "' (expected module.key=value)", source, out);
        }
    }

    /**
     * The whole file, or null when it is larger than {@code maxSize}. A local file that is not a
     * regular file (a directory, or a FIFO, which would block the read) is refused unopened.
     */
    private static byte[] readWhole(FileTask t, Configuration conf, long maxSize)
            throws IOException, NotAFileException {
        if (t.local()) {
            Path file = Paths.get(t.root(), t.path());
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                throw new NotAFileException("is " + (a.isDirectory() ? "a directory"
                        : "not a regular file (FIFO, socket or device)"));
            }
            if (a.size() > maxSize) {
                return null;
            }
            return Files.readAllBytes(file);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(t.root()),
                t.path());
        FileSystem fs = p.getFileSystem(conf);
        long len = fs.getFileStatus(p).getLen();
        if (len > maxSize || len > Integer.MAX_VALUE - 16) {
            return null;
        }
        byte[] b = new byte[(int) len];
        try (InputStream in = fs.open(p)) {
            int off = 0;
            while (off < b.length) {
                int n = in.read(b, off, b.length - off);
                if (n < 0) {
                    throw new java.io.EOFException("file shrank while reading: " + off + " of " + len + " bytes");
                }
                off += n;
            }
        }
        return b;
    }
}
