package io.fwatlas.testfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.functional.FutureIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test file systems: local files under their schemes, found through the service file. */
class TestFileSystemsTest {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void pausefileIsTheLocalFileSystemUnderItsScheme() throws IOException {
        Files.writeString(tmp.resolve("a"), "x");
        Path dir = new Path(PausingFileSystem.uri(tmp));
        FileSystem fs = dir.getFileSystem(new Configuration());
        assertInstanceOf(PausingFileSystem.class, fs);
        FileStatus[] listed = fs.listStatus(dir);
        assertEquals(1, listed.length);
        assertEquals(PausingFileSystem.SCHEME + ":" + tmp.resolve("a"), listed[0].getPath().toString());
        assertTrue(fs.mkdirs(new Path(dir, "d/e")));
        assertTrue(fs.rename(listed[0].getPath(), new Path(dir, "d/e/b")));
        assertEquals("x", Files.readString(tmp.resolve("d/e/b")));
        assertEquals(dir, fs.makeQualified(new Path(tmp.toString())));
    }

    @Test
    void livePartitionsAreThoseOfTheTablesBesideTheMarker() throws IOException {
        java.nio.file.Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve(PausingFileSystem.MARKER), "{}");
        String o = PausingFileSystem.uri(out);
        assertTrue(PausingFileSystem.isLivePartition(new Path(o + "/modules/kernel=5.10.0-30-s390x")));
        assertTrue(PausingFileSystem.isLivePartition(new Path(o + "/firmware_files/input-0a1b")));
        assertFalse(PausingFileSystem.isLivePartition(new Path(o + "/_staging/RUN/modules/kernel=5.10")));
        assertFalse(PausingFileSystem.isLivePartition(new Path(o + "/_staging/RUN/_old/modules/kernel=5.10")));
        assertFalse(PausingFileSystem.isLivePartition(new Path(o + "/_manifests/5.10.json")));
        assertFalse(PausingFileSystem.isLivePartition(new Path(PausingFileSystem.uri(tmp) + "/modules/kernel=5.10")));
    }

    @Test
    void slowfileDelaysOpensOfModulesOnly() throws IOException {
        Files.writeString(tmp.resolve("m.ko.xz"), "module");
        Files.writeString(tmp.resolve("modules.order"), "order");
        Configuration conf = new Configuration();
        conf.setBoolean("fs." + SlowFileSystem.SCHEME + ".impl.disable.cache", true);
        conf.setLong(SlowFileSystem.DELAY_KEY, 400);
        Path dir = new Path(SlowFileSystem.uri(tmp));
        FileSystem fs = dir.getFileSystem(conf);
        assertInstanceOf(SlowFileSystem.class, fs);

        long t0 = System.nanoTime();
        try (FSDataInputStream in = FutureIO.awaitFuture(fs.openFile(new Path(dir, "m.ko.xz")).build())) {
            assertEquals("module", text(in));
        }
        long t1 = System.nanoTime();
        try (FSDataInputStream in = fs.open(new Path(dir, "m.ko.xz"))) {
            assertEquals("module", text(in));
        }
        long t2 = System.nanoTime();
        try (FSDataInputStream in = fs.open(new Path(dir, "modules.order"))) {
            assertEquals("order", text(in));
        }
        long t3 = System.nanoTime();
        assertTrue(TimeUnit.NANOSECONDS.toMillis(t1 - t0) >= 400, "openFile did not wait");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(t2 - t1) >= 400, "open did not wait");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(t3 - t2) < 400, "a file that is no module waited");
        assertTrue(SlowFileSystem.isModule("a.ko") && SlowFileSystem.isModule("a.ko.zst")
                && SlowFileSystem.isModule("a.ko.gz") && !SlowFileSystem.isModule("a.xz"));
    }

    @Test
    void slowfileListingsLeaveOutLinksToDirectories() throws IOException {
        Files.createDirectories(tmp.resolve("d"));
        Files.writeString(tmp.resolve("d/x.ko"), "module");
        Files.createSymbolicLink(tmp.resolve("loop"), tmp.resolve("."));
        Files.createSymbolicLink(tmp.resolve("y.ko"), tmp.resolve("d/x.ko"));
        Files.createSymbolicLink(tmp.resolve("gone.ko"), tmp.resolve("missing.ko"));
        Path dir = new Path(SlowFileSystem.uri(tmp));
        FileSystem fs = dir.getFileSystem(new Configuration());
        java.util.List<String> names = new java.util.ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            names.add(s.getPath().getName() + (s.isDirectory() ? "/" : ""));
        }
        names.sort(null);
        assertEquals(java.util.List.of("d/", "y.ko"), names);
    }

    private static String text(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
