package io.fwatlas.scan;

import java.io.Serializable;

/**
 * One kernel release directory to scan.
 *
 * @param kernel the release name: the directory name, or --kernel
 * @param root   an absolute local path when {@code local}, otherwise a Hadoop URI
 * @param local  true for the local file system, read with java.nio
 */
public record Release(String kernel, String root, boolean local) implements Serializable {
}
