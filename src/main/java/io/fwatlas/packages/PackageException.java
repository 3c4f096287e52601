package io.fwatlas.packages;

import io.fwatlas.module.ErrorKind;

/**
 * Base of the package reader's checked exceptions; each subclass means one thing. They never leave
 * {@link PackageReader}: it turns them into a {@link PackageError} naming the package and member.
 */
public abstract class PackageException extends Exception {
    protected PackageException(String message) {
        super(message, null, false, false);
    }

    public abstract ErrorKind kind();
}
