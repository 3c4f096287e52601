package io.fwatlas.cli;

/** Test access to ScanCommand's package-private helpers. */
public final class ScanCommandAccess {
    private ScanCommandAccess() {
    }

    public static long parseSize(String s) {
        return ScanCommand.parseSize(s);
    }
}
