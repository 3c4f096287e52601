package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the CLI's Spark configuration is assembled; no session is started. */
class SparkSetupTest {
    @TempDir
    Path conf;

    @Test
    void confDirDefaultsApplyAndMasterOptionWins() throws IOException {
        Files.writeString(conf.resolve("spark-defaults.conf"), "# comment\n"
                + "spark.sql.shuffle.partitions   3\n"
                + "spark.master                   local[1]\n"
                + "spark.hadoop.fs.example.key    v1\n");
        SparkConf c = SparkSetup.conf(null, conf.toString());
        assertEquals("3", c.get("spark.sql.shuffle.partitions"));
        assertEquals("local[1]", c.get("spark.master"));
        assertEquals("false", c.get("spark.ui.enabled"));
        assertEquals("false", c.get("spark.ui.showConsoleProgress"), "fwatlas prints its own progress");
        assertEquals("dynamic", c.get("spark.sql.sources.partitionOverwriteMode"));
        assertEquals("v1", SparkSetup.hadoopConf(c).get("fs.example.key"));

        assertEquals("local[2]", SparkSetup.conf("local[2]", conf.toString()).get("spark.master"));
    }

    @Test
    void withoutConfDirTheMasterIsLocal() {
        SparkConf c = SparkSetup.conf(null, null);
        assertEquals("local[*]", c.get("spark.master"));
        assertEquals("8", c.get("spark.sql.shuffle.partitions"));
    }

    @Test
    void aClusterMasterKeepsTheUi() {
        SparkConf c = SparkSetup.conf("spark://10.0.0.1:7077", null);
        assertEquals("spark://10.0.0.1:7077", c.get("spark.master"));
        assertEquals(false, c.contains("spark.ui.enabled"));
    }

    @Test
    void aStandaloneMasterIsAcceptedWhenOneOfItsAddressesAnswers() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int closed = closedPort();
            SparkSetup.checkMaster("spark://127.0.0.1:" + closed + ",127.0.0.1:" + listening.getLocalPort(), true, true);
        }
    }

    @Test
    void aStandaloneMasterNoAddressOfWhichAnswersIsRefusedNamingEach() throws IOException {
        int closed = closedPort();
        ScanException e = assertThrows(ScanException.class,
                () -> SparkSetup.checkMaster("spark://127.0.0.1:" + closed, true, true));
        assertEquals(ScanException.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("no Spark master answers at spark://127.0.0.1:" + closed
                + " (127.0.0.1:" + closed + ": Connection refused)"), e.getMessage());
        // without reach, only the form is checked
        SparkSetup.checkMaster("spark://127.0.0.1:" + closed, true, false);
    }

    @Test
    void aMasterThatIsNoUrlIsRefusedNamingWhereItCameFrom() {
        for (String bad : new String[] {"nonsense", "locl[2]", "local[0]", "spark://", "spark://host:port"}) {
            ScanException opt = assertThrows(ScanException.class, () -> SparkSetup.checkMaster(bad, true, true), bad);
            assertTrue(opt.getMessage().startsWith("--master '" + bad + "'"), opt.getMessage());
            ScanException conf = assertThrows(ScanException.class, () -> SparkSetup.checkMaster(bad, false, false));
            assertTrue(conf.getMessage().startsWith("spark.master '" + bad + "'"), conf.getMessage());
        }
        for (String good : new String[] {"local", "local[*]", "local[4]", "local[2,3]", "yarn", "k8s://https://h:6443"}) {
            SparkSetup.checkMaster(good, true, true);
        }
    }

    /** A loopback port nothing listens on (it did a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
