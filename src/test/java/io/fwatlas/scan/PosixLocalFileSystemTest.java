package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The modes it sets are those Hadoop's own local file system sets with its chmod processes. */
class PosixLocalFileSystemTest {
    @TempDir
    java.nio.file.Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"022", "077", "002", "027"})
    void createsDirectoriesAndFilesWithTheModesOfHadoopsLocalFileSystem(String umask) throws IOException {
        Configuration conf = new Configuration();
        conf.set("fs.permissions.umask-mode", umask);
        FileSystem ours = TableLayout.fileSystem(new Path(tmp.toUri()), conf);
        assertInstanceOf(PosixLocalFileSystem.class, ours);
        FileSystem hadoops = new RawLocalFileSystem();
        hadoops.initialize(URI.create("file:///"), conf);

        for (FileSystem fs : new FileSystem[] {ours, hadoops}) {
            Path root = new Path(tmp.toUri().toString(), fs == ours ? "ours" : "hadoop");
            fs.mkdirs(new Path(root, "a/b/c"));
            fs.create(new Path(root, "a/b/c/part.parquet"), true).close();
            fs.create(new Path(root, "a/new/file.json"), false).close();
        }
        for (String p : new String[] {"a", "a/b", "a/b/c", "a/b/c/part.parquet", "a/new", "a/new/file.json"}) {
            assertEquals(mode(tmp.resolve("hadoop").resolve(p)), mode(tmp.resolve("ours").resolve(p)), p);
        }
    }

    @ParameterizedTest
    @ValueSource(shorts = {0644, 0755, 0600, 0700, 0444, 01777, 0})
    void setsTheModeHadoopWouldSet(short mode) throws IOException {
        Configuration conf = new Configuration();
        FileSystem ours = TableLayout.fileSystem(new Path(tmp.toUri()), conf);
        FileSystem hadoops = new RawLocalFileSystem();
        hadoops.initialize(URI.create("file:///"), conf);
        Files.createDirectory(tmp.resolve("ours"));
        Files.createDirectory(tmp.resolve("hadoop"));

        ours.setPermission(new Path(tmp.resolve("ours").toUri()), new FsPermission(mode));
        hadoops.setPermission(new Path(tmp.resolve("hadoop").toUri()), new FsPermission(mode));

        assertEquals(mode(tmp.resolve("hadoop")), mode(tmp.resolve("ours")));
        assertEquals(hadoops.getFileStatus(new Path(tmp.resolve("hadoop").toUri())).getPermission(),
                ours.getFileStatus(new Path(tmp.resolve("ours").toUri())).getPermission());
        Files.setPosixFilePermissions(tmp.resolve("ours"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(tmp.resolve("hadoop"), PosixFilePermissions.fromString("rwx------"));
    }

    private static String mode(java.nio.file.Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
