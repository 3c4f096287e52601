package io.fwatlas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of every fwatlas command. */
@Command(name = "fwatlas", mixinStandardHelpOptions = true, version = "fwatlas 0.1.0",
        description = "Firmware atlas of Linux kernel modules.",
        subcommands = {ModinfoCommand.class, ScanCommand.class, QueryCommand.class, ResolveCommand.class,
            ReportCommand.class, ExportCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command: modinfo, scan, query, resolve, report or export");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // a query that starts with a -- comment (jobs/queries/*.sql) would otherwise be taken for an option
        cl.getSubcommands().get("query").getSubcommands().get("sql").setUnmatchedOptionsArePositionalParams(true);
        return Failures.install(cl);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
