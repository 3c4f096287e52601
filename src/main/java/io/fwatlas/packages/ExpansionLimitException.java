package io.fwatlas.packages;

import io.fwatlas.module.ErrorKind;

/** Decompressing the package would produce more than the configured total: a decompression bomb. */
public final class ExpansionLimitException extends PackageException {
    private final long limit;
    private final long reached;

    public ExpansionLimitException(String what, long limit, long reached) {
        super(what + ": more than the limit of " + limit + " bytes (at least " + reached + " decompressed)");
        this.limit = limit;
        this.reached = reached;
    }

    public long limit() {
        return limit;
    }

    /** A lower bound: decompression stops as soon as the limit is crossed. */
    public long reached() {
        return reached;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.SIZE_LIMIT;
    }
}
