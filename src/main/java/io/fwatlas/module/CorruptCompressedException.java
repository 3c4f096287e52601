package io.fwatlas.module;

/** The compressed stream is damaged or ends early. */
public final class CorruptCompressedException extends ModuleException {
    public CorruptCompressedException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CORRUPT_COMPRESSED;
    }
}
