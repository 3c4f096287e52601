package io.fwatlas.scan;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on loopback for the integration tests: a Master and N Workers, each
 * its own JVM started from the Maven-resolved Spark jars, with a SPARK_HOME under target/ whose
 * jars/ links to them (what a Worker needs to launch executors). Every process, executors
 * included, is stopped by {@link #close}, or by a shutdown hook if the test JVM ends first.
 * Logs go to {@code target/cluster-logs/NAME/}.
 */
final class StandaloneCluster implements AutoCloseable {
    static final Path TARGET = Paths.get("target").toAbsolutePath();
    /** The libraries the application jar carries: a cluster does not have them, so neither does this one. */
    private static final List<String> APP_JAR_LIBRARIES = List.of("picocli-", "commons-csv-", "bcprov-", "bcpkix-",
            "bcutil-", "jna-");
    private static final long START_SECONDS = 180;

    final Path logs;
    final Path home;
    final int masterPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-standalone-cluster");

    private StandaloneCluster(Path logs, Path home, int masterPort) {
        this.logs = logs;
        this.home = home;
        this.masterPort = masterPort;
    }

    /** Starts a Master and {@code workers} Workers of one core and 1 GiB each; waits until all registered. */
    static StandaloneCluster start(String name, int workers) throws Exception {
        Path logs = TARGET.resolve("cluster-logs").resolve(name);
        deleteTree(logs);
        Files.createDirectories(logs);
        StandaloneCluster c = new StandaloneCluster(logs, sparkHome(), freePort());
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            Path masterLog = logs.resolve("master.log");
            c.processes.add(c.launch(masterLog, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(c.masterPort), "--webui-port", "0"));
            c.await(masterLog, "I have been elected leader");
            for (int i = 1; i <= workers; i++) {
                Path log = logs.resolve("worker-" + i + ".log");
                Path work = Files.createDirectories(logs.resolve("work-" + i));
                Process w = c.launch(log, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--port", "0", "--webui-port", "0", "--cores", "1", "--memory", "1g",
                        "--work-dir", work.toString(), c.masterUrl());
                c.processes.add(w);
                c.workers.add(w);
            }
            for (int i = 1; i <= workers; i++) {
                c.await(logs.resolve("worker-" + i + ".log"), "Successfully registered with master");
            }
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Executor JVMs (CoarseGrainedExecutorBackend) that this cluster's workers started and that still run. */
    List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process w : workers) {
            w.descendants().filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(out::add);
        }
        return out;
    }

    /** The executor JVM with the given Spark executor id, if it runs. */
    Optional<ProcessHandle> executor(String id) {
        return executors().stream().filter(p -> p.info().arguments().map(a -> executorId(a).equals(id)).orElse(false))
                .findFirst();
    }

    private static String executorId(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--executor-id")) {
                return args[i + 1];
            }
        }
        return "";
    }

    /** The stderr files of every executor the workers ran: work-N/APP/EXECUTOR/stderr. */
    List<Path> executorLogs() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(logs)) {
            s.filter(p -> p.getFileName().toString().equals("stderr") && p.getParent().getParent() != null
                    && p.getParent().getParent().getFileName().toString().startsWith("app-")).forEach(out::add);
        }
        return out;
    }

    private Process launch(Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(javaWithSparkOptions());
        cmd.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", home.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        environment(pb.environment(), home);
        return pb.start();
    }

    /** What every cluster process and spark-submit need: Spark's home and Scala version, loopback only. */
    static void environment(Map<String, String> env, Path sparkHome) {
        env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.equals(SparkSetup.CONF_DIR_ENV));
        if (sparkHome != null) {
            env.put("SPARK_HOME", sparkHome.toString());
        }
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        env.put("SPARK_LOG_DIR", TARGET.resolve("cluster-logs").toString());
    }

    /** java and the module options this test JVM was started with (Spark's, from the pom). */
    static List<String> javaWithSparkOptions() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
                cmd.add(a);
            }
        }
        return cmd;
    }

    private void await(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
                return;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process died (exit " + p.exitValue() + "); see "
                            + logs);
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + line + "' in " + log + " after " + START_SECONDS + " s");
    }

    /**
     * A SPARK_HOME for the Workers: target/spark-home/jars links to every jar of the Maven
     * runtime class path except those the application jar brings along.
     */
    static synchronized Path sparkHome() throws IOException {
        Path home = TARGET.resolve("spark-home");
        Path jars = home.resolve("jars");
        deleteTree(home);
        Files.createDirectories(jars);
        Path cp = TARGET.resolve("runtime-classpath.txt");
        if (!Files.isRegularFile(cp)) {
            throw new IllegalStateException(cp + " is missing: run the integration tests with mvn verify");
        }
        for (String entry : Files.readString(cp).strip().split(":")) {
            Path jar = Paths.get(entry);
            String name = jar.getFileName().toString();
            if (name.endsWith(".jar") && APP_JAR_LIBRARIES.stream().noneMatch(name::startsWith)) {
                Files.createSymbolicLink(jars.resolve(name), jar);
            }
        }
        return home;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    /** Executors first (their workers would start new ones), then workers, then the master. */
    private void stopAll() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
