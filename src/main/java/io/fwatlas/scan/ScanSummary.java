package io.fwatlas.scan;

import io.fwatlas.module.ModuleReader;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What a finished scan found.
 *
 * @param kernels      releases read by this run
 * @param modules      module files, failed ones included
 * @param builtins     built-in modules read from modules.builtin.modinfo
 * @param errorsByKind error rows by error_kind, sorted by kind
 * @param releases     what happened to each release
 * @param packages     package files read and skipped
 * @param xzDecoders   the xz decoders the executors used; empty when nothing was read
 * @param firmware     firmware packages and directories read
 */
public record ScanSummary(int kernels, long modules, long builtins, long firmwareRows, long distinctFirmware,
                          Map<String, Long> errorsByKind, Releases releases, Packages packages, long elapsedMillis,
                          String output,
                          List<String> xzDecoders, Firmware firmware) {

    public ScanSummary(int kernels, long modules, long builtins, long firmwareRows, long distinctFirmware,
                       Map<String, Long> errorsByKind, Releases releases, Packages packages, long elapsedMillis,
                       String output, List<String> xzDecoders) {
        this(kernels, modules, builtins, firmwareRows, distinctFirmware, errorsByKind, releases, packages,
                elapsedMillis, output, xzDecoders, new Firmware(0, 0, 0, 0));
    }

    /** Firmware packages and directories read, and their rows in firmware_files. */
    public record Firmware(int inputs, long files, long links, long errors) {
    }

    /**
     * Releases skipped as unchanged, read again, read for the first time, and removed by --prune;
     * {@code inTable}: the kernels the table holds after the run, -1 when unknown.
     */
    public record Releases(int skipped, int rescanned, int added, int pruned, int linksNotFollowed, int inTable) {
        public Releases(int skipped, int rescanned, int added, int pruned) {
            this(skipped, rescanned, added, pruned, 0, -1);
        }
    }

    /** Package files read, skipped as unchanged, and read whole without finding a module (by name). */
    public record Packages(int read, int skipped, List<String> withoutModules) {
    }

    public long errors() {
        return errorsByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    public void print(PrintWriter w) {
        w.printf("fwatlas scan: %s, %s, %s, %s (%d distinct), %s, %.1f s%n", Plural.of(kernels, "kernel"),
                Plural.of(modules, "module"), Plural.of(builtins, "built-in module"),
                Plural.of(firmwareRows, "firmware row"), distinctFirmware, Plural.of(errors(), "error"),
                elapsedMillis / 1000.0);
        w.printf("releases: %d unchanged (skipped), %d rescanned, %d new, %d pruned%s%n",
                releases.skipped(), releases.rescanned(), releases.added(), releases.pruned(),
                releases.inTable() < 0 ? "" : "; the table holds " + Plural.of(releases.inTable(), "kernel"));
        if (releases.linksNotFollowed() > 0) {
            w.printf("links: %s out of their release not followed (such as build and source)%n",
                    Plural.of(releases.linksNotFollowed(), "directory link"));
        }
        if (packages.read() + packages.skipped() > 0) {
            w.printf("packages: %d read, %d unchanged (skipped), %d without modules%s%n", packages.read(),
                    packages.skipped(), packages.withoutModules().size(),
                    packages.withoutModules().isEmpty() ? "" : ": " + String.join(", ", packages.withoutModules()));
        }
        if (firmware.inputs() > 0) {
            w.printf("firmware: %d packages and directories, %s, %s, %s%n", firmware.inputs(),
                    Plural.of(firmware.files(), "file"), Plural.of(firmware.links(), "link"),
                    Plural.of(firmware.errors(), "error"));
        }
        if (!errorsByKind.isEmpty()) {
            StringBuilder b = new StringBuilder("errors by kind:");
            errorsByKind.forEach((k, n) -> b.append(' ').append(k).append('=').append(n));
            w.println(b);
        }
        // as the executors reported it; the driver's own when nothing was read
        w.println("xz decoder: " + (xzDecoders.isEmpty() ? ModuleReader.xzDecoder() : String.join(", ", xzDecoders)));
        List<String> tables = new java.util.ArrayList<>(Tables.NAMES);
        if (firmware.inputs() > 0) {
            tables.addAll(Tables.INPUT_TABLES);
        }
        w.println("tables: " + output + "/{" + String.join(",", tables) + "}");
        w.flush();
    }
}
