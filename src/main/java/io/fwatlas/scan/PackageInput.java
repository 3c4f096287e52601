package io.fwatlas.scan;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * One package file to read in one task (.deb, .rpm or a tarball).
 *
 * @param location an absolute local path when {@code local}, otherwise a Hadoop URI
 * @param size     bytes as listed
 * @param mtime    modification time in milliseconds as listed
 */
public record PackageInput(String location, boolean local, long size, long mtime) implements Serializable {
    /** Names taken for packages; the reader still decides the format by magic bytes. */
    static final List<String> SUFFIXES = List.of(".deb", ".rpm", ".tar", ".tar.xz", ".txz", ".tar.zst", ".tzst",
            ".tar.gz", ".tgz");

    public static boolean isPackageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String s : SUFFIXES) {
            if (n.endsWith(s) && n.length() > s.length()) {
                return true;
            }
        }
        return false;
    }

    /** The file name: the {@code source} column of the package's rows. */
    public String name() {
        String s = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
