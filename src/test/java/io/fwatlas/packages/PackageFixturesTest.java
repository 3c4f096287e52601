package io.fwatlas.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.PackageFixtures;
import io.fwatlas.fixtures.PackageFixtures.PackagedModule;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed package fixtures are what PackageFixtures generates (run jobs/make-package-fixtures),
 * and the good ones are packages the distributions' own tools accept.
 */
class PackageFixturesTest {

    @Test
    void committedFilesEqualGeneratedBytes() throws IOException {
        Map<String, byte[]> generated = PackageFixtures.all();
        List<String> onDisk;
        try (Stream<Path> s = Files.list(Collect.dir())) {
            onDisk = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(new ArrayList<>(generated.keySet()), onDisk, "run jobs/make-package-fixtures -o");
        long total = 0;
        for (Map.Entry<String, byte[]> e : generated.entrySet()) {
            byte[] b = Collect.bytes(e.getKey());
            assertArrayEquals(e.getValue(), b, e.getKey() + " differs from the generator; run jobs/make-package-fixtures -o");
            total += b.length;
        }
        assertTrue(total < 512 * 1024, "package fixtures should stay small, they take " + total + " bytes");
    }

    @Test
    void dpkgDebListsTheModules() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb not installed");
        for (String deb : List.of("deb-xz.deb", "deb-zst.deb", "deb-tar.deb")) {
            String listing = run("dpkg-deb", "--contents", Collect.dir().resolve(deb).toString());
            for (PackagedModule m : PackageFixtures.goodModules().get(deb)) {
                assertTrue(listing.contains("/modules/" + m.kernel() + "/" + m.path() + "\n"), deb + " lacks " + m.path()
                        + ":\n" + listing);
            }
        }
    }

    @Test
    void rpmFindsThePayloadAndItsCompressor() throws Exception {
        assumeTrue(onPath("rpm") && onPath("rpm2cpio"), "rpm not installed (apt-get install rpm)");
        for (String[] pkg : new String[][] {{"rpm-xz.rpm", "xz"}, {"rpm-zst.rpm", "zstd"}}) {
            Path file = Collect.dir().resolve(pkg[0]);
            assertEquals(pkg[1], run("rpm", "-qp", "--qf", "%{PAYLOADCOMPRESSOR}", file.toString()).strip());
            // rpm2cpio decompresses the payload it finds after the headers: the generator's cpio comes back.
            Process p = new ProcessBuilder("rpm2cpio", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] cpio = p.getInputStream().readAllBytes();
            // Its exit status is 1 here, as the fixtures carry no payload digest or size tags to compare with;
            // what counts is that it finds the payload where the headers end and decodes it whole.
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "rpm2cpio hangs on " + pkg[0]);
            PackageSummary s = Collect.read(new PackageReader(), pkg[0], Collect.bytes(pkg[0])).summary;
            assertEquals(s.expandedBytes(), cpio.length, pkg[0] + ": rpm2cpio and the reader disagree on the payload");
            String names = new String(cpio, StandardCharsets.ISO_8859_1);
            for (PackagedModule m : PackageFixtures.goodModules().get(pkg[0])) {
                assertTrue(names.contains("./lib/modules/" + m.kernel() + "/" + m.path()), pkg[0] + " lacks " + m.path());
            }
            assertTrue(names.contains("TRAILER!!!"), pkg[0]);
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " hangs");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed");
        return out;
    }
}
