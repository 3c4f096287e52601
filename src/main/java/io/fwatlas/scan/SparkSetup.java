package io.fwatlas.scan;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/** Spark configuration of the CLI: conf/ files when run by the launcher, spark-submit's settings otherwise. */
public final class SparkSetup {
    public static final String CONF_DIR_ENV = "FWATLAS_CONF_DIR";

    private SparkSetup() {
    }

    /** spark-submit leaves the deploy mode among the system properties; a plain java launch does not. */
    public static boolean underSparkSubmit() {
        return System.getProperty("spark.submit.deployMode") != null;
    }

    /**
     * The configuration for a scan: spark.* system properties, then (outside spark-submit)
     * {@code $FWATLAS_CONF_DIR/spark-defaults.conf}, then fwatlas defaults; {@code master}
     * overrides all, and local[*] is used when nothing names a master.
     */
    public static SparkConf conf(String master, String confDir) {
        SparkConf conf = new SparkConf();
        if (confDir != null && !underSparkSubmit()) {
            Path defaults = Paths.get(confDir, "spark-defaults.conf");
            if (Files.isRegularFile(defaults)) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(defaults, StandardCharsets.UTF_8)) {
                    p.load(r);
                } catch (IOException e) {
                    throw ScanException.usage("cannot read " + defaults + ": " + e.getMessage());
                }
                for (String k : p.stringPropertyNames()) {
                    if (k.startsWith("spark.")) {
                        conf.setIfMissing(k, p.getProperty(k).strip());
                    }
                }
            }
        }
        if (master != null) {
            conf.setMaster(master);
        }
        conf.setIfMissing("spark.master", "local[*]");
        conf.setIfMissing("spark.app.name", "fwatlas-scan");
        // fwatlas prints its own progress (Progress); Spark's bar writes carriage returns even to files
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.sql.sources.partitionOverwriteMode", "dynamic");
        if (conf.get("spark.master").startsWith("local")) {
            // Nothing to watch in a local run; the UI costs startup time and a port.
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        }
        return conf;
    }

    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\*|[1-9][0-9]*)(,[0-9]+)?])?|local-cluster\\[[0-9]+,[0-9]+,[0-9]+]"
                    + "|spark://\\S+|yarn|k8s://\\S+|mesos://\\S+");
    private static final int CONNECT_MILLIS = 5000;

    /**
     * Refuses a master that Spark cannot use, before anything starts: an unparseable URL, or a
     * standalone master none of whose addresses accepts a connection (Spark itself would retry
     * for a minute and then fail with a stopped context, never naming the cause). {@code reach}:
     * also try the connection.
     */
    public static void checkMaster(String master, boolean fromOption, boolean reach) {
        if (!MASTER.matcher(master).matches()) {
            throw ScanException.usage((fromOption ? "--master '" : "spark.master '") + master
                    + "' is not a Spark master URL (local, local[N], local[*], spark://HOST:PORT, yarn, k8s://URL)");
        }
        if (!master.startsWith("spark://")) {
            return;
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String address : master.substring("spark://".length()).split(",")) {
            int colon = address.lastIndexOf(':');
            try {
                addresses.add(InetSocketAddress.createUnresolved(colon < 0 ? address : address.substring(0, colon),
                        colon < 0 ? 7077 : Integer.parseInt(address.substring(colon + 1))));
            } catch (IllegalArgumentException e) { // not a number, or not a port
                throw ScanException.usage((fromOption ? "--master '" : "spark.master '") + master + "': '"
                        + address + "' is not HOST:PORT");
            }
        }
        if (!reach) {
            return;
        }
        List<String> why = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), CONNECT_MILLIS);
                return;
            } catch (java.net.UnknownHostException e) {
                why.add(a.getHostString() + ":" + a.getPort() + ": unknown host");
            } catch (IOException | IllegalArgumentException e) {
                why.add(a.getHostString() + ":" + a.getPort() + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        throw ScanException.usage("no Spark master answers at " + master + " (" + String.join("; ", why)
                + "); start the master, or correct --master or spark.master");
    }

    /** Points log4j2 at conf/log4j2.properties unless something else already chose a file. */
    public static void configureLogging(String confDir) {
        if (confDir == null || System.getProperty("log4j2.configurationFile") != null) {
            return;
        }
        Path p = Paths.get(confDir, "log4j2.properties");
        if (Files.isRegularFile(p)) {
            System.setProperty("log4j2.configurationFile", p.toUri().toString());
        }
    }

    /** Hadoop settings for the driver's own file system calls: spark.hadoop.* as Spark would apply them. */
    public static Configuration hadoopConf(SparkConf conf) {
        Configuration h = new Configuration();
        for (Tuple2<String, String> kv : conf.getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                h.set(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return h;
    }

    /** The running session (tests, spark-shell), or null. */
    public static SparkSession existing() {
        scala.Option<SparkSession> s = SparkSession.getActiveSession();
        if (s.isEmpty()) {
            s = SparkSession.getDefaultSession();
        }
        return s.isDefined() ? s.get() : null;
    }
}
