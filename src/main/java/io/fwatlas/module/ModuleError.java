package io.fwatlas.module;

/** A module file that could not be read, with the kind of fault and a message naming the numbers. */
public record ModuleError(String path, String name, long size, boolean builtin, Compression compression,
                          ErrorKind kind, String message) implements ModuleResult {
}
