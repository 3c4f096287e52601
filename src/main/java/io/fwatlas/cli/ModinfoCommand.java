package io.fwatlas.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder, being written: prints module information like kmod's modinfo. */
@Command(name = "modinfo", description = "Print module information like kmod's modinfo.")
public final class ModinfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 1;
    }
}
