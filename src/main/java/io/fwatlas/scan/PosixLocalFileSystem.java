package io.fwatlas.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's raw local file system, setting permissions through {@code java.nio} instead of a
 * {@code chmod} process. Without Hadoop's native library, {@link RawLocalFileSystem} starts
 * {@code chmod} for every directory it creates and every file it opens for writing: 166 processes
 * in a scan of five kernels, about a tenth of its CPU (perf, docs/BENCHMARKS.md). The modes set are
 * the same.
 */
final class PosixLocalFileSystem extends RawLocalFileSystem {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
        short mode = permission.toShort();
        if ((mode & ~0777) != 0) {
            super.setPermission(p, permission);   // the sticky bit: java.nio cannot set it
            return;
        }
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(BITS[i]);
            }
        }
        try {
            Files.setPosixFilePermissions(pathToFile(p).toPath(), set);
        } catch (UnsupportedOperationException e) {
            super.setPermission(p, permission);   // a file system without POSIX modes
        }
    }
}
