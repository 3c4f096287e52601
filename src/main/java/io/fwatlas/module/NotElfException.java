package io.fwatlas.module;

/** The bytes are not an ELF image of a supported class and byte order. */
public final class NotElfException extends ModuleException {
    public NotElfException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.NOT_ELF;
    }
}
