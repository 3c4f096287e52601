package io.fwatlas.packages;

import io.fwatlas.module.ErrorKind;

/** An archive structure is malformed, contradicts itself or uses a format this reader does not support. */
public final class CorruptPackageException extends PackageException {
    public CorruptPackageException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.BAD_PACKAGE;
    }
}
