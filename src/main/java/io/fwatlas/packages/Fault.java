package io.fwatlas.packages;

import java.io.IOException;

/**
 * Carries a {@link PackageException} through the {@link java.io.InputStream} layers (decoders,
 * commons-compress readers) that only let IOExceptions pass, so it arrives classified.
 */
final class Fault extends IOException {
    Fault(PackageException cause) {
        super(cause.getMessage(), cause);
    }

    PackageException exception() {
        return (PackageException) getCause();
    }

    /** The Fault in {@code e}'s cause chain, or null. */
    static Fault find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Fault f) {
                return f;
            }
        }
        return null;
    }
}
