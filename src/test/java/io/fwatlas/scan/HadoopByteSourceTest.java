package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleReader;
import io.fwatlas.module.ModuleResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Modules on Hadoop file systems are opened with openFile, the listed length, and the random read
 * policy when plain, whole-file when compressed.
 */
class HadoopByteSourceTest {
    final Configuration conf = new Configuration();
    final Path qeth = ScanTestSupport.sample(SampleGenerator.S390).resolve("kernel/drivers/s390/net/qeth.ko");

    @BeforeEach
    void register() {
        conf.set("fs." + RecordingFileSystem.SCHEME + ".impl", RecordingFileSystem.class.getName());
        conf.setBoolean("fs." + RecordingFileSystem.SCHEME + ".impl.disable.cache", true);
        RecordingFileSystem.OPENS.clear();
        RecordingFileSystem.STATUS_CALLS.set(0);
        RecordingFileSystem.noBuilder = false;
    }

    @AfterEach
    void reset() {
        RecordingFileSystem.noBuilder = false;
    }

    private org.apache.hadoop.fs.Path recorded(Path p) {
        return new org.apache.hadoop.fs.Path(RecordingFileSystem.SCHEME + "://" + p.toAbsolutePath());
    }

    private static byte[] bytes(HadoopByteSource src) throws IOException {
        byte[] b = new byte[(int) src.size()];
        src.readFully(0, b, 0, b.length);
        return b;
    }

    @Test
    void knownLengthOpensRandomWithoutAStatusCall() throws IOException {
        org.apache.hadoop.fs.Path p = recorded(qeth);
        FileSystem fs = p.getFileSystem(conf);
        long size = Files.size(qeth);
        try (HadoopByteSource src = HadoopByteSource.open(fs, p, size)) {
            assertEquals(size, src.size());
            assertArrayEquals(Files.readAllBytes(qeth), bytes(src));
            try (InputStream in = src.stream()) {
                assertArrayEquals(Files.readAllBytes(qeth), in.readAllBytes());
            }
        }
        assertEquals(List.of("policy=random length=" + size), RecordingFileSystem.OPENS);
        assertEquals(0, RecordingFileSystem.STATUS_CALLS.get(), "the listing's length was not used");
    }

    @Test
    void unknownLengthIsLookedUpOnce() throws IOException {
        org.apache.hadoop.fs.Path p = recorded(qeth);
        try (HadoopByteSource src = HadoopByteSource.open(p.getFileSystem(conf), p)) {
            assertEquals(Files.size(qeth), src.size());
        }
        assertEquals(1, RecordingFileSystem.STATUS_CALLS.get());
        assertEquals(List.of("policy=random length=" + Files.size(qeth)), RecordingFileSystem.OPENS);
    }

    @Test
    void fileSystemWithoutTheBuilderFallsBackToOpen() throws IOException {
        RecordingFileSystem.noBuilder = true;
        org.apache.hadoop.fs.Path p = recorded(qeth);
        try (HadoopByteSource src = HadoopByteSource.open(p.getFileSystem(conf), p, Files.size(qeth))) {
            assertArrayEquals(Files.readAllBytes(qeth), bytes(src));
        }
        assertEquals(List.of("open"), RecordingFileSystem.OPENS);
    }

    @Test
    void readModulesPassesTheListedLength() throws IOException {
        ModuleReader reader = new ModuleReader();
        Path root = ScanTestSupport.sample(SampleGenerator.S390);
        for (String rel : List.of("kernel/drivers/s390/net/qeth.ko", "kernel/drivers/s390/crypto/zcrypt.ko.gz")) {
            String policy = rel.endsWith(".gz") ? "whole-file,sequential" : "random";
            long size = Files.size(root.resolve(rel));
            RecordingFileSystem.OPENS.clear();
            Release remote = new Release("k", recorded(root).toString(), false);
            ModuleResult viaHadoop = ReadModules.readModule(reader, FileTask.module(remote, rel, size), conf);
            ModuleResult viaFile = ReadModules.readModule(reader,
                    FileTask.module(new Release("k", root.toString(), true), rel, size), null);
            assertEquals(ModuleInfo.class, viaHadoop.getClass(), String.valueOf(viaHadoop));
            assertEquals(viaFile, viaHadoop, rel);
            assertEquals(List.of("policy=" + policy + " length=" + size), RecordingFileSystem.OPENS, rel);
        }
        assertEquals(0, RecordingFileSystem.STATUS_CALLS.get());
    }
}
