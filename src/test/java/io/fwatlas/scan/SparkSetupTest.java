package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
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
        assertEquals("true", c.get("spark.ui.showConsoleProgress"));
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
}
