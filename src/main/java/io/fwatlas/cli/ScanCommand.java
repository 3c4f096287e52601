package io.fwatlas.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder, being written: scans kernel trees into Parquet tables. */
@Command(name = "scan", description = "Scan kernel module trees into Parquet tables.")
public final class ScanCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
