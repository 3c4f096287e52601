package io.fwatlas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Whether standard error is a terminal: the JDK answers that only for the console as a whole. */
final class Terminal {
    private Terminal() {
    }

    /** True when file descriptor 2 is a terminal device (Linux's /proc); false when it cannot tell. */
    static boolean stderr() {
        try {
            String target = Files.readSymbolicLink(Paths.get("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
