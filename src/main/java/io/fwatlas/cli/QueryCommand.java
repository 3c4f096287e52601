package io.fwatlas.cli;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.DeviceList;
import io.fwatlas.query.Devices;
import io.fwatlas.query.FirmwarePackages;
import io.fwatlas.query.Glob;
import io.fwatlas.query.KernelSummary;
import io.fwatlas.query.Queries;
import io.fwatlas.query.QueryException;
import io.fwatlas.query.ResultWriter;
import io.fwatlas.scan.SparkSetup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code fwatlas query --table OUT NAME [args]}: the built-in questions over the tables, and
 * arbitrary Spark SQL. Exit codes: 0 answered; 1 nothing matched the pattern; 2 unusable
 * arguments (unknown kernel or flavour, missing or non-fwatlas table, bad SQL); 1 also when Spark fails.
 */
@Command(name = "query", description = "Ask the firmware tables a question.", mixinStandardHelpOptions = true,
        subcommands = {QueryCommand.Kernels.class, QueryCommand.Diff.class, QueryCommand.History.class,
            QueryCommand.WhoNeeds.class, QueryCommand.Top.class, QueryCommand.Device.class, QueryCommand.Missing.class,
            QueryCommand.Providers.class, QueryCommand.Sql.class})
public final class QueryCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "OUT", scope = ScopeType.INHERIT,
            description = "Table directory written by fwatlas scan.")
    String table;

    @Option(names = "--master", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Spark master (default: spark.master if set, else local[*]).")
    String master;

    @Option(names = "--flavour", paramLabel = "F", scope = ScopeType.INHERIT,
            description = "Only kernels of this flavour series (kernels, history, top, device; refused by the others).")
    String flavour;

    @Option(names = "--csv", scope = ScopeType.INHERIT, description = "RFC 4180 CSV with one header line.")
    boolean csv;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "One JSON array of objects.")
    boolean json;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing query: kernels, diff, history, who-needs, top, device, missing, providers or sql");
    }

    ResultWriter.Format format() {
        if (csv) {
            return ResultWriter.Format.CSV;
        }
        if (json) {
            return ResultWriter.Format.JSON;
        }
        // Aligned columns for a person; tab-separated, unpadded rows for a pipe.
        return System.console() != null ? ResultWriter.Format.TABLE : ResultWriter.Format.TSV;
    }

    /**
     * Opens (or joins) the Spark session, runs one query and prints it. {@code emptyMessage},
     * when not null, turns an empty result into that one-line message and exit 1.
     */
    int run(CommandLine.Model.CommandSpec sub, Function<AtlasTables, Dataset<Row>> query, String emptyMessage) {
        return answer(sub, query, rows -> rows.isEmpty() ? emptyMessage : null);
    }

    /**
     * Opens (or joins) the Spark session, runs one query and prints its rows. {@code verdict}
     * returns null when the rows answer the question, else the one line that says why not: it
     * goes to stderr after the rows (if any) and the exit status is 1. An empty answer prints only
     * that line.
     */
    int answer(CommandLine.Model.CommandSpec sub, Function<AtlasTables, Dataset<Row>> query,
            Function<List<Row>, String> verdict) {
        PrintWriter out = sub.commandLine().getOut();
        PrintWriter err = sub.commandLine().getErr();
        String name = Failures.name(sub.commandLine());
        String confDir = System.getenv(SparkSetup.CONF_DIR_ENV);
        if (!formatChosen(err, name, confDir)) {
            return QueryException.USAGE;
        }
        TableSession session = null;
        try (Interrupt watch = Interrupt.watch(err, name, () -> "nothing was changed")) {
            session = TableSession.open("fwatlas-query", master, table, confDir);
            SparkSession spark = session.spark;
            Answer answer = AtlasTables.consistent(spark, table, err, tables -> {
                Dataset<Row> result = query.apply(tables);
                return new Answer(result.schema().fields(), result.collectAsList());
            });
            print(answer, verdict, out);
            return 0;
        } catch (Throwable e) {
            return Failures.report(err, name, e);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    /** Sets up logging and refuses --csv with --json; false when refused. */
    private boolean formatChosen(PrintWriter err, String name, String confDir) {
        SparkSetup.configureLogging(confDir);
        if (csv && json) {
            err.println(name + ": --csv and --json exclude each other");
            return false;
        }
        return true;
    }

    private void print(Answer answer, Function<List<Row>, String> verdict, PrintWriter out) {
        List<Row> rows = answer.rows();
        // rows first, so that the verdict's notes on stderr come after them
        if (!rows.isEmpty()) {
            ResultWriter.write(answer.fields(), rows, format(), out);
        }
        String nothing = verdict.apply(rows);
        if (rows.isEmpty() && nothing == null) {
            ResultWriter.write(answer.fields(), rows, format(), out);
        }
        if (nothing != null) {
            throw QueryException.noMatch(nothing);
        }
    }

    /**
     * query kernels: from the stats the scans recorded, without starting Spark (a session spark-submit
     * made serves for its file system settings); on Spark when a kernel has none.
     */
    int kernels(CommandLine.Model.CommandSpec sub) {
        String none = "the table holds no kernels";
        Function<List<Row>, String> verdict = rows -> rows.isEmpty() ? none : null;
        PrintWriter err = sub.commandLine().getErr();
        String name = Failures.name(sub.commandLine());
        String confDir = System.getenv(SparkSetup.CONF_DIR_ENV);
        if (!formatChosen(err, name, confDir)) {
            return QueryException.USAGE;
        }
        List<Row> rows;
        try (Interrupt watch = Interrupt.watch(err, name, () -> "nothing was changed")) {
            org.apache.hadoop.conf.Configuration hadoop = TableSession.files(master, table, confDir);
            rows = AtlasTables.consistent(hadoop, table, err, location -> {
                try {
                    return KernelSummary.rows(location.getFileSystem(hadoop), location, flavour);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            if (rows != null) {
                print(new Answer(Queries.KERNELS.fields(), rows), verdict, sub.commandLine().getOut());
                return 0;
            }
        } catch (Throwable e) {
            return Failures.report(err, name, e);
        }
        return answer(sub, t -> Queries.kernels(t.firmware(), t.modules(), t.kernelNames(), flavour), verdict);
    }

    /**
     * Refuses --flavour for a query that names its kernels or has none: it would be ignored.
     * Null when not given, else the exit code.
     */
    Integer noFlavour(CommandLine.Model.CommandSpec sub, String why) {
        if (flavour == null) {
            return null;
        }
        PrintWriter err = sub.commandLine().getErr();
        err.println(Failures.name(sub.commandLine()) + ": --flavour does not apply here: " + why);
        err.flush();
        return QueryException.USAGE;
    }

    /** A query's result, read whole. */
    record Answer(org.apache.spark.sql.types.StructField[] fields, List<Row> rows) {
    }

    static String patternMessage(String pattern) {
        return "no firmware name " + (Glob.isGlob(pattern) ? "matches '" : "is '") + pattern + "'";
    }

    @Command(name = "kernels", mixinStandardHelpOptions = true,
            description = "Per kernel: modules, modules with firmware, firmware rows, distinct firmware, "
                    + "built-in firmware rows, errors; in release order per flavour.")
    static final class Kernels implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;

        @Override
        public Integer call() {
            return parent.kernels(spec);
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Firmware added and removed from K1 to K2 with their modules; modules that gained or lost firmware.")
    static final class Diff implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Parameters(index = "0", paramLabel = "K1")
        String k1;
        @Parameters(index = "1", paramLabel = "K2")
        String k2;

        @Override
        public Integer call() {
            Integer refused = parent.noFlavour(spec, "diff compares the two kernels it names");
            if (refused != null) {
                return refused;
            }
            return parent.run(spec, t -> Queries.diff(t.firmware(), t.modules(), k1, k2), null);
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Per firmware name matching PATTERN (exact or glob), the first and last kernel that "
                    + "references it per flavour, and the kernels in between that do not.")
    static final class History implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Parameters(paramLabel = "PATTERN")
        String pattern;

        @Override
        public Integer call() {
            return parent.run(spec, t -> Queries.history(t.firmware(), t.modules(), pattern, parent.flavour),
                    patternMessage(pattern));
        }
    }

    @Command(name = "who-needs", mixinStandardHelpOptions = true,
            description = "The modules and kernels that reference firmware matching PATTERN (exact or glob).")
    static final class WhoNeeds implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Parameters(paramLabel = "PATTERN")
        String pattern;

        @Override
        public Integer call() {
            Integer refused = parent.noFlavour(spec, "who-needs lists every kernel; pick kernels with query sql");
            if (refused != null) {
                return refused;
            }
            return parent.run(spec, t -> Queries.whoNeeds(t.firmware(), t.modules(), pattern),
                    patternMessage(pattern));
        }
    }

    @Command(name = "top", mixinStandardHelpOptions = true,
            description = "The firmware referenced by the most modules, and the modules with the most firmware.")
    static final class Top implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Option(names = "--kernel", paramLabel = "K", description = "Only this kernel.")
        String kernel;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
                description = "Rows of each list (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1) {
                spec.commandLine().getErr().println("fwatlas query top: --limit must be at least 1");
                return QueryException.USAGE;
            }
            return parent.run(spec, t -> Queries.top(t.firmware(), t.modules(), kernel, parent.flavour, limit),
                    "no firmware in the selected kernels");
        }
    }

    @Command(name = "missing", mixinStandardHelpOptions = true,
            description = "Firmware that resolve found in no package or directory, per kernel, with the modules "
                    + "that ask for it (run fwatlas resolve first).")
    static final class Missing implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Option(names = "--kernel", paramLabel = "K", description = "Only this kernel (repeatable).")
        List<String> kernels = new ArrayList<>();

        @Override
        public Integer call() {
            Integer refused = parent.noFlavour(spec, "missing takes --kernel");
            if (refused != null) {
                return refused;
            }
            return parent.answer(spec, t -> FirmwarePackages.missing(t.resolved(), kernels), rows -> null);
        }
    }

    @Command(name = "providers", mixinStandardHelpOptions = true,
            description = "The firmware packages and directories, of every version scanned, that ship a file or "
                    + "link whose firmware name or path is PATTERN (exact or glob).")
    static final class Providers implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Parameters(paramLabel = "PATTERN")
        String pattern;

        @Override
        public Integer call() {
            Integer refused = parent.noFlavour(spec, "providers lists firmware packages, which have no kernel flavour");
            if (refused != null) {
                return refused;
            }
            return parent.run(spec, t -> FirmwarePackages.providers(t.firmwareFiles(), pattern),
                    "no scanned firmware package ships " + (Glob.isGlob(pattern) ? "a name matching '" : "'")
                            + pattern + "'");
        }
    }

    @Command(name = "device", mixinStandardHelpOptions = true,
            description = {"Which kernels support these devices, through which module, asking for which firmware.",
                "MODALIAS is what the kernel prints in /sys/.../modalias (pci:v00008086d00002723sv..., usb:..., "
                        + "acpi:..., of:..., platform:...), matched against every module's alias strings as kmod "
                        + "matches them; built-in modules count too."})
    static final class Device implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Option(names = "--kernel", paramLabel = "K", description = "Only this kernel (repeatable).")
        List<String> kernels = new ArrayList<>();
        @Option(names = "--modaliases", paramLabel = "FILE",
                description = "Read the modaliases from FILE, one per line (- for standard input); blank lines "
                        + "and lines starting with # are skipped.")
        String file;
        @Option(names = "--summary", description = "One row per device and flavour: first and last kernel, gaps, "
                + "modules and firmware; devices nothing supports are listed as unsupported.")
        boolean summary;
        @Parameters(paramLabel = "MODALIAS", arity = "0..*", description = "Device modaliases.")
        List<String> modaliases = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            DeviceList devices;
            try {
                devices = devices();
            } catch (QueryException e) {
                err.println("fwatlas query device: " + e.getMessage());
                err.flush();
                return e.exitCode();
            }
            if (summary) {
                return parent.answer(spec, t -> Devices.summary(t, devices, kernels, parent.flavour), rows -> {
                    long unsupported = rows.stream().filter(r -> Devices.UNSUPPORTED.equals(r.getAs("status"))).count();
                    return unsupported == rows.size() ? nothingMatches(devices) : null;
                });
            }
            return parent.answer(spec, t -> Devices.rows(t, devices, kernels, parent.flavour), rows -> {
                if (rows.isEmpty()) {
                    return nothingMatches(devices);
                }
                Set<String> matched = new HashSet<>();
                rows.forEach(r -> matched.add(r.getAs("modalias")));
                List<String> none = devices.given().stream().filter(m -> !matched.contains(m)).toList();
                if (!none.isEmpty()) {
                    err.println("fwatlas query device: " + none.size() + " of " + devices.size()
                            + " modaliases match no module: " + String.join(" ", none.subList(0, Math.min(10,
                            none.size()))) + (none.size() > 10 ? " ..." : ""));
                }
                return null;
            });
        }

        private String nothingMatches(DeviceList devices) {
            return devices.size() == 1 ? "no module of the selected kernels matches " + devices.given().get(0)
                    : "no module of the selected kernels matches any of the " + devices.size() + " modaliases";
        }

        private DeviceList devices() {
            if (file != null && !modaliases.isEmpty()) {
                throw QueryException.usage("give modaliases as arguments or with --modaliases, not both");
            }
            if (file == null) {
                if (modaliases.isEmpty()) {
                    throw QueryException.usage("no modalias given: name devices (pci:v00008086d...) or "
                            + "--modaliases FILE");
                }
                return DeviceList.of(modaliases);
            }
            return DeviceList.read("--modaliases", file, System.in);
        }
    }

    @Command(name = "sql", mixinStandardHelpOptions = true,
            description = "Run Spark SQL over the views firmware, modinfo, modules, firmware_files, "
                    + "firmware_packages and (after resolve) resolved.")
    static final class Sql implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Parameters(paramLabel = "SELECT")
        String sql;

        @Override
        public Integer call() {
            Integer refused = parent.noFlavour(spec, "sql selects what it wants: filter on the kernel column");
            if (refused != null) {
                return refused;
            }
            // SQL that starts with a -- comment is SQL, not an option (Main lets such arguments through)
            if (Failures.OPTION_WORD.matcher(sql).matches()) {
                throw new CommandLine.UnmatchedArgumentException(spec.commandLine(), List.of(sql));
            }
            return parent.run(spec, t -> {
                t.registerViews();
                return t.spark().sql(sql);
            }, null);
        }
    }
}
