package io.fwatlas.packages;

import io.fwatlas.module.ErrorKind;

/**
 * Why a package could not be read to its end.
 *
 * @param packageName the name the caller gave
 * @param format      the detected format, or null when the bytes are no package this reader knows
 * @param member      the archive member being read, or the last one read when the fault lies between
 *                    members (a header); null before the first member (lead, rpm header, ar magic)
 * @param kind        {@code bad_package}, {@code truncated}, {@code corrupt_compressed},
 *                    {@code size_limit} or {@code io_error}
 * @param message     package, format, member, what was wrong and the numbers, in one line
 */
public record PackageError(String packageName, PackageFormat format, String member, ErrorKind kind,
                           String message) implements java.io.Serializable {
}
