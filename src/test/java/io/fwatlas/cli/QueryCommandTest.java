package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.KernelSummaryCheck;
import io.fwatlas.query.Queries;
import io.fwatlas.query.TestSpark;
import io.fwatlas.scan.KernelStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code fwatlas query} and the plain-SQL files, over one scan of data-samples. */
class QueryCommandTest {
    static final String K61 = "6.1.0-18-amd64";
    static final String K612 = "6.12.9+deb13-amd64";
    static SparkSession spark;
    static Path dir;
    static String table;

    record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void scanSamples() throws IOException {
        spark = TestSpark.start();
        dir = Files.createTempDirectory("fwatlas-query-test");
        table = dir.resolve("atlas").toString();
        Run scan = run("scan", "--output", table, Paths.get("data-samples").toAbsolutePath().toString());
        assertEquals(0, scan.code(), scan.err());
        scanSummary = scan.out().lines().filter(l -> l.startsWith("fwatlas scan: ") && l.contains(" kernels, "))
                .findFirst().orElseThrow();
    }

    static String scanSummary;

    /** The scan summary and query kernels count the same things: modules + built-ins, and error rows. */
    @Test
    void kernelsAddsUpToTheScanSummary() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(\\d+) kernels, (\\d+) modules, (\\d+) built-in modules, .*, (\\d+) errors, ").matcher(scanSummary);
        assertTrue(m.find(), scanSummary);
        Run r = run("query", "--table", table, "--csv", "kernels");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = r.out().lines().skip(1).map(l -> l.split(",")).toList();
        assertEquals(Long.parseLong(m.group(1)), rows.size());
        assertEquals(Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)),
                rows.stream().mapToLong(c -> Long.parseLong(c[2])).sum(), scanSummary + "\n" + r.out());
        assertEquals(Long.parseLong(m.group(4)), rows.stream().mapToLong(c -> Long.parseLong(c[7])).sum());
    }

    @AfterAll
    static void stop() throws IOException {
        spark.stop();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void kernelsPrintsEveryReleaseInOrderAsTsvOnAPipe() {
        Run r = run("query", "--table", table, "kernels");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "kernel\tflavour\tmodules\tmodules_with_firmware\tfirmware_rows\tdistinct_firmware\t"
                        + "builtin_firmware_rows\terrors",
                K61 + "\tamd64\t12\t8\t21\t19\t4\t0",
                K612 + "\tamd64\t8\t5\t14\t13\t0\t0",
                "4.9.0-13-armmp\tarmmp\t2\t1\t1\t1\t0\t0",
                "6.6.6-hostile\thostile\t10\t3\t5\t5\t1\t9",
                "5.10.0-30-s390x\ts390x\t3\t1\t3\t3\t0\t0", ""), r.out());
        Run amd = run("query", "kernels", "--table", table, "--flavour", "amd64", "--csv");
        assertEquals(0, amd.code(), amd.err());
        assertEquals(3, amd.out().split("\r\n").length);
        assertTrue(amd.out().startsWith("kernel,flavour,modules,"), amd.out());
    }

    /** A copy of the samples table without its recorded kernel stats, as a table written before them is. */
    static String withoutStats(String name) throws IOException {
        Path copy = dir.resolve(name);
        try (Stream<Path> s = Files.walk(Paths.get(table))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path to = copy.resolve(Paths.get(table).relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.getFileName().toString().equals(KernelStats.FILE)) {
                    Files.copy(p, to);
                }
            }
        }
        return copy.toString();
    }

    /** query kernels reads the recorded stats, and prints what the query over the rows prints, in every format. */
    @Test
    void kernelsFromTheRecordedStatsPrintWhatSparkComputesFromTheRows() throws IOException {
        KernelSummaryCheck.assertStatsMatchTheRows(spark, table);
        String old = withoutStats("no-stats");
        for (List<String> options : List.of(List.<String>of(), List.of("--csv"), List.of("--json"),
                List.of("--flavour", "amd64"), List.of("--flavour", "hostile", "--json"))) {
            List<String> a = new ArrayList<>(List.of("query", "--table", table, "kernels"));
            a.addAll(options);
            Run recorded = run(a.toArray(new String[0]));
            a.set(2, old);
            Run computed = run(a.toArray(new String[0]));
            assertEquals(0, recorded.code(), recorded.err());
            assertEquals(0, computed.code(), computed.err());
            assertEquals(computed.out(), recorded.out(), options.toString());
            assertEquals(computed.err(), recorded.err(), options.toString());
        }
        Run unknown = run("query", "--table", table, "kernels", "--flavour", "686");
        Run unknownComputed = run("query", "--table", old, "kernels", "--flavour", "686");
        assertEquals(2, unknown.code());
        assertEquals(unknownComputed.err(), unknown.err());
    }

    /** The stats are the answer when every kernel has them: a changed count shows. */
    @Test
    void kernelsAnswersFromTheStatsWhenEveryKernelHasThem() throws IOException {
        String edited = withoutStats("edited-stats");
        Path src = Paths.get(table, "modules", "kernel=" + K61, KernelStats.FILE);
        String json = Files.readString(src);
        assertTrue(json.contains("\"modules\":12,"), json);
        Files.writeString(Paths.get(edited, "modules", "kernel=" + K61, KernelStats.FILE),
                json.replace("\"modules\":12,", "\"modules\":999,"));
        Run r = run("query", "--table", edited, "kernels", "--csv");
        assertEquals(0, r.code(), r.err());
        // one kernel with stats is not enough: the others have none, so Spark counts the rows
        assertTrue(r.out().contains(K61 + ",amd64,12,"), r.out());
        for (String k : List.of(K612, "4.9.0-13-armmp", "6.6.6-hostile", "5.10.0-30-s390x")) {
            Files.copy(Paths.get(table, "modules", "kernel=" + k, KernelStats.FILE),
                    Paths.get(edited, "modules", "kernel=" + k, KernelStats.FILE));
        }
        r = run("query", "--table", edited, "kernels", "--csv");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(K61 + ",amd64,999,"), r.out());
    }

    @Test
    void whoNeedsAsJson() throws IOException {
        Run r = run("query", "--table", table, "--json", "who-needs", "iwlwifi-*");
        assertEquals(0, r.code(), r.err());
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertEquals(3, a.size());
        assertEquals("iwlwifi-9000-pu-b0-jf-b0-46.ucode", a.get(0).get("firmware").asText());
        assertEquals("iwlwifi", a.get(0).get("module").asText());
        assertEquals(1, a.get(0).get("kernels").asInt());
        assertEquals(K61, a.get(0).get("kernel_names").get(0).asText());
        // both amd64 releases ask for this one, in release order
        assertEquals("iwlwifi-cc-a0-77.ucode", a.get(1).get("firmware").asText());
        assertEquals(2, a.get(1).get("kernels").asInt());
        assertEquals("[\"" + K61 + "\",\"" + K612 + "\"]", a.get(1).get("kernel_names").toString());
    }

    @Test
    void sqlRunsOverTheViews() {
        Run r = run("query", "--table", table, "sql", "SELECT count(*) AS n, count(DISTINCT firmware) AS d FROM firmware");
        assertEquals(0, r.code(), r.err());
        assertEquals("n\td\n44\t39\n", r.out());
        Run bad = run("query", "--table", table, "sql", "SELECT nope FROM firmware");
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().startsWith("fwatlas query sql: "), bad.err());
    }

    @Test
    void sqlThatStartsWithACommentIsSqlAndAnOptionLikeWordIsNot() throws IOException {
        Run r = run("query", "--table", table, "sql", Files.readString(Paths.get("jobs/queries/kernels.sql")));
        assertEquals(0, r.code(), r.err());
        Run builtIn = run("query", "--table", table, "kernels");
        // the file's rows are the built-in query's without its flavour column, in kernel-string order
        List<String> want = builtIn.out().lines().skip(1).map(l -> l.replaceFirst("\t[^\t]*", "")).sorted().toList();
        assertEquals(want, r.out().lines().skip(1).toList());
        Run option = run("query", "--table", table, "sql", "--cvs");
        assertEquals(2, option.code());
        assertEquals("fwatlas query sql: unknown option '--cvs'; see 'fwatlas query sql --help'\n", option.err());
    }

    @Test
    void flavourIsRefusedByTheQueriesItWouldNotChange() {
        for (String[] q : List.of(new String[] {"diff", K61, K612}, new String[] {"who-needs", "iwlwifi*"},
                new String[] {"sql", "SELECT 1"}, new String[] {"missing"}, new String[] {"providers", "x"})) {
            List<String> args = new ArrayList<>(List.of("query", "--table", table, "--flavour", "amd64"));
            args.addAll(List.of(q));
            Run r = run(args.toArray(new String[0]));
            assertEquals(2, r.code(), q[0] + ": " + r.err());
            assertTrue(r.err().startsWith("fwatlas query " + q[0] + ": --flavour does not apply here: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void refusalsAreOneLine() throws IOException {
        Run missing = run("query", "--table", dir.resolve("none").toString(), "kernels");
        assertEquals(2, missing.code());
        assertEquals("fwatlas query kernels: table " + dir.resolve("none") + " does not exist\n", missing.err());

        Path plain = Files.createDirectories(dir.resolve("plain"));
        Files.writeString(plain.resolve("x.txt"), "x");
        Run notOurs = run("query", "--table", plain.toString(), "top");
        assertEquals(2, notOurs.code());
        assertEquals("fwatlas query top: table " + plain + " is not an fwatlas table (no _fwatlas.json)\n",
                notOurs.err());

        Run scheme = run("query", "--table", "hfds://nn/atlas", "kernels");
        assertEquals(2, scheme.code());
        assertEquals("fwatlas query kernels: table hfds://nn/atlas: unknown URI scheme 'hfds'; use a local path, "
                + "file://, hdfs:// or s3a:// (with hadoop-aws), or name its Hadoop file system with "
                + "spark.hadoop.fs.hfds.impl\n", scheme.err());

        Run unknown = run("query", "--table", table, "diff", K61, "6.2");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("fwatlas query diff: unknown kernel '6.2'; kernels: " + K61 + ", "
                + K612 + ", "), unknown.err());

        Run none = run("query", "--table", table, "history", "no-such-firmware*");
        assertEquals(1, none.code());
        assertEquals("fwatlas query history: no firmware name matches 'no-such-firmware*'\n", none.err());
        assertEquals("", none.out());

        Run flavour = run("query", "--table", table, "--flavour", "rt", "kernels");
        assertEquals(2, flavour.code());
        assertEquals("fwatlas query kernels: no kernel of flavour 'rt'; flavours: amd64, armmp, hostile, s390x\n",
                flavour.err());
    }

    @Test
    void diffBetweenTheAmd64Releases() {
        Run r = run("query", "--table", table, "diff", K61, K612);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("kind\tchange\tname\trelated", lines.get(0));
        assertTrue(lines.contains("firmware\tremoved\tiwlwifi-9000-pu-b0-jf-b0-46.ucode\tiwlwifi"), r.out());
        assertTrue(lines.contains("firmware\tadded\tiwlwifi-so-a0-gf-a0-89.ucode\tiwlwifi"), r.out());
        assertTrue(lines.contains("module\tlost\tiwlwifi\tiwlwifi-9000-pu-b0-jf-b0-46.ucode"), r.out());
        assertTrue(lines.contains("module\tgained\tiwlwifi\tiwlwifi-so-a0-gf-a0-89.ucode"), r.out());
    }

    /** The kernels read from the partition directories are the ones Spark finds in the rows. */
    @Test
    void kernelNamesFromTheDirectoriesAreTheKernelsOfTheRows() {
        AtlasTables t = AtlasTables.open(spark, table);
        List<String> fromRows = new ArrayList<>(Queries.kernels(t.firmware(), t.modules()));
        fromRows.sort(null);
        assertEquals(fromRows, t.kernelNames());
        assertEquals(5, fromRows.size());
    }

    /** Every jobs/queries/*.sql runs in Spark; kernels.sql agrees with the built-in query. */
    @Test
    void sqlFilesRunInSpark() throws IOException {
        AtlasTables t = AtlasTables.open(spark, table);
        t.registerViews();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Paths.get("jobs/queries"))) {
            s.filter(p -> p.toString().endsWith(".sql")).sorted().forEach(files::add);
        }
        assertEquals(7, files.size(), files.toString());
        for (Path f : files) {
            List<Row> rows = spark.sql(Files.readString(f)).collectAsList();
            assertTrue(!rows.isEmpty(), f + " returned no rows on data-samples");
        }
        Dataset<Row> fromFile = spark.sql(Files.readString(Paths.get("jobs/queries/kernels.sql")));
        Dataset<Row> builtIn = Queries.kernels(t.firmware(), t.modules(), null).drop("flavour");
        assertEquals(5, fromFile.count());
        assertEquals(0, fromFile.exceptAll(builtIn).count());
        assertEquals(0, builtIn.exceptAll(fromFile).count());
        List<Row> history = spark.sql(Files.readString(Paths.get("jobs/queries/history.sql"))).collectAsList();
        assertEquals("[iwlwifi-9000-pu-b0-jf-b0-46.ucode," + K61 + "," + K61 + ",1,0]", history.get(0).toString());
    }

    /**
     * DuckDB reads the Parquet files as they are (hive partitioning, kernel kept a string) and
     * every jobs/queries/*.sql gives there exactly the rows it gives in Spark, in the same order.
     */
    @Test
    void sqlFilesGiveTheSameRowsInDuckDb() throws Exception {
        AtlasTables t = AtlasTables.open(spark, table);
        t.registerViews();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement st = c.createStatement()) {
            for (String view : List.of("firmware", "modinfo", "modules")) {
                st.execute("CREATE VIEW " + view + " AS SELECT * FROM read_parquet('" + table + "/" + view
                        + "/*/*.parquet', hive_partitioning = true, hive_types = {'kernel': VARCHAR})");
            }
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(Paths.get("jobs/queries"))) {
                s.filter(p -> p.toString().endsWith(".sql")).sorted().forEach(files::add);
            }
            for (Path f : files) {
                String sql = Files.readString(f);
                List<String> inSpark = new ArrayList<>();
                for (Row r : spark.sql(sql).collectAsList()) {
                    List<String> v = new ArrayList<>();
                    for (int i = 0; i < r.length(); i++) {
                        v.add(String.valueOf(r.get(i)));
                    }
                    inSpark.add(String.join("|", v));
                }
                List<String> inDuck = new ArrayList<>();
                try (java.sql.ResultSet rs = st.executeQuery(sql)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        List<String> v = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            v.add(String.valueOf(rs.getObject(i)));
                        }
                        inDuck.add(String.join("|", v));
                    }
                }
                assertEquals(inSpark, inDuck, f.toString());
            }
        }
    }
}
