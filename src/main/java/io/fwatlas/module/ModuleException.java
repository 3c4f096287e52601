package io.fwatlas.module;

/**
 * Base of the reader's checked exceptions; each subclass means one thing.
 * They never leave {@link ModuleReader}: it turns them into {@link ModuleError} values.
 */
public abstract class ModuleException extends Exception {
    protected ModuleException(String message) {
        super(message, null, false, false);
    }

    public abstract ErrorKind kind();
}
