package io.fwatlas.bench;

import io.fwatlas.scan.FileTask;
import io.fwatlas.scan.Release;
import io.fwatlas.scan.ReleaseLister;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Executor-side listing of one release ({@link ReleaseLister#listLocal}, the java.nio walk),
 * directory cache warm. The release is {@code -p release=DIR}, else the environment variable
 * FWATLAS_BENCH_RELEASE; without either, a generated tree shaped like a Debian release
 * (about 4,000 modules in 400 directories) is used.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ListingBenchmark {
    @Param("")
    public String release;

    private Path tempDir;
    private Release target;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String dir = !release.isEmpty() ? release : System.getenv().getOrDefault("FWATLAS_BENCH_RELEASE", "");
        Path root;
        if (!dir.isEmpty()) {
            root = Path.of(dir).toAbsolutePath();
        } else {
            tempDir = Files.createTempDirectory("fwatlas-listing");
            root = generate(tempDir.resolve("6.1.0-bench-amd64"), 400, 10);
        }
        target = new Release(root.getFileName().toString(), root.toString(), true);
        List<FileTask> files = ReleaseLister.listLocal(target);
        System.out.printf("%nlisting %s: %d files%n", root, files.size());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (tempDir != null) {
            try (Stream<Path> walk = Files.walk(tempDir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Benchmark
    public List<FileTask> listRelease() {
        return ReleaseLister.listLocal(target);
    }

    /** kernel/dN/mM.ko files of a few bytes (listing reads no content), plus the modules.* files. */
    static Path generate(Path root, int dirs, int perDir) throws IOException {
        Files.createDirectories(root);
        for (String f : List.of("modules.dep", "modules.alias", "modules.builtin", "modules.builtin.modinfo")) {
            Files.writeString(root.resolve(f), "");
        }
        for (int d = 0; d < dirs; d++) {
            Path dir = Files.createDirectories(root.resolve("kernel/drivers/group" + d % 20 + "/d" + d));
            for (int m = 0; m < perDir; m++) {
                Files.write(dir.resolve("m" + d + "_" + m + ".ko"), new byte[] {0x7f, 'E', 'L', 'F'});
            }
        }
        return root;
    }
}
