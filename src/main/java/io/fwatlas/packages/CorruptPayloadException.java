package io.fwatlas.packages;

import io.fwatlas.module.ErrorKind;

/** A compressed stream inside the package (data.tar.xz, an rpm payload, a .tar.zst) is damaged. */
public final class CorruptPayloadException extends PackageException {
    public CorruptPayloadException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CORRUPT_COMPRESSED;
    }
}
