package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.TestSpark;
import io.fwatlas.scan.TableStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fwatlas resolve} over a small written table and a firmware tree made here. */
class ResolveCommandTest {
    static final String K1 = "6.1.0-9-amd64";
    static final String K2 = "6.1.0-10-amd64";
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path table;
    static Path fw;

    @BeforeAll
    static void setUp() throws IOException {
        spark = TestSpark.start();
        table = tmp.resolve("atlas");
        Files.createDirectories(table);
        Files.writeString(table.resolve("_fwatlas.json"), "{\"format\":\"fwatlas-tables\",\"version\":"
                + io.fwatlas.scan.TableStore.FORMAT_VERSION + "}");
        List<Row> rows = List.of(
                RowFactory.create(K1, "iwlwifi", "iwl-a.ucode", false, "x.ko", "/trees"),
                RowFactory.create(K1, "iwlwifi", "iwl-gone.ucode", false, "x.ko", "/trees"),
                RowFactory.create(K1, "ath11k_pci", "ath11k/*", false, "y.ko", "/trees"),
                RowFactory.create(K2, "iwlwifi", "iwl-a.ucode", false, "x.ko", "/trees"),
                RowFactory.create(K2, "iwlwifi", "iwl-gone.ucode", false, "x.ko", "/trees"),
                RowFactory.create(K2, "ath11k_pci", "ath12k/*", false, "y.ko", "/trees"));
        spark.createDataFrame(rows, AtlasTables.FIRMWARE).write().partitionBy("kernel")
                .parquet(table.resolve("firmware").toString());
        fw = tmp.resolve("fw");
        Files.createDirectories(fw.resolve("ath11k"));
        Files.writeString(fw.resolve("iwl-a.ucode.xz"), "x");
        Files.writeString(fw.resolve("ath11k/board.bin.zst"), "x");
        Files.createSymbolicLink(fw.resolve("iwl-gone.ucode"), Path.of("iwl-old.ucode"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void writesTheResolvedTableAndPrintsWhatIsMissing() throws IOException {
        String dangling = "dangling link " + fw.toRealPath() + "/iwl-gone.ucode";
        String summary = "fwatlas resolve: 6 (kernel, module, firmware) rows: 3 found, 2 missing, 1 glob-no-match; "
                + "table file:" + table + "/resolved";
        Run listed = run("resolve", "--table", table.toString(), "--firmware-dir", fw.toString(), "--list");
        assertEquals(0, listed.code(), listed.err());
        assertEquals(String.join("\n", summary,
                "not found, per kernel:",
                "kernel\tstatus\tfirmware\tmodules\tnotes",
                K1 + "\tmissing\tiwl-gone.ucode\tiwlwifi\t" + dangling,
                K2 + "\tglob-no-match\tath12k/*\tath11k_pci\t",
                K2 + "\tmissing\tiwl-gone.ucode\tiwlwifi\t" + dangling, ""), listed.out());
        // a second run replaces the table, it does not add to it; without --list it prints the summary only
        Run again = run("resolve", "--table", table.toString(), "--firmware-dir", fw.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(summary + "\nnot found: 3 names in 2 kernels; list them with --list, or fwatlas query --table "
                + table + " missing\n", again.out());
        Run missing = run("query", "--table", table.toString(), "missing");
        assertEquals(0, missing.code(), missing.err());
        assertEquals(String.join("\n", "kernel\tfirmware\tstatus\tmodules",
                K1 + "\tiwl-gone.ucode\tmissing\tiwlwifi",
                K2 + "\tath12k/*\tglob-no-match\tath11k_pci",
                K2 + "\tiwl-gone.ucode\tmissing\tiwlwifi", ""), missing.out());
        List<String> got = new ArrayList<>();
        for (Row r : AtlasTables.open(spark, table.toString()).resolved().orderBy("kernel", "firmware")
                .collectAsList()) {
            got.add(r.getString(0) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getList(4));
        }
        String real = fw.toRealPath().toString();
        assertEquals(List.of(
                K2 + " ath12k/* glob-no-match []",
                K2 + " iwl-a.ucode found [" + real + "/iwl-a.ucode.xz]",
                K2 + " iwl-gone.ucode missing []",
                K1 + " ath11k/* found [" + real + "/ath11k/board.bin.zst]",
                K1 + " iwl-a.ucode found [" + real + "/iwl-a.ucode.xz]",
                K1 + " iwl-gone.ucode missing []"), got);
        assertFalse(Files.exists(table.resolve("_lock")));
        assertFalse(Files.exists(table.resolve("_staging")));
        // what it was resolved against, for the report
        com.fasterxml.jackson.databind.JsonNode info = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                table.resolve("resolved").resolve(io.fwatlas.query.ResolvedInfo.FILE).toFile());
        assertEquals("directories", info.path("against").asText());
        assertEquals("[\"" + fw.toAbsolutePath() + "\"]", info.path("sources").toString());
        assertTrue(java.time.Duration.between(java.time.Instant.parse(info.path("resolved_at").asText()),
                java.time.Instant.now()).toMinutes() < 10, info.toString());
        Run sql = run("query", "--table", table.toString(), "sql",
                "SELECT status, count(*) AS n FROM resolved GROUP BY status ORDER BY status");
        assertEquals(0, sql.code(), sql.err());
        assertEquals("status\tn\nfound\t3\nglob-no-match\t1\nmissing\t2\n", sql.out());
    }

    @Test
    void aTableAnotherRunWritesIsOneLineThatNamesResolve() {
        try (TableStore scan = TableStore.open(table.toString(), new org.apache.hadoop.conf.Configuration(),
                new PrintWriter(new StringWriter()))) {
            Run r = run("resolve", "--table", table.toString(), "--firmware-dir", fw.toString(), "--lock-wait", "0");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("fwatlas resolve: another run is writing file:" + table + " (_lock held by run "
                    + scan.runId() + " (pid " + ProcessHandle.current().pid()), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        Run bad = run("resolve", "--table", table.toString(), "--lock-wait", "soon");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("fwatlas resolve: --lock-wait 'soon' "), bad.err());
    }

    @Test
    void refusesAMissingFirmwareDirectoryOrTable() {
        Run r = run("resolve", "--table", table.toString(), "--firmware-dir", tmp.resolve("nope").toString());
        assertEquals(2, r.code());
        assertEquals("fwatlas resolve: firmware directory " + tmp.resolve("nope") + " is not a directory\n", r.err());
        r = run("resolve", "--table", tmp.resolve("nothing").toString(), "--firmware-dir", fw.toString());
        assertEquals(2, r.code());
        assertEquals("fwatlas resolve: table " + tmp.resolve("nothing") + " does not exist\n", r.err());
    }
}
