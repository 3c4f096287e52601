package io.fwatlas.cli;

import io.fwatlas.query.AppStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import picocli.CommandLine.ParentCommand;

/**
 * {@code fwatlas export --table OUT appstream PACKAGE --kernel K...}: the AppStream metainfo
 * Debian ships with a firmware package, from the table; a format of {@link ExportCommand}. Exit
 * codes: 0 written; 2 unusable arguments (unknown package, version or kernel, missing or
 * non-fwatlas table); 1 failure, or a package that could not be read whole.
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
    @ParentCommand
    ExportCommand parent;

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
        return parent.run(spec, (tables, err) -> {
            AppStream.Export e = AppStream.export(tables, packageName, version, kernels, literal);
            for (String note : e.notes()) {
                err.println("fwatlas export appstream: " + note);
            }
            String xml = AppStream.write(e.metainfo());
            String where = "standard output";
            if (out != null) {
                Path file = out.resolve(AppStream.fileName(packageName));
                try {
                    Files.createDirectories(out);
                    Files.writeString(file, xml, StandardCharsets.UTF_8);
                } catch (IOException x) {
                    throw new UncheckedIOException("cannot write " + file, x);
                }
                where = file.toString();
                xml = "";
            }
            err.println("fwatlas export appstream: " + e.packageName() + " " + e.version() + ": "
                    + e.metainfo().firmware().size() + " firmware, "
                    + count(e.metainfo().modalias().size(), "modalias", "modaliases") + " from "
                    + count(e.modules().size(), "module", "modules") + " (" + String.join(" ", e.modules()) + ") of "
                    + count(kernels.size(), "kernel", "kernels") + "; " + where);
            return xml;
        });
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
