package io.fwatlas.scan;

import static io.fwatlas.scan.ScanTestSupport.scan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.SampleGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are not what they seem: the scan succeeds (their rows are real) and its summary
 * says what looks wrong, with the release the modules' vermagic names next to it.
 */
class InputWarningsTest {
    static final String S390 = Path.of(SampleGenerator.S390).getFileName().toString();
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = ScanTestSupport.spark();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private List<String> warnings(String... inputs) {
        String[] args = new String[inputs.length + 2];
        args[0] = "-o";
        args[1] = tmp.resolve("out-" + System.nanoTime()).toString();
        System.arraycopy(inputs, 0, args, 2, inputs.length);
        ScanTestSupport.Run r = scan(args);
        assertEquals(0, r.code(), r.err());
        return r.out().lines().filter(l -> l.startsWith("warning: ")).toList();
    }

    /** The sample release's module files read without error, all built for it (the sample's vermagic). */
    private static long goodModules(String release) {
        return Expected.goodModules(List.of(release)).size();
    }

    @Test
    void aLinkNamedCurrentIsNamedAsNoKernelReleaseWithTheReleaseItsModulesWereBuiltFor() throws IOException {
        Path current = Files.createSymbolicLink(tmp.resolve("current"), ScanTestSupport.sample(SampleGenerator.S390));
        long n = goodModules(SampleGenerator.S390);
        assertEquals(List.of("warning: release 'current' does not look like a kernel release name (a link to a release, "
                + "or a directory that merely holds .ko files?); its modules were built for " + S390 + " (" + n + " of " + n + " modules read); name it with --kernel, or leave it out of the inputs"),
                warnings(current.toString()));
    }

    @Test
    void aTreeOfStrayFixturesIsNoKernelAndMostlyFailed() throws IOException {
        Path fixtures = Files.createDirectories(tmp.resolve("checkout").resolve("fixtures"));
        Files.writeString(fixtures.resolve("a.ko"), "not an ELF file");
        Files.writeString(fixtures.resolve("b.ko"), "nor this");
        assertEquals(List.of("warning: release 'fixtures' does not look like a kernel release name (a link to a release, "
                + "or a directory that merely holds .ko files?); name it with --kernel, or leave it out of the inputs",
                "warning: most of what was read failed (2 errors in 2 module files and 0 built-in modules); are the "
                        + "inputs kernel module trees? See errors by kind"),
                warnings(tmp.resolve("checkout").toString()));
    }

    @Test
    void aReleaseWhoseModulesWereBuiltForAnotherIsNamed() throws IOException {
        Path renamed = tmp.resolve("trees").resolve("5.10.0-99-s390x");
        ScanTestSupport.copyTree(ScanTestSupport.sample(SampleGenerator.S390), renamed);
        long n = goodModules(SampleGenerator.S390);
        assertEquals(List.of("warning: release '5.10.0-99-s390x': its modules were built for " + S390 + " (" + n + " of " + n + " modules read)"), warnings(renamed.toString()));
    }

    @Test
    void aPackageThatFailsBeforeItsReleaseIsNotNamedAsARelease() throws IOException {
        Path debs = Files.createDirectories(tmp.resolve("debs"));
        Files.writeString(debs.resolve("linux-image-6.1.0-18-amd64_6.1.76-1_amd64.deb"), "not an ar archive");
        List<String> w = warnings(debs.toString());
        assertTrue(w.stream().noneMatch(l -> l.contains(ReadPackage.UNKNOWN_KERNEL)), w.toString());
    }

    @Test
    void theSamplesAndTheirOwnNamesRaiseNone() {
        assertEquals(List.of(), warnings(ScanTestSupport.SAMPLES.toString()));
    }
}
