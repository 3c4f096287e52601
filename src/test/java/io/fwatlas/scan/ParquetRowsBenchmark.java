package io.fwatlas.scan;

import io.fwatlas.module.ModuleReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * CPU per row of {@link ParquetRows} on real rows: the rows one release's modules give a table
 * ({@link Tables#rows}, as a scan makes them, built-in modules included), written in their order
 * into a new local Parquet file, {@value #ROWS} rows per invocation (the release's rows in turn,
 * from the start again when they run out), file closed. The score is time per row. The release is
 * {@code -p release=DIR}, else FWATLAS_BENCH_RELEASE; {@code -p table=modinfo|modules|firmware},
 * {@code -p codec=SNAPPY|ZSTD|UNCOMPRESSED|...}.
 * In package scan because the writer is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ParquetRowsBenchmark {
    static final int ROWS = 100_000;

    @Param("")
    public String release;

    @Param({"modinfo"})
    public String table;

    /**
     * Rows per file: the {@value #ROWS} rows go to as many files as this takes. A scan's bin of a
     * plain release writes about 13,000 modinfo rows to its file.
     */
    @Param({"100000"})
    public int rowsPerFile;

    /** The codec; the scan's is {@link ParquetRows#CODEC}. */
    @Param({"SNAPPY"})
    public String codec;

    private Object[][] rows;
    private Path tempDir;
    private FileSystem fs;
    private final Configuration conf = new Configuration();
    private int file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String dir = !release.isEmpty() ? release : System.getenv().getOrDefault("FWATLAS_BENCH_RELEASE", "");
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("name a release directory: -p release=DIR or FWATLAS_BENCH_RELEASE");
        }
        Path root = Path.of(dir).toAbsolutePath();
        List<Object[]> all = new ArrayList<>();
        Map<String, Integer> tables = new HashMap<>();
        ModuleReader reader = new ModuleReader();
        Tables.Sink sink = (t, row) -> {
            tables.merge(t, 1, Integer::sum);
            if (t.equals(table)) {
                all.add(row);
            }
        };
        String source = root.toString();
        for (FileTask t : ReleaseLister.listLocal(new Release(root.getFileName().toString(), source, true))) {
            String rel = t.path();
            if (t.kind() == FileTask.Kind.BUILTIN_MODINFO) {
                ReadModules.builtinRows(rel, io.fwatlas.module.BuiltinModinfo.parse(rel, Files.readAllBytes(root.resolve(rel))),
                        source, sink);
            } else if (t.kind() == FileTask.Kind.MODULE) {
                Tables.rows(reader.readFile(root.resolve(rel), rel), source, sink);
            }
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("no " + table + " rows in " + root + " (rows by table: " + tables + ")");
        }
        rows = all.toArray(new Object[0][]);
        tempDir = Files.createTempDirectory("fwatlas-parquet-bench");
        fs = TableLayout.of(TableLayout.location(tempDir.toString()), conf).fs();
        System.out.printf("%n%s: %d %s rows of %s (rows by table: %s)%n", table, rows.length, table, root, tables);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (rowsPerFile >= ROWS) {
            System.out.printf("%n%s, %s: %d bytes for %d rows%n", table, codec, Files.size(tempDir.resolve("t0.parquet")),
                    ROWS);
        }
        try (Stream<Path> walk = Files.walk(tempDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long write() throws IOException {
        long bytes = 0;
        for (int first = 0; first < ROWS; first += rowsPerFile) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(tempDir.toUri().toString(),
                    "t" + (file++ % 4) + ".parquet");
            try (ParquetRows w = ParquetRows.create(fs, path, Tables.schema(table), conf,
                    org.apache.parquet.hadoop.metadata.CompressionCodecName.valueOf(codec), ParquetRows.ROW_GROUP_BYTES)) {
                for (int i = first; i < Math.min(ROWS, first + rowsPerFile); i++) {
                    w.write(rows[i % rows.length]);
                }
                bytes += w.dataSize();
            }
        }
        return bytes;
    }
}
