package io.fwatlas.module;

import java.io.Serializable;

/** What reading one module gives: its information, or an error that says why not. */
public sealed interface ModuleResult extends Serializable permits ModuleInfo, ModuleError {
    /** The path as given to the reader. */
    String path();

    /** The module name derived from the path as kmod does (for built-ins, the name in the file). */
    String name();

    /** Bytes on disk; 0 for built-in modules. */
    long size();

    boolean builtin();
}
