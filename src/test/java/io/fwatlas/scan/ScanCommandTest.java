package io.fwatlas.scan;

import static io.fwatlas.scan.ScanTestSupport.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.SampleGenerator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals: each fails before Spark starts, with one clear line and a non-zero exit code. */
class ScanCommandTest {
    @TempDir
    Path tmp;

    private void assertRefused(int code, String message, ScanTestSupport.Run r) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(message), "want '" + message + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertFalse(r.out().contains("kernels,"), r.out());
    }

    private String deb12() {
        return ScanTestSupport.sample(SampleGenerator.DEB12).toString();
    }

    @Test
    void missingInput() {
        Path missing = tmp.resolve("no-such-tree");
        assertRefused(2, "fwatlas scan: input not found: " + missing,
                scan("-o", tmp.resolve("out").toString(), missing.toString()));
        assertFalse(Files.exists(tmp.resolve("out")), "output created for a refused run");
    }

    @Test
    void inputWithoutRelease() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty/etc"));
        Files.writeString(empty.resolve("hostname"), "box\n");
        assertRefused(2, "no kernel release found in " + tmp.resolve("empty") + ": looked for lib/modules/<release>/",
                scan("-o", tmp.resolve("out").toString(), tmp.resolve("empty").toString()));
    }

    @Test
    void inputThatIsAFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        assertRefused(2, "input is neither a directory nor a package file (.deb, .rpm, .tar, .tar.xz, .txz, "
                + ".tar.zst, .tzst, .tar.gz, .tgz): " + f, scan("-o", tmp.resolve("out").toString(), f.toString()));
    }

    @Test
    void outputThatIsNotAnFwatlasTable() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(out.resolve("thesis.tex"), "precious");
        assertRefused(2, "exists but is not an fwatlas table (no _fwatlas.json)", scan("-o", out.toString(), deb12()));
        assertEquals("precious", Files.readString(out.resolve("thesis.tex")));
    }

    @Test
    void outputOfAnotherFormatVersion() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("v9"));
        Files.writeString(out.resolve(TableStore.MARKER), "{\"format\":\"fwatlas-tables\",\"version\":9}");
        assertRefused(2, "holds tables of format version 9; this fwatlas writes version " + TableStore.FORMAT_VERSION,
                scan("-o", out.toString(), deb12()));
    }

    @Test
    void outputThatCannotBeCreated() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertRefused(1, "cannot create output directory", scan("-o", file.resolve("out").toString(), deb12()));
    }

    @Test
    void outputLockedByALiveRun() throws IOException {
        Path out = tmp.resolve("locked");
        Files.createDirectories(out);
        Files.writeString(out.resolve(TableStore.MARKER), "{\"format\":\"fwatlas-tables\",\"version\":"
                + TableStore.FORMAT_VERSION + "}");
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(out.resolve("_lock"), "{\"run\":\"x\",\"pid\":" + ProcessHandle.current().pid()
                + ",\"host\":\"" + host + "\"}");
        // the default is to wait (up to 10 min); --lock-wait 0 refuses at once, as scans did before
        assertRefused(2, "another run is writing", scan("--lock-wait", "0", "-o", out.toString(), deb12()));
        assertTrue(Files.exists(out.resolve("_lock")), "a live run's lock was taken");
    }

    @Test
    void badMaxModuleSize() {
        String out = tmp.resolve("out").toString();
        assertRefused(2, "--max-module-size 'lots' is not a size in bytes",
                scan("-o", out, "--max-module-size", "lots", deb12()));
        assertRefused(2, "--max-module-size 10 is below 64 bytes", scan("-o", out, "--max-module-size", "10", deb12()));
        assertRefused(2, "--max-module-size 4GiB exceeds", scan("-o", out, "--max-module-size", "4GiB", deb12()));
        assertRefused(2, "--max-module-size '-5' is out of range", scan("-o", out, "--max-module-size", "-5", deb12()));
    }

    @Test
    void kernelNameForManyReleases() {
        assertRefused(2, "--kernel x1 names a single tree, but the inputs hold 2 releases: 6.1.0-18-amd64, "
                + "6.12.9+deb13-amd64", scan("-o", tmp.resolve("out").toString(), "--kernel", "x1",
                ScanTestSupport.SAMPLES.resolve("rootfs").toString()));
    }

    @Test
    void badKernelName() {
        assertRefused(2, "--kernel '../etc' is not a kernel release name",
                scan("-o", tmp.resolve("out").toString(), "--kernel", "../etc", deb12()));
    }

    @Test
    void badMaster() {
        assertRefused(2, "--master 'locl[2]' is not a Spark master URL",
                scan("-o", tmp.resolve("out").toString(), "--master", "locl[2]", deb12()));
        assertRefused(2, "--master '' is not a Spark master URL",
                scan("-o", tmp.resolve("out").toString(), "--master", "", deb12()));
    }

    @Test
    void pruneWithoutIncremental() {
        assertRefused(2, "--prune needs --incremental", scan("-o", tmp.resolve("out").toString(), "--prune", deb12()));
        assertRefused(2, "--prune needs --incremental",
                scan("-o", tmp.resolve("out").toString(), "--prune", "--digest", deb12()));
        assertFalse(Files.exists(tmp.resolve("out")), "output created for a refused run");
    }

    @Test
    void incrementalOptionsTakeNoValue() {
        ScanTestSupport.Run r = scan("-o", tmp.resolve("out").toString(), "--incremental=maybe", deb12());
        assertRefused(2, "fwatlas scan: invalid value for option '--incremental'", r);
        assertFalse(Files.exists(tmp.resolve("out")), "output created for a refused run");
    }

    @Test
    void missingOutputOption() {
        assertRefused(2, "fwatlas scan: missing required option: '--output=OUT'; see 'fwatlas scan --help'",
                scan(deb12()));
    }

    @Test
    void missingInputArgument() {
        // INPUT is optional for picocli since --firmware-dir alone is a scan; one or the other is needed
        assertRefused(2, "fwatlas scan: no INPUT given: name at least one kernel tree, package file or firmware "
                + "directory, or give --firmware-dir DIR", scan("-o", tmp.resolve("out").toString()));
        assertFalse(Files.exists(tmp.resolve("out")), "output created for a refused run");
    }

    /**
     * A standalone master nobody listens on: Spark itself would retry for a minute, print pages of
     * traces and fail on a stopped context. In a JVM of its own, since a session of this one would be joined.
     */
    @Test
    void anUnreachableMasterIsOneLineWithinSecondsAndTouchesNoTable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path out = tmp.resolve("new-table");
        String quiet = "-Dlog4j2.configurationFile=" + Paths.get("conf", "log4j2.properties").toUri();
        try (ChildScan child = ChildScan.start(List.of(quiet), "scan", "--master", "spark://127.0.0.1:" + port,
                "-o", out.toString(), deb12())) {
            assertEquals(2, child.exit(60), child.output());
            List<String> lines = child.lines.stream().filter(l -> !l.isBlank()).toList();
            assertEquals(List.of("fwatlas scan: no Spark master answers at spark://127.0.0.1:" + port + " (127.0.0.1:"
                    + port + ": Connection refused); start the master, or correct --master or spark.master"), lines);
        }
        assertFalse(Files.exists(out), "output created for an unreachable master");
    }
}
