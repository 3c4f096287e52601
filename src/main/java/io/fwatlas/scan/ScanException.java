package io.fwatlas.scan;

/**
 * A scan that must not start or cannot finish, with a one-line message for the user.
 * {@link #USAGE} marks bad arguments or inputs; {@link #FAILURE} an output that cannot be written.
 */
public final class ScanException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final int USAGE = 2;
    public static final int FAILURE = 1;

    private final int exitCode;

    public ScanException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ScanException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static ScanException usage(String message) {
        return new ScanException(USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
