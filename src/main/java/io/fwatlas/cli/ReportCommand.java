package io.fwatlas.cli;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.DeviceList;
import io.fwatlas.query.Devices;
import io.fwatlas.query.KernelRelease;
import io.fwatlas.query.Queries;
import io.fwatlas.query.QueryException;
import io.fwatlas.query.Report;
import io.fwatlas.scan.Plural;
import io.fwatlas.scan.SparkSetup;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fwatlas report --table OUT --out report.html}: one self-contained HTML page with the
 * firmware trend per flavour, the biggest changes and (after resolve) the missing firmware.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML report (opens offline) of the tables.")
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "OUT", description = "Table directory.")
    String table;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The HTML file to write.")
    String outFile;

    @Option(names = "--changes", paramLabel = "N", defaultValue = "20",
            description = "How many of the biggest changes to list (default ${DEFAULT-VALUE}).")
    int changes;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
    String master;

    @Option(names = "--devices", paramLabel = "FILE",
            description = "Add a support matrix of these devices: modaliases one per line, as for query device "
                    + "--modaliases (- for standard input).")
    String devicesFile;

    private static long supported(List<Row> summary) {
        return summary.stream().filter(r -> Devices.SUPPORTED.equals(r.getAs("status")))
                .map(r -> r.<String>getAs("modalias")).distinct().count();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String confDir = System.getenv(SparkSetup.CONF_DIR_ENV);
        SparkSetup.configureLogging(confDir);
        Path target = Paths.get(outFile).toAbsolutePath();
        if (Files.isDirectory(target) || !Files.isDirectory(target.getParent())) {
            err.println("fwatlas report: cannot write " + outFile + ": "
                    + (Files.isDirectory(target) ? "it is a directory" : "no directory " + target.getParent()));
            return QueryException.USAGE;
        }
        TableSession session = null;
        try (Interrupt watch = Interrupt.watch(err, "fwatlas report", () -> "nothing was changed; " + outFile
                + " is as it was")) {
            DeviceList devices = devicesFile == null ? null : DeviceList.read("--devices", devicesFile, System.in);
            session = TableSession.open("fwatlas-report", master, table, confDir);
            SparkSession spark = session.spark;
            Page page = AtlasTables.consistent(spark, table, err, t -> read(t, devices));
            List<Row> kernels = page.kernels();
            List<Row> changed = page.changed();
            List<Row> missing = page.missing();
            List<Row> support = page.support();
            String html = Report.html("fwatlas report: " + page.location(), kernels, changed, missing, page.sources(),
                    support, page.resolution());
            // write next to the target and rename, so a reader never sees half a page; created as any file
            // is (the umask decides, 0644 as a rule: createTempFile's 0600 kept the page from others)
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
            try {
                Files.writeString(tmp, html, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (page.resolution() != null && !page.resolution().stale().isEmpty()) {
                List<String> stale = page.resolution().stale();
                err.println("fwatlas report: the resolved table is older than " + Plural.of(stale.size(), "kernel")
                        + " of the table (" + String.join(", ", stale.subList(0, Math.min(5, stale.size())))
                        + (stale.size() > 5 ? ", ..." : "") + "); run fwatlas resolve again");
            }
            out.println("fwatlas report: " + Plural.of(kernels.size(), "kernel") + ", "
                    + Plural.of(changed.size(), "change")
                    + (missing == null ? ", no resolved table"
                    : ", missing firmware of " + Plural.of(missing.size(), "kernel"))
                    + (support == null ? ""
                    : ", " + supported(support) + " of " + Plural.of(devices.size(), "device") + " supported")
                    + "; wrote " + target);
            out.flush();
            return 0;
        } catch (Throwable e) {
            return Failures.report(err, "fwatlas report", e);
        } finally {
            err.flush();
            if (session != null) {
                session.close();
            }
        }
    }

    /** What the page shows, read from one state of the tables. */
    record Page(String location, List<Row> kernels, List<Row> changed, List<Row> missing, List<Row> sources,
                List<Row> support, Report.Resolution resolution) {
    }

    private Page read(AtlasTables t, DeviceList devices) {
        List<Row> kernels = Queries.kernels(t.firmware(), t.modules(), t.kernelNames(), null).collectAsList();
        if (kernels.isEmpty()) {
            throw QueryException.noMatch("the table holds no kernels");
        }
        List<Row> changed = Report.changes(t.firmware(), t.modules(), changes).collectAsList();
        Dataset<Row> resolved = t.resolved();
        List<Row> missing = null;
        List<Row> sources = null;
        if (resolved != null) {
            missing = new ArrayList<>(Report.missing(resolved).collectAsList());
            missing.sort((a, b) -> KernelRelease.compare(a.getString(0), b.getString(0)));
            // a resolved table written before providers were recorded has none
            if (!resolved.filter(org.apache.spark.sql.functions.col("providers").isNotNull()).isEmpty()) {
                sources = Report.sources(resolved).collectAsList();
            }
        }
        List<Row> support = devices == null ? null
                : Devices.summary(t, devices, List.of(), null).collectAsList();
        Report.Resolution resolution = resolved == null ? null
                : new Report.Resolution(t.resolvedInfo(), t.staleForResolved());
        return new Page(t.location().toString(), kernels, changed, missing, sources, support, resolution);
    }
}
