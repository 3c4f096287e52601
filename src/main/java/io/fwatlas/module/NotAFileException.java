package io.fwatlas.module;

/** The path is not a regular file (a directory, FIFO, socket or device). */
public final class NotAFileException extends ModuleException {
    public NotAFileException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.NOT_A_FILE;
    }
}
