package io.fwatlas.module;

/** A structure the ELF header points at runs past the end of the data. */
public final class TruncatedException extends ModuleException {
    private final long offset;
    private final long needed;
    private final long available;

    public TruncatedException(String what, long offset, long needed, long available) {
        super(what + ": needs " + needed + " bytes at offset " + offset + ", but the data has " + available + " bytes");
        this.offset = offset;
        this.needed = needed;
        this.available = available;
    }

    public long offset() {
        return offset;
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
