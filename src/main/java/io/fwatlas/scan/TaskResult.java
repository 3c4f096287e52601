package io.fwatlas.scan;

import io.fwatlas.packages.PackageSummary;
import java.io.Serializable;
import java.util.List;

/**
 * What one task wrote: one {@link BinResult} per kernel partition it wrote to (a bin has one; a
 * package one per release inside, none when it holds no modules), and for a package its summary.
 */
public record TaskResult(List<BinResult> bins, PackageInput input, PackageSummary pkg) implements Serializable {
    public TaskResult {
        bins = List.copyOf(bins);
    }
}
