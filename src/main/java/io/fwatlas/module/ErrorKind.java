package io.fwatlas.module;

import java.util.Locale;

/** What went wrong with one module file. Stored in tables as the lower-case name. */
public enum ErrorKind {
    NOT_A_FILE,
    NOT_ELF,
    TRUNCATED,
    BAD_SECTION_TABLE,
    NO_MODINFO,
    CORRUPT_COMPRESSED,
    SIZE_LIMIT,
    IO_ERROR,
    /** A package (.deb, .rpm, tarball) whose archive structure is malformed, lying or unsupported. */
    BAD_PACKAGE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
