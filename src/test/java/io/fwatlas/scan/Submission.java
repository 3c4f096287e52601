package io.fwatlas.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jobs/fwatlas-submit ARGS} as a child process without SPARK_HOME (so SparkSubmit runs from
 * the Maven class path): its output lines are kept and copied to a log file.
 */
final class Submission implements AutoCloseable {
    static final Path SCRIPT = Paths.get("jobs", "fwatlas-submit").toAbsolutePath();

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private Thread reader;

    private Submission(Process process) {
        this.process = process;
    }

    static Submission start(Path log, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SCRIPT.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        StandaloneCluster.environment(pb.environment(), null);
        pb.environment().remove("SPARK_HOME");
        Submission s = new Submission(pb.start());
        Files.createDirectories(log.getParent());
        s.reader = new Thread(() -> s.pump(log), "submit-output");
        s.reader.setDaemon(true);
        s.reader.start();
        return s;
    }

    private void pump(Path log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter w = new PrintWriter(Files.newBufferedWriter(log), true)) {
            w.println("$ " + String.join(" ", process.info().commandLine().orElse("jobs/fwatlas-submit ...")));
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                w.println(l);
                synchronized (lines) {
                    lines.add(l);
                }
            }
        } catch (IOException e) {
            synchronized (lines) {
                lines.add("submit-output: " + e);
            }
        }
    }

    /** Waits for the end and returns the exit code; kills the process after {@code seconds}. */
    int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("fwatlas-submit did not finish in " + seconds + " s:\n" + output());
        }
        reader.join(10_000); // the rest of the output
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
