package io.fwatlas.module;

/** A structure the ELF header points at runs past the end of the data. */
public final class TruncatedException extends ModuleException {
    private final long offset;
    private final long needed;
    private final long available;

    public TruncatedException(String what, long offset, long needed, long available) {
        // Offsets and sizes come from the file as unsigned 64-bit values; print them that way.
        super(what + ": needs " + Long.toUnsignedString(needed) + " bytes at offset " + Long.toUnsignedString(offset)
                + ", but the data has " + available + " bytes");
        this.offset = offset;
        this.needed = needed;
        this.available = available;
    }

    /** Unsigned: compare with {@link Long#compareUnsigned}. */
    public long offset() {
        return offset;
    }

    /** Unsigned: compare with {@link Long#compareUnsigned}. */
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
