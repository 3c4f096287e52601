package io.fwatlas.scan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times one scan on a fresh standalone cluster of N one-core workers (docs/SCALING.md):
 * {@code java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) <module options>
 * io.fwatlas.scan.ClusterScaling WORKERS OUT INPUT...}, after {@code mvn package}. Prints the
 * submission's wall time and the scan's own summary lines.
 */
public final class ClusterScaling {
    private ClusterScaling() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: ClusterScaling WORKERS OUT INPUT...");
            System.exit(2);
        }
        int workers = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]).toAbsolutePath();
        StandaloneCluster.deleteTree(out);
        try (StandaloneCluster c = StandaloneCluster.start("scaling-" + workers, workers)) {
            List<String> submit = new ArrayList<>(List.of("--master", c.masterUrl(),
                    "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                    "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                    "--executor-memory", "768m", "--total-executor-cores", Integer.toString(workers),
                    "--", "scan", "--output", out.toString()));
            for (int i = 2; i < args.length; i++) {
                submit.add(Path.of(args[i]).toAbsolutePath().toString());
            }
            long t0 = System.nanoTime();
            try (Submission s = Submission.start(c.logs.resolve("submit.log"), submit)) {
                int code = s.await(3600);
                double wall = (System.nanoTime() - t0) / 1e9;
                s.output().lines().filter(l -> l.startsWith("fwatlas scan:")).forEach(System.out::println);
                System.out.printf("workers=%d exit=%d submit wall=%.1f s%n", workers, code, wall);
                if (code != 0) {
                    System.out.println(Files.readString(c.logs.resolve("submit.log")));
                    System.exit(1);
                }
            }
        }
    }
}
