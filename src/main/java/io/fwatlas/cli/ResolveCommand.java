package io.fwatlas.cli;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.FirmwareResolver;
import io.fwatlas.query.QueryException;
import io.fwatlas.query.Resolve;
import io.fwatlas.query.ResolvedInfo;
import io.fwatlas.query.ResultWriter;
import io.fwatlas.scan.Plural;
import io.fwatlas.scan.SparkSetup;
import io.fwatlas.scan.TableStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fwatlas resolve --table OUT --firmware-dir DIR...}: resolves every firmware row as dracut
 * would, writes {@code OUT/resolved} and prints what is not found, per kernel. Exit codes: 0
 * done (missing firmware is a result, not a failure); 2 unusable arguments; 1 failure.
 */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = "Resolve every firmware name as dracut does, against firmware directories or the firmware "
                + "packages scanned into the table; write OUT/resolved.")
public final class ResolveCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "OUT", description = "Table directory.")
    String table;

    @Option(names = "--firmware-dir", arity = "1..*", paramLabel = "DIR",
            description = "Firmware directories (like /lib/firmware), searched in order. Without: the firmware "
                    + "packages and directories the table's scans recorded (OUT/firmware_files), each on its own.")
    List<String> firmwareDirs = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default local[*]).")
    String master;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to wait while another run writes the table (0, 30s, 10m, 2h). "
                    + "Default: ${DEFAULT-VALUE}.")
    String lockWait;

    @Option(names = "--list", description = "Also print every name not found, per kernel, with its modules "
            + "(else: fwatlas query missing).")
    boolean list;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String confDir = System.getenv(SparkSetup.CONF_DIR_ENV);
        SparkSetup.configureLogging(confDir);
        List<Path> dirs = new ArrayList<>();
        for (String d : firmwareDirs) {
            Path p = Paths.get(d);
            if (!Files.isDirectory(p)) {
                err.println("fwatlas resolve: firmware directory " + d + " is not a directory");
                return QueryException.USAGE;
            }
            dirs.add(p.toAbsolutePath());
        }
        java.time.Duration wait;
        try {
            wait = WaitTime.parse("--lock-wait", lockWait);
        } catch (IllegalArgumentException e) {
            err.println("fwatlas resolve: " + e.getMessage());
            return QueryException.USAGE;
        }
        TableSession session = null;
        AtomicReference<TableStore> open = new AtomicReference<>();
        TableStore store = null;
        try (Interrupt watch = Interrupt.watch(err, "fwatlas resolve", () -> open.get() == null
                ? table + " was not changed" : open.get().interruptedState())) {
            session = TableSession.open("fwatlas-resolve", master, table, confDir);
            SparkSession spark = session.spark;
            // resolve writes OUT/resolved: it holds the lock while it reads, so no commit runs meanwhile
            AtlasTables.check(table, spark.sparkContext().hadoopConfiguration());
            store = TableStore.open(table, spark.sparkContext().hadoopConfiguration(), err, wait, "fwatlas resolve");
            open.set(store);
            AtlasTables tables = AtlasTables.open(spark, table);
            Dataset<Row> files = null;
            if (dirs.isEmpty()) {
                files = tables.firmwareFiles().cache();
                if (files.isEmpty()) {
                    err.println("fwatlas resolve: " + table + " has no firmware_files: scan firmware packages or "
                            + "directories into it first (scan --output " + table + " firmware-*.deb ...), or give "
                            + "--firmware-dir");
                    return QueryException.USAGE;
                }
            }
            Dataset<Row> resolved = (files == null ? Resolve.resolve(tables.firmware(), dirs)
                    : Resolve.resolveInPackages(tables.firmware(), files)).cache();
            List<String> sources = new ArrayList<>();
            if (files == null) {
                dirs.forEach(d -> sources.add(d.toString()));
            } else {
                for (Row r : files.select("package", "version").distinct().orderBy("package", "version")
                        .collectAsList()) {
                    sources.add(r.getString(0) + "_" + r.getString(1));
                }
            }
            Resolve.write(resolved, store, new ResolvedInfo(java.time.Instant.now(),
                    files == null ? ResolvedInfo.DIRECTORIES : ResolvedInfo.PACKAGES, sources));
            Map<String, Long> byStatus = new TreeMap<>();
            for (Row r : resolved.groupBy("status").count().collectAsList()) {
                byStatus.put(r.getString(0), r.getLong(1));
            }
            long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
            out.println("fwatlas resolve: " + Plural.of(total, "(kernel, module, firmware) row") + ": "
                    + byStatus.getOrDefault(FirmwareResolver.FOUND, 0L) + " found, "
                    + byStatus.getOrDefault(FirmwareResolver.MISSING, 0L) + " missing, "
                    + byStatus.getOrDefault(FirmwareResolver.GLOB_NO_MATCH, 0L) + " glob-no-match; table "
                    + tables.location() + "/" + AtlasTables.RESOLVED_TABLE);
            ResultWriter.Format format = System.console() != null ? ResultWriter.Format.TABLE
                    : ResultWriter.Format.TSV;
            if (files != null) {
                out.println("against the " + sources.size() + " firmware packages and directories of "
                        + tables.location() + "/firmware_files");
                Dataset<Row> perKernel = Resolve.missingPerKernel(resolved);
                out.println("firmware names missing from every package, per kernel:");
                ResultWriter.write(perKernel.schema().fields(), perKernel.collectAsList(), format, out);
                Dataset<Row> perProvider = Resolve.namesPerProvider(resolved);
                out.println("firmware names provided, per package:");
                ResultWriter.write(perProvider.schema().fields(), perProvider.collectAsList(), format, out);
                out.println("the missing names and the modules that need them: fwatlas query --table " + table
                        + " missing");
                out.flush();
                resolved.unpersist();
                files.unpersist();
                return 0;
            }
            List<Row> notFound = Resolve.notFound(resolved).collectAsList();
            if (!notFound.isEmpty() && list) {
                out.println("not found, per kernel:");
                ResultWriter.write(Resolve.notFound(resolved).schema().fields(), notFound, format, out);
            } else if (!notFound.isEmpty()) {
                long kernels = notFound.stream().map(r -> r.getString(0)).distinct().count();
                out.println("not found: " + Plural.of(notFound.size(), "name") + " in " + Plural.of(kernels, "kernel")
                        + "; list them with --list, or fwatlas query --table " + table + " missing");
            }
            out.flush();
            resolved.unpersist();
            return 0;
        } catch (Throwable e) {
            return Failures.report(err, "fwatlas resolve", e);
        } finally {
            err.flush();
            if (store != null) {
                store.close();
            }
            if (session != null) {
                session.close();
            }
        }
    }
}
