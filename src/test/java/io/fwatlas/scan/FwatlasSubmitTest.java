package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/fwatlas-submit's refusals of its own arguments: exit 2 and one line, before any build.
 * (Submitting is tested by FwatlasSubmitIT and the cluster tests, after package.)
 */
class FwatlasSubmitTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Submission.SCRIPT.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("SPARK_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "fwatlas-submit hangs");
        return new Result(p.exitValue(), out, err);
    }

    private static void assertRefused(String message, Result r) {
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("fwatlas-submit: "), r.err());
        assertTrue(r.err().contains(message), "want '" + message + "' in: " + r.err());
    }

    @Test
    void missingSeparator() throws Exception {
        assertRefused("missing '--' between the spark-submit options and the fwatlas command",
                run(Map.of(), "--master", "yarn", "scan", "--output", "out", "in"));
    }

    @Test
    void noCommandAfterTheSeparator() throws Exception {
        assertRefused("no fwatlas command after '--'", run(Map.of(), "--master", "yarn", "--"));
    }

    @Test
    void optionWhereTheCommandBelongs() throws Exception {
        assertRefused("'--output' after '--': the fwatlas command comes first",
                run(Map.of(), "--", "--output", "out", "scan"));
    }

    @Test
    void mainClassIsNotTheUsers() throws Exception {
        assertRefused("--class is set by fwatlas-submit", run(Map.of(), "--class", "x.Y", "--", "scan"));
    }

    @Test
    void missingPropertiesFile() throws Exception {
        Path missing = tmp.resolve("nope.conf");
        assertRefused("--properties-file " + missing + ": no such readable file",
                run(Map.of(), "--properties-file", missing.toString(), "--", "scan"));
        assertRefused("--properties-file needs a file", run(Map.of(), "--properties-file"));
    }

    @Test
    void sparkHomeWithoutSparkSubmit() throws Exception {
        assertRefused("SPARK_HOME=" + tmp + " has no bin/spark-submit",
                run(Map.of("SPARK_HOME", tmp.toString(), "FWATLAS_SUBMIT_ECHO", "1"), "--", "scan"));
    }

    @Test
    void driverMemoryThatIsNoSize() throws Exception {
        assertRefused("--driver-memory 'lots' is not a size such as 2g or 1536m",
                run(Map.of(), "--driver-memory", "lots", "--", "scan"));
    }

    @Test
    void helpIsUsage() throws Exception {
        Result r = run(Map.of(), "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("usage: jobs/fwatlas-submit [spark-submit options] -- COMMAND"), r.out());
    }
}
