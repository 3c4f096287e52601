package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs and outputs whose file system cannot be used: each is one line on stderr naming the
 * location and what to do, before Spark starts. Credentials are refused by
 * {@link RefusingFileSystem}, registered for its test scheme with fs.SCHEME.impl as a user would.
 */
class StoreErrorsTest {
    static final String IMPL = "spark.hadoop.fs." + RefusingFileSystem.SCHEME + ".impl";
    static final String MIRROR = Paths.get("data-samples", "mirror").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    @BeforeAll
    static void register() {
        System.setProperty(IMPL, RefusingFileSystem.class.getName());
    }

    @AfterAll
    static void unregister() {
        System.clearProperty(IMPL);
    }

    private CliHarness.Run scan(String output, String input) {
        return CliHarness.fwatlas("scan", "--master", "local[1]", "-o", output, input);
    }

    /** Exit code, one line that holds every part, nothing on stdout. */
    private static void assertOneLine(int code, CliHarness.Run r, String... parts) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("fwatlas scan: "), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "want '" + p + "' in: " + r.err());
        }
        assertEquals("", r.text(), "stdout");
    }

    @Test
    void unknownScheme() {
        Path out = tmp.resolve("out");
        CliHarness.Run r = scan(out.toString(), "nosuch://host/mirror");
        assertOneLine(2, r, "input nosuch://host/mirror: unknown URI scheme 'nosuch'",
                "use a local path, file://, hdfs:// or s3a://", "spark.hadoop.fs.nosuch.impl");
        assertFalse(Files.exists(out), "output created for a refused run");
    }

    @Test
    void s3aWithoutHadoopAws() {
        assumeFalse(onClassPath("org.apache.hadoop.fs.s3a.S3AFileSystem"), "built with -Ps3: hadoop-aws is here");
        CliHarness.Run r = scan(tmp.resolve("out").toString(), "s3a://bucket/mirror");
        assertOneLine(2, r, "input s3a://bucket/mirror: the s3a:// file system is not on the class path",
                "S3AFileSystem", "add hadoop-aws (spark-submit --packages org.apache.hadoop:hadoop-aws:3.5.0",
                "mvn -Ps3");
    }

    @Test
    void s3aOutputWithoutHadoopAws() {
        assumeFalse(onClassPath("org.apache.hadoop.fs.s3a.S3AFileSystem"), "built with -Ps3: hadoop-aws is here");
        CliHarness.Run r = scan("s3a://bucket/atlas", MIRROR);
        assertOneLine(2, r, "output s3a://bucket/atlas: the s3a:// file system is not on the class path",
                "add hadoop-aws");
    }

    @Test
    void forbiddenInput() {
        CliHarness.Run r = scan(tmp.resolve("out").toString(), "fwdeny://denied/mirror");
        assertOneLine(2, r, "input fwdeny://denied/mirror: access denied or no credentials",
                "AccessDeniedException", "Status Code: 403", "check the credentials in the spark.hadoop.fs.fwdeny.*");
    }

    @Test
    void inputWithoutCredentials() {
        CliHarness.Run r = scan(tmp.resolve("out").toString(), "fwdeny://nocreds/mirror");
        assertOneLine(2, r, "input fwdeny://nocreds/mirror: access denied or no credentials",
                "NoAuthWithAWSException: No AWS Credentials provided");
    }

    @Test
    void hdfsPermissionDenied() {
        CliHarness.Run r = scan(tmp.resolve("out").toString(), "fwdeny://hdfsperm/mirror");
        assertOneLine(2, r, "input fwdeny://hdfsperm/mirror: access denied or no credentials",
                "AccessControlException: Permission denied: user=alice");
    }

    @Test
    void missingRemoteInput() {
        CliHarness.Run r = scan(tmp.resolve("out").toString(), "fwdeny://missing/mirror");
        assertOneLine(2, r, "input not found: fwdeny://missing/mirror");
    }

    @Test
    void forbiddenOutputCannotBeWritten() {
        CliHarness.Run r = scan("fwdeny://denied/atlas", MIRROR);
        assertOneLine(1, r, "output fwdeny://denied/atlas: access denied or no credentials", "AccessDeniedException");
    }

    @Test
    void unknownOutputScheme() {
        CliHarness.Run r = scan("nosuch://host/atlas", MIRROR);
        assertOneLine(2, r, "output nosuch://host/atlas: unknown URI scheme 'nosuch'");
    }

    private static boolean onClassPath(String name) {
        try {
            Class.forName(name, false, StoreErrorsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
