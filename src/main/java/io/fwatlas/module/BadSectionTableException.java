package io.fwatlas.module;

/** The ELF header or section table is inconsistent with itself or the file. */
public final class BadSectionTableException extends ModuleException {
    public BadSectionTableException(String message) {
        super(message);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.BAD_SECTION_TABLE;
    }
}
