package io.fwatlas.scan;

import io.fwatlas.packages.PackageSummary;
import java.io.Serializable;
import java.util.List;

/**
 * What one task wrote: one {@link BinResult} per kernel partition it wrote to (a bin has one; a
 * package one per release inside, none when it holds no modules), for a package its summary, and
 * for a firmware package or directory what it wrote to the firmware tables (null otherwise).
 */
public record TaskResult(List<BinResult> bins, PackageInput input, PackageSummary pkg, FirmwareResult firmware)
        implements Serializable {
    public TaskResult {
        bins = List.copyOf(bins);
    }

    public TaskResult(List<BinResult> bins, PackageInput input, PackageSummary pkg) {
        this(bins, input, pkg, null);
    }
}
