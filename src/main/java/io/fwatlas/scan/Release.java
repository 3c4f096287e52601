package io.fwatlas.scan;

import java.io.Serializable;

/**
 * One kernel release directory to scan.
 *
 * @param kernel the release name: the directory name, or --kernel
 * @param root   an absolute local path when {@code local}, otherwise a Hadoop URI
 * @param local  true for the local file system, read with java.nio
 * @param source the input it was found under, absolute (the {@code source} column)
 */
public record Release(String kernel, String root, boolean local, String source) implements Serializable {
    /** A release that is its own input. */
    public Release(String kernel, String root, boolean local) {
        this(kernel, root, local, root);
    }
}
