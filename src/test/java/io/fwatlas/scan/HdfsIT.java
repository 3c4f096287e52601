package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HDFS (MiniDFSCluster, one NameNode and one DataNode in this JVM, from the shaded
 * hadoop-client-minicluster at Spark's Hadoop version): the samples copied into it are scanned
 * from hdfs:// into tables on hdfs://, which equal the local run of the same files; an
 * incremental re-run then finds every release unchanged through the manifests on HDFS.
 * Alone: mvn verify -Dit.test=HdfsIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("hdfs")
class HdfsIT {
    @TempDir
    Path tmp;

    @Test
    void scanFromHdfsToHdfsEqualsTheLocalRun() throws Exception {
        // HDFS holds no symbolic links or FIFOs: the samples' regular files only, here and there.
        Path input = tmp.resolve("samples");
        copyRegularFiles(ScanTestSupport.SAMPLES, input);
        Path local = StandaloneClusterIT.localRun(tmp.resolve("local"), input);

        Path base = StandaloneCluster.TARGET.resolve("hdfs-it");
        StandaloneCluster.deleteTree(base);
        Configuration conf = new Configuration();
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1).build();
        try {
            dfs.waitActive();
            FileSystem fs = dfs.getFileSystem();
            String root = fs.getUri().toString();
            assertTrue(root.startsWith("hdfs://"), root);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(input.toUri()),
                    new org.apache.hadoop.fs.Path("/mirror"));

            ScanTestSupport.Run r = ScanTestSupport.scan("--master", "local[2]", "-o", root + "/atlas",
                    root + "/mirror");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("fwatlas scan: 5 kernels, 27 modules"), r.out());
            assertTrue(r.out().contains("tables: " + root + "/atlas/{firmware,modinfo,modules}"), r.out());
            for (String k : List.of("6.6.6-hostile", "4.9.0-13-armmp", "5.10.0-30-s390x", "6.1.0-18-amd64",
                    "6.12.9+deb13-amd64")) {
                assertTrue(fs.isFile(new org.apache.hadoop.fs.Path("/atlas/_manifests/" + k + ".json")), k);
            }

            Path fromHdfs = tmp.resolve("from-hdfs");
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path("/atlas"), new org.apache.hadoop.fs.Path(fromHdfs.toUri()));
            StandaloneClusterIT.assertSameTables(local, fromHdfs, input.toString(), root + "/mirror");

            ScanTestSupport.Run again = ScanTestSupport.scan("--master", "local[2]", "--incremental",
                    "-o", root + "/atlas", root + "/mirror");
            assertEquals(0, again.code(), again.err());
            assertTrue(again.out().contains("releases: 5 unchanged (skipped), 0 rescanned, 0 new, 0 pruned"),
                    again.out());

            // packages on HDFS: streamed from hdfs://, the same rows as the local scan of the same files
            Path debs = Files.createDirectories(tmp.resolve("debs"));
            for (String p : List.of("deb-xz.deb", "rpm-zst.rpm", "tree.tar.zst")) {
                Files.copy(ScanPackagesTest.FIXTURES.resolve(p), debs.resolve(p));
            }
            Path localPk = StandaloneClusterIT.localRun(tmp.resolve("local-pk"), debs);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(debs.toUri()),
                    new org.apache.hadoop.fs.Path("/debs"));
            ScanTestSupport.Run pk = ScanTestSupport.scan("--master", "local[2]", "-o", root + "/pk", root + "/debs");
            assertEquals(0, pk.code(), pk.err());
            assertTrue(pk.out().contains("packages: 3 read, 0 unchanged (skipped), 0 without modules"), pk.out());
            Path pkFromHdfs = tmp.resolve("pk-from-hdfs");
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path("/pk"), new org.apache.hadoop.fs.Path(pkFromHdfs.toUri()));
            StandaloneClusterIT.assertSameTables(localPk, pkFromHdfs);
        } finally {
            dfs.shutdown(true);
        }
    }

    @Test
    void fourScansAtOnceIntoOneTableOnHdfsKeepEveryRowOnce() throws Exception {
        Path reference = tmp.resolve("one-by-one");
        for (Path in : ConcurrentScanTest.INPUTS) {
            assertEquals(0, ScanTestSupport.scan("-o", reference.toString(), in.toString()).code());
        }
        Path base = StandaloneCluster.TARGET.resolve("hdfs-it-concurrent");
        StandaloneCluster.deleteTree(base);
        Configuration conf = new Configuration();
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1).build();
        List<ChildScan> children = new ArrayList<>();
        try {
            dfs.waitActive();
            FileSystem fs = dfs.getFileSystem();
            String atlas = fs.getUri() + "/atlas";
            for (Path in : ConcurrentScanTest.INPUTS) {
                children.add(ChildScan.start(List.of(), "scan", "--master", "local[1]", "-o", atlas, in.toString()));
            }
            long waited = 0;
            for (ChildScan c : children) {
                assertEquals(0, c.exit(600), c.output());
                assertTrue(c.count("is being written by") <= 1, "said more than once:\n" + c.output());
                waited += c.count("is being written by");
            }
            assertTrue(waited >= 1, "no scan waited for another: they did not overlap");
            assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/atlas/_lock")), "lock released");
            Path fromHdfs = tmp.resolve("concurrent-from-hdfs");
            fs.copyToLocalFile(new org.apache.hadoop.fs.Path("/atlas"), new org.apache.hadoop.fs.Path(fromHdfs.toUri()));
            SparkSession spark = ScanTestSupport.spark();
            try {
                assertEquals(ConcurrentScanTest.contents(spark, reference), ConcurrentScanTest.contents(spark, fromHdfs));
            } finally {
                spark.stop();
            }
            assertTrue(Files.readString(fromHdfs.resolve("_SUCCESS")).contains("\"generation\" : 4"));
        } finally {
            children.forEach(ChildScan::close);
            dfs.shutdown(true);
        }
    }

    /** A copy of the directories and regular files of a tree; links, FIFOs and the like are left out. */
    static void copyRegularFiles(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(p, t);
                }
            }
        }
    }
}
