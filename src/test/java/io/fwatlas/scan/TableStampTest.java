package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code OUT/_SUCCESS}: each commit raises the generation; readers wait for a commit under way. */
class TableStampTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;

    @BeforeAll
    static void setUp() {
        spark = ScanTestSupport.spark();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static JsonNode stamp(Path out) throws Exception {
        return new ObjectMapper().readTree(Files.readString(out.resolve("_SUCCESS")));
    }

    private static TableLayout layout(Path out) throws Exception {
        return TableLayout.of(TableLayout.location(out.toString()), new Configuration());
    }

    @Test
    void everyCommitWritesTheNextGenerationLast() throws Exception {
        Path out = tmp.resolve("gen");
        String mirror = ScanTestSupport.SAMPLES.resolve("mirror").toString();
        assertEquals(0, ScanTestSupport.scan("-o", out.toString(), mirror).code());
        JsonNode first = stamp(out);
        assertEquals(1, first.path("generation").asLong());
        assertEquals("fwatlas-tables", first.path("format").asText());
        assertEquals(ScanTestSupport.scan("-o", out.toString(), mirror).code(), 0);
        JsonNode second = stamp(out);
        assertEquals(2, second.path("generation").asLong());
        assertFalse(first.path("run").asText().equals(second.path("run").asText()));
        try (var s = Files.list(out.resolve("modinfo"))) {
            assertEquals(s.count(), second.path("kernels").asLong());
        }
        assertFalse(Files.exists(out.resolve("_staging")), "staging removed");

        // an incremental run with nothing to do commits nothing: the stamp stays
        assertEquals(0, ScanTestSupport.scan("--incremental", "-o", out.toString(), mirror).code());
        assertEquals(second, stamp(out));

        TableStamp.Token t = TableStamp.await(layout(out), Duration.ZERO, null);
        assertEquals(2, t.generation());
        assertTrue(TableStamp.unchanged(layout(out), t));
        assertEquals(0, ScanTestSupport.scan("-o", out.toString(), mirror).code());
        assertFalse(TableStamp.unchanged(layout(out), t), "a commit ran since the token was taken");
    }

    @Test
    void aReaderWaitsForACommitUnderWayAndFailsOnOneWhoseWriterIsGone() throws Exception {
        Path out = tmp.resolve("wait");
        assertEquals(0, ScanTestSupport.scan("-o", out.toString(),
                ScanTestSupport.SAMPLES.resolve("mirror").toString()).code());
        String success = Files.readString(out.resolve("_SUCCESS"));
        // a commit past its commit point: journal written, stamp removed, lock held by this live process
        Path run = Files.createDirectories(out.resolve("_staging/run-x"));
        Files.writeString(run.resolve("_commit.json"), "{\"run\":\"run-x\",\"generation\":2,\"entries\":[]}");
        Files.delete(out.resolve("_SUCCESS"));
        Files.writeString(out.resolve("_lock"), "{\"run\":\"run-x\",\"pid\":" + ProcessHandle.current().pid()
                + ",\"host\":\"" + TableLock.host() + "\"}");
        StringWriter said = new StringWriter();
        CompletableFuture<TableStamp.Token> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return TableStamp.await(layout(out), Duration.ofSeconds(30), new PrintWriter(said, true));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(800);
        assertFalse(reader.isDone(), "read while a commit was under way");
        Files.writeString(out.resolve("_SUCCESS"), success.replace("\"generation\" : 1", "\"generation\" : 2"));
        assertEquals(2, reader.get(10, TimeUnit.SECONDS).generation());
        assertEquals("fwatlas: waiting for run run-x to finish its commit into " + layout(out).out() + "\n",
                said.toString());

        // the writer is gone: no waiting, a message that says what will finish the commit
        Files.delete(out.resolve("_SUCCESS"));
        Files.delete(out.resolve("_lock"));
        ScanException e = assertThrows(ScanException.class,
                () -> TableStamp.await(layout(out), Duration.ofSeconds(30), null));
        assertEquals("table " + layout(out).out() + " holds the unfinished commit of run run-x, whose writer is gone; "
                + "the next scan into it finishes the commit", e.getMessage());
        assertEquals(ScanException.FAILURE, e.exitCode());
    }
}
