package io.fwatlas.module;

/** Reading would need more memory than the configured limit allows. */
public final class SizeLimitException extends ModuleException {
    private final long limit;
    private final long needed;

    public SizeLimitException(String what, long limit, long needed) {
        super(what + ": more than the limit of " + limit + " bytes (at least " + needed + " needed)");
        this.limit = limit;
        this.needed = needed;
    }

    public long limit() {
        return limit;
    }

    /** A lower bound: reading stops as soon as the limit is crossed. */
    public long needed() {
        return needed;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.SIZE_LIMIT;
    }
}
