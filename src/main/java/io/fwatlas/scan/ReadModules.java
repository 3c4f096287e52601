package io.fwatlas.scan;

import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleError;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleNames;
import io.fwatlas.module.ModuleReader;
import io.fwatlas.module.ModuleResult;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Executor side of stage 2: reads every file of a partition's bins and emits {@link ScanRows}.
 * Files are read one at a time as the iterator is pulled, so a partition never holds more than one
 * module's rows. Nothing a file contains can fail the task: every fault becomes an error row.
 */
public final class ReadModules implements FlatMapFunction<Iterator<List<FileTask>>, Row> {
    private static final long serialVersionUID = 1L;

    private final ModuleReader reader;
    /** Null when every release is local. */
    private final Broadcast<SerializableConfiguration> hadoopConf;

    public ReadModules(long maxModuleSize, Broadcast<SerializableConfiguration> hadoopConf) {
        this.reader = new ModuleReader(maxModuleSize);
        this.hadoopConf = hadoopConf;
    }

    @Override
    public Iterator<Row> call(Iterator<List<FileTask>> bins) {
        Configuration conf = hadoopConf == null ? null : hadoopConf.value().value();
        return new Iterator<>() {
            private Iterator<FileTask> files = Collections.emptyIterator();
            private final Deque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (ready.isEmpty()) {
                    while (!files.hasNext()) {
                        if (!bins.hasNext()) {
                            return false;
                        }
                        files = bins.next().iterator();
                    }
                    ready.addAll(rows(reader, files.next(), conf));
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** Every row of one file. */
    public static List<Row> rows(ModuleReader reader, FileTask t, Configuration conf) {
        TestDelay.beforeRead();
        switch (t.kind()) {
            case LIST_ERROR:
                return List.of(ScanRows.error(t.kernel(), null, t.path(), false, null, null,
                        ErrorKind.IO_ERROR.label(), t.path() + ": " + t.problem()));
            case BUILTIN_MODINFO:
                return builtinRows(reader.maxSize(), t, conf);
            default:
                return ScanRows.of(t.kernel(), readModule(reader, t, conf));
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

    static List<Row> builtinRows(long maxSize, FileTask t, Configuration conf) {
        byte[] data;
        try {
            data = readWhole(t, conf, maxSize);
        } catch (IOException | RuntimeException e) {
            return List.of(ScanRows.error(t.kernel(), null, t.path(), true, null, null, ErrorKind.IO_ERROR.label(),
                    t.path() + ": cannot read: " + ReleaseLister.describe(e)));
        }
        if (data == null) {
            return List.of(ScanRows.error(t.kernel(), null, t.path(), true, null, null,
                    ErrorKind.SIZE_LIMIT.label(), t.path() + ": larger than the limit of " + maxSize + " bytes"));
        }
        BuiltinModinfo.Result parsed = BuiltinModinfo.parse(t.path(), data);
        List<Row> out = new ArrayList<>();
        for (ModuleInfo m : parsed.modules()) {
            out.addAll(ScanRows.of(t.kernel(), m));
        }
        for (String bad : parsed.rejected()) {
            out.add(ScanRows.error(t.kernel(), null, t.path(), true, null, null, ScanRows.BAD_BUILTIN_STRING,
                    t.path() + ": malformed string '" + bad + "' (expected module.key=value)"));
        }
        return out;
    }

    /** The whole file, or null when it is larger than {@code maxSize}. */
    private static byte[] readWhole(FileTask t, Configuration conf, long maxSize) throws IOException {
        if (t.local()) {
            Path file = Paths.get(t.root(), t.path());
            if (Files.size(file) > maxSize) {
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
