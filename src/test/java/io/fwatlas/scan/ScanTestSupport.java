package io.fwatlas.scan;

import io.fwatlas.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/** Shared pieces of the scan tests: the samples, a small Spark session, running the command. */
final class ScanTestSupport {
    static final Path SAMPLES = Paths.get("data-samples").toAbsolutePath();

    private ScanTestSupport() {
    }

    static Path sample(String release) {
        return SAMPLES.resolve(release);
    }

    static SparkSession spark() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("fwatlas-test")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    /** The outcome of one command run: exit code and what it printed. */
    record Run(int code, String out, String err) {
    }

    static Run scan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "scan";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    /** Table rows as Spark reads them back, in the given column order, sorted as strings. */
    static List<String> rows(SparkSession spark, Path out, String table, List<String> columns) {
        List<String> rows = new ArrayList<>();
        for (Row r : spark.read().parquet(out.resolve(table).toString())
                .selectExpr(columns.toArray(new String[0])).collectAsList()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                l.add(r.get(i));
            }
            rows.add(String.valueOf(l));
        }
        rows.sort(null);
        return rows;
    }

    /** Every file under a directory with its size and modification time, to prove it untouched. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    out.put(dir.relativize(p).toString(), a.size() + "@" + a.lastModifiedTime().toMillis());
                }
            }
        }
        return out;
    }

    /** A copy of a release directory, links copied as links. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(t, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }
}
