package io.fwatlas.cli;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.Glob;
import io.fwatlas.query.Queries;
import io.fwatlas.query.QueryException;
import io.fwatlas.query.ResultWriter;
import io.fwatlas.scan.SparkSetup;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.spark.sql.AnalysisException;
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
            QueryCommand.WhoNeeds.class, QueryCommand.Top.class, QueryCommand.Sql.class})
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
            description = "Only kernels of this flavour series (kernels, history, top).")
    String flavour;

    @Option(names = "--csv", scope = ScopeType.INHERIT, description = "RFC 4180 CSV with one header line.")
    boolean csv;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "One JSON array of objects.")
    boolean json;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing query: kernels, diff, history, who-needs, top or sql");
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
        PrintWriter out = sub.commandLine().getOut();
        PrintWriter err = sub.commandLine().getErr();
        String name = "fwatlas query " + sub.name();
        String confDir = System.getenv(SparkSetup.CONF_DIR_ENV);
        SparkSetup.configureLogging(confDir);
        if (csv && json) {
            err.println(name + ": --csv and --json exclude each other");
            return QueryException.USAGE;
        }
        TableSession session = null;
        try {
            session = TableSession.open("fwatlas-query", master, table, confDir);
            SparkSession spark = session.spark;
            AtlasTables tables = AtlasTables.open(spark, table);
            Dataset<Row> result = query.apply(tables);
            java.util.List<Row> rows = result.collectAsList();
            if (rows.isEmpty() && emptyMessage != null) {
                throw QueryException.noMatch(emptyMessage);
            }
            ResultWriter.write(result.schema().fields(), rows, format(), out);
            return 0;
        } catch (QueryException e) {
            err.println(name + ": " + e.getMessage());
            err.flush();
            return e.exitCode();
        } catch (Exception e) {
            if (e instanceof AnalysisException) {  // bad SQL, unknown column: the user's to fix
                err.println(name + ": " + firstLine(e.getMessage()));
                err.flush();
                return QueryException.USAGE;
            }
            err.println(name + ": failed: " + ScanCommand.oneLine(e));
            err.flush();
            return 1;
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    static String firstLine(String m) {
        String s = String.valueOf(m).strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
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
            return parent.run(spec, t -> Queries.kernels(t.firmware(), t.modules(), parent.flavour),
                    "the table holds no kernels");
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

    @Command(name = "sql", mixinStandardHelpOptions = true,
            description = "Run Spark SQL over the views firmware, modinfo and modules.")
    static final class Sql implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        QueryCommand parent;
        @Parameters(paramLabel = "SELECT")
        String sql;

        @Override
        public Integer call() {
            return parent.run(spec, t -> {
                t.registerViews();
                return t.spark().sql(sql);
            }, null);
        }
    }
}
