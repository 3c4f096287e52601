package io.fwatlas.cli;

import io.fwatlas.scan.Discovery;
import io.fwatlas.scan.FirmwareDir;
import io.fwatlas.scan.Plural;
import io.fwatlas.scan.Progress;
import io.fwatlas.scan.Release;
import io.fwatlas.scan.ScanException;
import io.fwatlas.scan.ScanJob;
import io.fwatlas.scan.ScanSummary;
import io.fwatlas.scan.SparkSetup;
import io.fwatlas.scan.StoreErrors;
import io.fwatlas.scan.TableStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fwatlas scan -o OUT INPUT...}: finds the kernel releases and package files (.deb, .rpm,
 * tarballs) under the inputs, reads every module on Spark executors and writes the firmware, modinfo and modules tables under OUT.
 * {@code --incremental} skips releases whose manifest matches; {@code --prune} (only with it)
 * removes kernels no input holds; {@code --digest} records content digests (on any run, so a
 * later incremental run can compare them) and compares them when incremental.
 * Exit codes: 0 when the run completed (files that failed are error rows), 2 for unusable
 * arguments or inputs, 1 when the output cannot be written or the job fails.
 */
@Command(name = "scan", description = "Scan kernel module trees into Parquet tables (firmware, modinfo, modules).",
        mixinStandardHelpOptions = true)
public final class ScanCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "Table directory (path or URI); created when missing.")
    String output;

    @Option(names = "--kernel", paramLabel = "NAME",
            description = "Release name for a single tree, instead of its directory name.")
    String kernel;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark.master if set, else local[*]).")
    String master;

    @Option(names = "--max-module-size", paramLabel = "BYTES", defaultValue = "512MiB",
            description = "Most bytes a module may decompress to (suffixes KiB, MiB, GiB). Default: ${DEFAULT-VALUE}.")
    String maxModuleSize;

    @Option(names = "--max-package-expansion", paramLabel = "BYTES", defaultValue = "16GiB",
            description = "Most bytes one package's archive may decompress to in total. Default: ${DEFAULT-VALUE}.")
    String maxPackageExpansion;

    @Option(names = "--incremental",
            description = "Skip releases and packages whose inputs are unchanged since their partitions were written.")
    boolean incremental;

    @Option(names = "--prune",
            description = "With --incremental: remove kernels of the output that no INPUT holds any more.")
    boolean prune;

    @Option(names = "--digest",
            description = "Also record a SHA-256 of every module's bytes; with --incremental, compare it too.")
    boolean digest;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to wait while another run writes OUT (0, 30s, 10m, 2h). Default: ${DEFAULT-VALUE}.")
    String lockWait;

    @Option(names = {"-q", "--quiet"},
            description = "No progress and no step lines on stderr; the summary, warnings and errors still print.")
    boolean quiet;

    @Option(names = "--firmware-dir", paramLabel = "DIR",
            description = "A firmware directory (like /lib/firmware) to record in OUT/firmware_files; repeatable. "
                    + "An INPUT named firmware, and lib/firmware/ or usr/lib/firmware/ of a tree, are read too.")
    List<String> firmwareDirs = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "INPUT",
            description = "Release directory, directory of releases, tree with lib/modules/<release>/, package file "
                    + "(.deb, .rpm, .tar, .tar.xz, .tar.zst, .tar.gz) or directory of packages.")
    List<String> inputs = new ArrayList<>();

    @Override
    public Integer call() {
        long start = System.currentTimeMillis();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = Failures.name(spec.commandLine());
        String confDir = System.getenv(SparkSetup.CONF_DIR_ENV);
        // Before any Hadoop or Spark class logs: their first log call fixes the log4j configuration.
        SparkSetup.configureLogging(confDir);
        AtomicReference<TableStore> open = new AtomicReference<>();
        try (Interrupt watch = Interrupt.watch(err, name, () -> open.get() == null
                ? output + " was not changed" : open.get().interruptedState())) {
            return scan(start, confDir, out, err, open);
        } catch (Throwable e) {
            return Failures.report(err, name, e);
        }
    }

    private int scan(long start, String confDir, PrintWriter out, PrintWriter err, AtomicReference<TableStore> open)
            throws Exception {
        long maxSize;
        long maxExpansion;
        try {
            maxSize = ModuleSize.parse(maxModuleSize);
        } catch (IllegalArgumentException e) {
            throw ScanException.usage(e.getMessage());
        }
        try {
            maxExpansion = ModuleSize.parse("--max-package-expansion", maxPackageExpansion);
        } catch (IllegalArgumentException e) {
            throw ScanException.usage(e.getMessage());
        }
        Duration wait;
        try {
            wait = WaitTime.parse("--lock-wait", lockWait);
        } catch (IllegalArgumentException e) {
            throw ScanException.usage(e.getMessage());
        }
        if (prune && !incremental) {
            throw ScanException.usage("--prune needs --incremental: it removes every kernel the inputs do not "
                    + "hold, which only makes sense when the inputs describe the whole table");
        }
        SparkConf conf = SparkSetup.conf(master, confDir);
        SparkSession existing = SparkSetup.existing();
        if (existing == null || master != null) {
            SparkSetup.checkMaster(existing == null ? conf.get("spark.master") : master, master != null,
                    existing == null);
        }
        Configuration hadoop = SparkSetup.hadoopConf(conf);
        List<FirmwareDir> dirs = new ArrayList<>();
        for (String d : firmwareDirs) {
            dirs.add(Discovery.firmwareDir(d, hadoop));
        }
        Discovery.Found found = inputs.isEmpty() && !dirs.isEmpty()
                ? new Discovery.Found(List.of(), List.of()) : Discovery.findAll(inputs, kernel, hadoop);
        List<Release> releases = found.releases();
        for (FirmwareDir d : found.firmwareDirs()) {
            if (dirs.stream().noneMatch(x -> x.location().equals(d.location()))) {
                dirs.add(d);
            }
        }
        StoreErrors.checkOutput(output, TableStore.location(output), hadoop);
        Progress.Settings progress = quiet ? null : Progress.Settings.of(err, Terminal.stderr(), hadoop);
        try (TableStore store = TableStore.open(output, hadoop, err, wait)) {
            open.set(store);
            try {
                out.println("fwatlas scan: " + Plural.of(releases.size(), "release") + ": "
                        + String.join(", ", releases.stream().map(Release::kernel).toList())
                        + (found.packages().isEmpty() ? "" : "; " + Plural.of(found.packages().size(), "package"))
                        + (dirs.isEmpty() ? "" : "; " + Plural.of(dirs.size(), "firmware directory")));
                out.flush();
                SparkSession spark = existing;
                if (spark == null) {
                    // classic Spark's builder itself, without SparkSession.builder()'s lookup (TableSession)
                    spark = org.apache.spark.sql.classic.SparkSession.builder().config(conf).getOrCreate();
                } else if (master != null) {
                    err.println("fwatlas scan: a Spark session is already running; --master " + master + " ignored");
                }
                try {
                    ScanSummary s = ScanJob.run(spark, hadoop, releases, found.packages(), dirs, store,
                            new ScanJob.Options(maxSize, incremental, prune, digest, maxExpansion, progress),
                            start, quiet ? new PrintWriter(java.io.Writer.nullWriter()) : err);
                    s.print(out);
                } finally {
                    if (existing == null) {
                        spark.stop();
                    }
                }
            } catch (Throwable e) {
                store.abandon();
                throw e;
            }
        }
        return 0;
    }
}
