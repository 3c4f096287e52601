package io.fwatlas.module;

/** The ELF image is valid but has no usable .modinfo section. */
public final class NoModinfoException extends ModuleException {
    public NoModinfoException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.NO_MODINFO;
    }
}
