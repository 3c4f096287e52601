package io.fwatlas.query;

/** A query that cannot be answered: the message is the one line shown to the user. */
public final class QueryException extends RuntimeException {
    public static final int NO_MATCH = 1;
    public static final int USAGE = 2;

    private final int exitCode;

    public QueryException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public static QueryException usage(String message) {
        return new QueryException(USAGE, message);
    }

    public static QueryException noMatch(String message) {
        return new QueryException(NO_MATCH, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
