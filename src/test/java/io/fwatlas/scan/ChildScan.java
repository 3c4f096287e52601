package io.fwatlas.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code fwatlas ARGS} in a child JVM of its own, its output (stdout and stderr) collected line by line. */
final class ChildScan implements AutoCloseable {
    final Process process;
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ChildScan(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the child was killed
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code fwatlas ARGS} with the JVM options {@code jvm} and this JVM's class path. */
    static ChildScan start(List<String> jvm, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dspark.ui.showConsoleProgress=false"));
        cmd.addAll(jvm);
        cmd.add("io.fwatlas.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(SparkSetup.CONF_DIR_ENV);
        return new ChildScan(pb.start());
    }

    /** Waits until a line containing {@code text} appears; false when the child ended or time ran out first. */
    boolean await(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (lines.stream().anyMatch(l -> l.contains(text))) {
                return true;
            }
            if (!process.isAlive()) {
                reader.join(5000);
                return lines.stream().anyMatch(l -> l.contains(text));
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The exit code, once the child ends within {@code seconds}. */
    int exit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child still running after " + seconds + " s:\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    String output() {
        return String.join("\n", lines);
    }

    long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
