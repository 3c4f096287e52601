package io.fwatlas.packages;

import io.fwatlas.module.ErrorKind;

/** The package ends before a structure it declares: a header, a member's bytes, a compressed stream. */
public final class TruncatedPackageException extends PackageException {
    private final long needed;
    private final long available;

    /**
     * @param needed    bytes the structure declares, or -1 when it declares no length (a compressed stream)
     * @param available bytes of it that were there
     */
    public TruncatedPackageException(String what, long needed, long available) {
        super(needed >= 0
                ? what + ": needs " + needed + " bytes, but the data ends after " + available
                : what + ": ends early, after " + available + " bytes");
        this.needed = needed;
        this.available = available;
    }

    public long needed() {
        return needed;
    }

    public long available() {
        return available;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.TRUNCATED;
    }
}
