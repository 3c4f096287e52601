package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.SampleGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {
    static final Path S = ScanTestSupport.SAMPLES;
    final Configuration conf = new Configuration();

    @TempDir
    Path tmp;

    private List<String> kernels(String kernel, String... inputs) {
        return Discovery.find(List.of(inputs), kernel, conf).stream().map(Release::kernel).toList();
    }

    @Test
    void everyLayoutOfTheSamples() {
        assertEquals(List.of("6.6.6-hostile", "4.9.0-13-armmp", "5.10.0-30-s390x", "6.1.0-18-amd64",
                "6.12.9+deb13-amd64"), kernels(null, S.toString()));
        assertEquals(List.of("6.1.0-18-amd64", "6.12.9+deb13-amd64"), kernels(null, S.resolve("rootfs").toString()));
        assertEquals(List.of("6.1.0-18-amd64", "6.12.9+deb13-amd64"),
                kernels(null, S.resolve("rootfs/lib/modules").toString()));
        assertEquals(List.of("4.9.0-13-armmp", "5.10.0-30-s390x"), kernels(null, S.resolve("mirror").toString()));
        assertEquals(List.of("5.10.0-30-s390x"), kernels(null, S.resolve(SampleGenerator.S390).toString()));
    }

    @Test
    void releaseRootsAreTheDirectories() {
        List<Release> r = Discovery.find(List.of(S.resolve("rootfs").toString()), null, conf);
        assertEquals(S.resolve(SampleGenerator.DEB12).toString(), r.get(0).root());
        assertTrue(r.get(0).local());
    }

    @Test
    void fileUrisAndRelativePaths() {
        assertEquals(List.of("5.10.0-30-s390x"), kernels(null, S.resolve(SampleGenerator.S390).toUri().toString()));
        Path cwd = Paths.get("").toAbsolutePath();
        assertEquals(List.of("4.9.0-13-armmp"), kernels(null, cwd.relativize(S.resolve(SampleGenerator.ARM)).toString()));
    }

    @Test
    void kernelOptionRenamesASingleTree() {
        List<Release> r = Discovery.find(List.of(S.resolve(SampleGenerator.S390).toString()), "5.10.0-31-s390x", conf);
        assertEquals("5.10.0-31-s390x", r.get(0).kernel());
        assertEquals(S.resolve(SampleGenerator.S390).toString(), r.get(0).root());
    }

    @Test
    void usrMergedRootfsCountsOnce() throws IOException {
        Path root = tmp.resolve("rootfs");
        Files.createDirectories(root.resolve("usr/lib/modules/6.1.0-9-arm64/kernel"));
        Files.createSymbolicLink(root.resolve("lib"), Paths.get("usr/lib"));
        assertEquals(List.of("6.1.0-9-arm64"), kernels(null, root.toString()));
    }

    @Test
    void sameReleaseInTwoPlacesIsRefused() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a/6.1.0-9-arm64/kernel"));
        Path b = Files.createDirectories(tmp.resolve("b/6.1.0-9-arm64/kernel"));
        ScanException e = assertThrows(ScanException.class, () -> kernels(null, a.getParent().getParent().toString(),
                b.getParent().getParent().toString()));
        assertTrue(e.getMessage().startsWith("release 6.1.0-9-arm64 found twice"), e.getMessage());
    }

    @Test
    void linkLoopsEndTheSearch() throws IOException {
        Path top = Files.createDirectories(tmp.resolve("loopy/a"));
        Files.createSymbolicLink(top.resolve("up"), Paths.get(".."));
        ScanException e = assertThrows(ScanException.class, () -> kernels(null, tmp.resolve("loopy").toString()));
        assertTrue(e.getMessage().startsWith("no kernel release found in"), e.getMessage());
    }

    @Test
    void releaseMadeOfModuleFilesAlone() throws IOException {
        Path r = Files.createDirectories(tmp.resolve("flat/5.4.0-1-amd64"));
        Files.write(r.resolve("e1000.ko.xz"), new byte[] {1});
        assertEquals(List.of("5.4.0-1-amd64"), kernels(null, tmp.resolve("flat").toString()));
    }
}
