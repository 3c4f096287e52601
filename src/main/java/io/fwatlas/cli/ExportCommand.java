package io.fwatlas.cli;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.DebianModinfo;
import io.fwatlas.scan.SparkSetup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code fwatlas export --table OUT FORMAT [args]}: writes the tables in another tool's file
 * format to standard output. Exit codes: 0 written; 2 unusable arguments (unknown kernel,
 * missing or non-fwatlas table); 1 failure.
 */
@Command(name = "export", description = "Write the tables in another tool's format to standard output.",
        mixinStandardHelpOptions = true, subcommands = {ExportCommand.DebianModinfoFormat.class, ExportAppstream.class})
public final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-t", "--table"}, required = true, paramLabel = "OUT", scope = ScopeType.INHERIT,
            description = "Table directory written by fwatlas scan.")
    String table;

    @Option(names = "--master", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Spark master (default: spark.master if set, else local[*]).")
    String master;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing export format: debian-modinfo or appstream");
    }

    /** One format: the text to print, from the tables; notes for the user go to {@code err}. */
    interface Format {
        String write(AtlasTables tables, PrintWriter err);
    }

    /** Opens (or joins) the Spark session and prints what {@code format} writes, as it is. */
    int run(CommandLine.Model.CommandSpec sub, Format format) {
        PrintWriter out = sub.commandLine().getOut();
        PrintWriter err = sub.commandLine().getErr();
        String name = Failures.name(sub.commandLine());
        String confDir = System.getenv(SparkSetup.CONF_DIR_ENV);
        SparkSetup.configureLogging(confDir);
        TableSession session = null;
        try (Interrupt watch = Interrupt.watch(err, name, () -> "nothing was changed")) {
            session = TableSession.open("fwatlas-export", master, table, confDir);
            String text = AtlasTables.consistent(session.spark, table, err, t -> format.write(t, err));
            out.print(text);
            out.flush();
            return 0;
        } catch (Throwable e) {
            return Failures.report(err, name, e);
        } finally {
            err.flush();
            if (session != null) {
                session.close();
            }
        }
    }

    @Command(name = "debian-modinfo", mixinStandardHelpOptions = true,
            description = {"What Debian firmware-nonfree's debian/bin/update-modinfo writes to debian/modinfo.json "
                    + "for these kernels, byte for byte.",
                "Per module file name under kernel/ (.ko, .ko.xz) that declares firmware: its firmware and its "
                        + "aliases holding ':', united over files and kernels."})
    static final class DebianModinfoFormat implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @ParentCommand
        ExportCommand parent;
        @Parameters(arity = "1..*", paramLabel = "KERNEL", description = "Kernels of the table.")
        List<String> kernels = new ArrayList<>();

        @Override
        public Integer call() {
            return parent.run(spec, (tables, err) -> {
                DebianModinfo.Export e = DebianModinfo.export(tables, kernels);
                if (!e.unreadable().isEmpty()) {
                    // update-modinfo would stop at such a file (modinfo fails); they are left out
                    err.println("fwatlas export debian-modinfo: " + e.unreadable().size()
                            + " module files could not be read and are left out: "
                            + String.join(" ", e.unreadable().subList(0, Math.min(10, e.unreadable().size())))
                            + (e.unreadable().size() > 10 ? " ..." : ""));
                }
                // ensure_ascii output is ASCII, so the writer's charset cannot change a byte
                return e.json();
            });
        }
    }
}
