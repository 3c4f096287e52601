package io.fwatlas.packages;

import io.fwatlas.module.ErrorKind;

/** The caller's stream failed (a disk or network error), not the package's content. */
public final class PackageReadException extends PackageException {
    private final long offset;

    public PackageReadException(long offset, String message) {
        super("read failed at byte " + offset + ": " + message);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.IO_ERROR;
    }
}
