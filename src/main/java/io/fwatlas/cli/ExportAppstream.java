package io.fwatlas.cli;

import io.fwatlas.query.AppStream;
import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.QueryException;
import io.fwatlas.scan.SparkSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fwatlas export --table OUT appstream PACKAGE --kernel K...}: the AppStream metainfo
 * Debian ships with a firmware package, from the table. A subcommand of {@code export}: it takes
 * {@code --table} and {@code --master} from its parent's inherited options. Exit codes: 0 written;
 * 2 unusable arguments (unknown package, version or kernel, missing or non-fwatlas table); 1
 * failure, or a package that could not be read whole.
 */
@Command(name = "appstream", mixinStandardHelpOptions = true,
        description = {"The AppStream metainfo of a firmware package as Debian ships it "
                + "(/usr/share/metainfo/org.debian.<package with - as _>.metainfo.xml), to standard output.",
            "<provides> lists every file and link of the package, then the device aliases (those holding ':') of "
                    + "every module of the kernels whose firmware names match one of them: the module files "
                    + "below kernel/, as Debian's update-modinfo reads them, united by file name over the kernels."})
public final class ExportAppstream implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PACKAGE", description = "A firmware package of the table (firmware_packages).")
    String packageName;

    @Option(names = "--kernel", arity = "1..*", required = true, paramLabel = "KERNEL",
            description = "Kernels of the table whose modules give the aliases; repeatable.")
    List<String> kernels = new ArrayList<>();

    @Option(names = "--package-version", paramLabel = "V",
            description = "The package's version, when the table holds several.")
    String version;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write DIR/org.debian.<id>.metainfo.xml instead (DIR is created if missing).")
    Path out;

    @Option(names = "--literal", description = "Match module firmware names literally, as firmware-nonfree "
            + "20250410-2 does, instead of as fnmatch globs: ath11k_pci's ath11k/QCA6390/hw2.0/* then matches nothing.")
    boolean literal;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = "fwatlas export appstream";
        String table = inherited("--table");
        if (table == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing --table of the export command");
        }
        String confDir = System.getenv(SparkSetup.CONF_DIR_ENV);
        SparkSetup.configureLogging(confDir);
        TableSession session = null;
        try {
            session = TableSession.open("fwatlas-export", inherited("--master"), table, confDir);
            AppStream.Export e = AppStream.export(AtlasTables.open(session.spark, table), packageName, version, kernels,
                    literal);
            for (String note : e.notes()) {
                err.println(name + ": " + note);
            }
            String xml = AppStream.write(e.metainfo());
            String where = "standard output";
            if (out == null) {
                stdout.print(xml);
                stdout.flush();
            } else {
                Files.createDirectories(out);
                Path file = out.resolve(AppStream.fileName(packageName));
                Files.writeString(file, xml, StandardCharsets.UTF_8);
                where = file.toString();
            }
            err.println(name + ": " + e.packageName() + " " + e.version() + ": " + e.metainfo().firmware().size()
                    + " firmware, " + count(e.metainfo().modalias().size(), "modalias", "modaliases") + " from "
                    + count(e.modules().size(), "module", "modules") + " (" + String.join(" ", e.modules()) + ") of "
                    + count(kernels.size(), "kernel", "kernels") + "; " + where);
            return 0;
        } catch (QueryException e) {
            err.println(name + ": " + e.getMessage());
            return e.exitCode();
        } catch (IOException e) {
            err.println(name + ": cannot write " + out + ": " + ScanCommand.oneLine(e));
            return 1;
        } catch (Exception e) {
            err.println(name + ": failed: " + ScanCommand.oneLine(e));
            return 1;
        } finally {
            err.flush();
            if (session != null) {
                session.close();
            }
        }
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** The value of a parent's inherited option, or null when there is no such option. */
    private String inherited(String option) {
        CommandLine.Model.OptionSpec o = spec.findOption(option);
        return o == null ? null : o.getValue();
    }
}
