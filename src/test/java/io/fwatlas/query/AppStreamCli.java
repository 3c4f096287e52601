package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** {@code appstreamcli validate --no-net} (Debian package appstream) as the tests' judge of metainfo files. */
public final class AppStreamCli {
    static final Path TOOL = Path.of("/usr/bin/appstreamcli");

    private AppStreamCli() {
    }

    /** Skips the calling test, saying why, when appstreamcli is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(TOOL), "appstreamcli is not installed (Debian package appstream): "
                + "metainfo validation skipped");
    }

    /** Writes {@code m} under {@code dir} with the file name Debian gives it and asserts that appstreamcli accepts it. */
    static void assertValid(Path dir, AppStream.Metainfo m) throws IOException, InterruptedException {
        Path file = dir.resolve(m.id() + ".metainfo.xml");
        Files.writeString(file, AppStream.write(m), StandardCharsets.UTF_8);
        assertValid(file);
    }

    /** Asserts that {@code appstreamcli validate --no-net FILE} exits 0; its report is the failure message. */
    public static void assertValid(Path file) throws IOException, InterruptedException {
        assumeInstalled();
        Process p = new ProcessBuilder(TOOL.toString(), "validate", "--no-net", "--no-color", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("appstreamcli validate did not finish in 60 s: " + file);
        }
        assertEquals(0, p.exitValue(), "appstreamcli validate --no-net " + file + ":\n" + out);
    }
}
