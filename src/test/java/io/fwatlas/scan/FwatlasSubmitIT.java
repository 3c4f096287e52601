package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What jobs/fwatlas-submit hands to spark-submit (a stand-in $SPARK_HOME/bin/spark-submit that
 * prints its arguments and the properties file it was given) and the driver JVM it starts itself
 * without SPARK_HOME. After package: the application jar must be current, or the script builds.
 */
class FwatlasSubmitIT {
    static final Path APP_JAR = StandaloneCluster.TARGET.resolve("fwatlas-0.1.0-SNAPSHOT-app.jar");
    static final Path DEFAULTS = Path.of("conf", "cluster", "defaults.conf").toAbsolutePath();

    @TempDir
    Path tmp;

    /** A SPARK_HOME whose spark-submit prints one argument a line, then the properties file's lines. */
    private Path fakeSparkHome() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("spark/bin"));
        Path script = bin.resolve("spark-submit");
        Files.writeString(script, """
                #!/bin/sh
                for a in "$@"; do printf 'arg %s\\n' "$a"; done
                while [ $# -gt 0 ]; do
                    if [ "$1" = --properties-file ]; then sed 's/^/prop /' "$2"; fi
                    shift
                done
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tmp.resolve("spark");
    }

    private static List<String> lines(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    @Test
    void sparkHomeGetsTheMainClassTheJarAndTheDefaultProperties() throws Exception {
        FwatlasSubmitTest.Result r = FwatlasSubmitTest.run(Map.of("SPARK_HOME", fakeSparkHome().toString()),
                "--master", "yarn", "--deploy-mode", "cluster", "--", "scan", "--output", "hdfs:///atlas",
                "hdfs:///mirror");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("--class", "io.fwatlas.cli.Main", "--properties-file", DEFAULTS.toString(),
                "--master", "yarn", "--deploy-mode", "cluster", APP_JAR.toString(),
                "scan", "--output", "hdfs:///atlas", "hdfs:///mirror"), lines(r.out(), "arg "));
        assertEquals(Files.readAllLines(DEFAULTS), lines(r.out(), "prop "));
    }

    @Test
    void repeatedPropertiesFilesAreMergedInOrder() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.conf"), "spark.executor.cores 4\nspark.executor.memory 4g\n");
        Path b = Files.writeString(tmp.resolve("b.conf"), "spark.executor.memory 8g\n");
        FwatlasSubmitTest.Result r = FwatlasSubmitTest.run(Map.of("SPARK_HOME", fakeSparkHome().toString()),
                "--properties-file", a.toString(), "--master", "local[2]", "--properties-file=" + b, "--",
                "scan", "-o", "out", "in");
        assertEquals(0, r.code(), r.err());
        List<String> args = lines(r.out(), "arg ");
        assertEquals(List.of("--class", "io.fwatlas.cli.Main", "--properties-file"), args.subList(0, 3));
        assertEquals(List.of("--master", "local[2]", APP_JAR.toString(), "scan", "-o", "out", "in"),
                args.subList(4, args.size()));
        // later files win where keys repeat: Java properties keep the last value
        List<String> props = lines(r.out(), "prop ").stream().filter(l -> l.startsWith("spark.")).toList();
        assertEquals(List.of("spark.executor.cores 4", "spark.executor.memory 4g", "spark.executor.memory 8g"), props);
        assertTrue(!Files.exists(Path.of(args.get(3))), "the merged file is left behind: " + args.get(3));
    }

    @Test
    void withoutSparkHomeTheDriverJvmTakesTheDriverOptions() throws Exception {
        FwatlasSubmitTest.Result r = FwatlasSubmitTest.run(Map.of("FWATLAS_SUBMIT_ECHO", "1"),
                "--master", "spark://127.0.0.1:7077", "--driver-memory", "3g",
                "--driver-java-options", "-Dfwatlas.a=1 -Dfwatlas.b=2", "--", "scan", "-o", "out", "in");
        assertEquals(0, r.code(), r.err());
        List<String> cmd = r.out().lines().toList();
        assertTrue(cmd.get(0).endsWith("java"), r.out());
        assertTrue(cmd.contains("-Xmx3g"), r.out());
        assertTrue(cmd.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), r.out());
        assertTrue(cmd.indexOf("-Dfwatlas.b=2") < cmd.indexOf("org.apache.spark.deploy.SparkSubmit"), r.out());
        String classpath = cmd.get(cmd.indexOf("-cp") + 1);
        assertEquals(Files.readString(StandaloneCluster.TARGET.resolve("runtime-classpath.txt")).strip(), classpath);
        assertEquals(List.of("org.apache.spark.deploy.SparkSubmit", "--class", "io.fwatlas.cli.Main",
                "--properties-file", DEFAULTS.toString(), "--master", "spark://127.0.0.1:7077", "--driver-memory", "3g",
                "--driver-java-options", "-Dfwatlas.a=1 -Dfwatlas.b=2", APP_JAR.toString(), "scan", "-o", "out", "in"),
                cmd.subList(cmd.indexOf("org.apache.spark.deploy.SparkSubmit"), cmd.size()));
    }
}
