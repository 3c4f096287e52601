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
 * @param warnings     what looks wrong with the inputs though the run succeeded, one line each
 */
public record ScanSummary(int kernels, long modules, long builtins, long firmwareRows, long distinctFirmware,
                          Map<String, Long> errorsByKind, Releases releases, Packages packages, long elapsedMillis,
                          String output,
                          List<String> xzDecoders, Firmware firmware, List<String> warnings) {

    public ScanSummary(int kernels, long modules, long builtins, long firmwareRows, long distinctFirmware,
                       Map<String, Long> errorsByKind, Releases releases, Packages packages, long elapsedMillis,
                       String output, List<String> xzDecoders) {
        this(kernels, modules, builtins, firmwareRows, distinctFirmware, errorsByKind, releases, packages,
                elapsedMillis, output, xzDecoders, new Firmware(0, 0, 0, 0), List.of());
    }

    /** A release name as kernels have them: a version first ({@code 6.1.0-18-amd64}, {@code 6.12.0}). */
    private static final java.util.regex.Pattern RELEASE_NAME = java.util.regex.Pattern.compile("\\d+\\.\\d+.*");

    /**
     * What looks wrong though the run succeeded: a release whose name is no kernel release (a
     * link such as {@code current}, a directory that happens to hold a {@code .ko}), one whose
     * modules were built for another release, and a run in which most files failed.
     *
     * @param vermagic per release read, its module files read by the release their vermagic names
     */
    static List<String> warnings(Map<String, Map<String, Long>> vermagic, long modules, long builtins, long errors) {
        List<String> out = new java.util.ArrayList<>();
        vermagic.forEach((kernel, built) -> {
            if (kernel.equals(ReadPackage.UNKNOWN_KERNEL)) {
                return; // a package's errors before its release was seen: no release to name
            }
            Map.Entry<String, Long> top = built.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
            long read = built.values().stream().mapToLong(Long::longValue).sum();
            String forWhat = top == null ? "" : "its modules were built for " + top.getKey() + " ("
                    + top.getValue() + " of " + Plural.of(read, "module") + " read)";
            if (!RELEASE_NAME.matcher(kernel).matches()) {
                out.add("warning: release '" + kernel + "' does not look like a kernel release name (a link to a "
                        + "release, or a directory that merely holds .ko files?)" + (forWhat.isEmpty() ? "" : "; " + forWhat)
                        + "; name it with --kernel, or leave it out of the inputs");
            } else if (top != null && !top.getKey().equals(kernel)) {
                out.add("warning: release '" + kernel + "': " + forWhat);
            }
        });
        if (errors > 0 && 2 * errors > modules + builtins) {
            out.add("warning: most of what was read failed (" + Plural.of(errors, "error") + " in "
                    + Plural.of(modules, "module file") + " and " + Plural.of(builtins, "built-in module")
                    + "); are the inputs kernel module trees? See errors by kind");
        }
        return List.copyOf(out);
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
        warnings.forEach(w::println);
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
