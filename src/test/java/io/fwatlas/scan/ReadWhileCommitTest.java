package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.cli.Main;
import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.testfs.PausingFileSystem;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query kernels} run again and again while other JVMs commit into the same table, each
 * commit held mid-swap for a while (pausefile): every answer is the whole state of one commit
 * (the table as variant A or as variant B, which differ in both kernels), never a mix, a missing
 * kernel or a failure.
 */
class ReadWhileCommitTest {
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

    record Answer(int code, String out, String err) {
    }

    static Answer query(Path table) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("query", "--table", table.toString(), "kernels");
        return new Answer(code, out.toString(), err.toString());
    }

    /** The two sample mirror releases; variant B lacks one module of each. */
    private static Path variant(String name, boolean trimmed) throws Exception {
        Path root = tmp.resolve(name);
        for (String r : List.of(SampleGenerator.S390, SampleGenerator.ARM)) {
            Path to = root.resolve(Path.of(r).getFileName().toString());
            Files.createDirectories(to.getParent());
            ScanTestSupport.copyTree(ScanTestSupport.sample(r), to);
        }
        if (trimmed) {
            Files.delete(root.resolve("5.10.0-30-s390x/kernel/drivers/s390/net/qeth.ko"));
            Files.delete(root.resolve("4.9.0-13-armmp/kernel/drivers/usb/misc/usb3503.ko"));
        }
        return root;
    }

    @Test
    void everyAnswerIsOneWholeCommit() throws Exception {
        Path a = variant("a", false);
        Path b = variant("b", true);
        // the answers of the two states, from tables of their own (same inputs, same source column)
        Path onlyA = tmp.resolve("only-a");
        Path onlyB = tmp.resolve("only-b");
        assertEquals(0, ScanTestSupport.scan("-o", onlyA.toString(), a.toString()).code());
        assertEquals(0, ScanTestSupport.scan("-o", onlyB.toString(), b.toString()).code());
        String stateA = query(onlyA).out();
        String stateB = query(onlyB).out();
        assertNotEquals(stateA, stateB);

        Path table = tmp.resolve("shared");
        assertEquals(0, ScanTestSupport.scan("-o", table.toString(), a.toString()).code());
        List<String> writers = new ArrayList<>();
        CompletableFuture<Void> commits = CompletableFuture.runAsync(() -> {
            try {
                for (Path in : List.of(b, a, b)) {
                    try (ChildScan c = ChildScan.start(List.of("-D" + PausingFileSystem.AT_PROPERTY + "="
                                    + PausingFileSystem.MID_SWAP, "-D" + PausingFileSystem.MILLIS_PROPERTY + "=400"),
                            "scan", "--master", "local[1]", "-o", PausingFileSystem.uri(table), in.toString())) {
                        int code = c.exit(300);
                        writers.add(c.output());
                        if (code != 0) {
                            throw new AssertionError("a writer failed:\n" + c.output());
                        }
                    }
                }
            } catch (InterruptedException | java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        int answers = 0;
        int waited = 0;
        String last = stateA;
        int changes = 0;
        while (!commits.isDone()) {
            Answer r = query(table);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().equals(stateA) || r.out().equals(stateB), "an answer that is no commit's state:\n"
                    + r.out() + "\nA:\n" + stateA + "\nB:\n" + stateB);
            if (!r.out().equals(last)) {
                changes++;
                last = r.out();
            }
            answers++;
            if (r.err().contains("waiting for run")) {
                waited++;
            }
        }
        commits.get(10, TimeUnit.SECONDS);
        assertEquals(3, writers.size());
        assertEquals(stateB, query(table).out(), "the last commit's state");
        assertTrue(answers >= 3, "only " + answers + " answers while three commits ran");
        assertTrue(waited + changes >= 1, "no answer overlapped a commit (" + answers + " answers)");
    }
}
