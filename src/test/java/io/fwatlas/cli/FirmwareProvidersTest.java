package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.FirmwareResolver;
import io.fwatlas.query.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample kernels and two firmware directories scanned into one table, then {@code resolve}
 * without {@code --firmware-dir}: every row's providers must be the directories in which
 * {@link FirmwareResolver} (dracut's rules on the real files) finds the name, and {@code query
 * missing} and {@code query providers} must agree with that.
 */
class FirmwareProvidersTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path table;
    static Path dirA;
    static Path dirB;
    static List<String[]> names = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        spark = TestSpark.start();
        table = tmp.resolve("atlas");
        CliHarness.Run scan = CliHarness.fwatlas("scan", "--output", table.toString(), "data-samples/rootfs");
        assertEquals(0, scan.code(), scan.err());
        for (Row r : AtlasTables.open(spark, table.toString()).firmware().select("kernel", "firmware").distinct()
                .orderBy("kernel", "firmware").collectAsList()) {
            names.add(new String[] {r.getString(0), r.getString(1)});
        }
        assertTrue(names.size() > 20, "sample firmware names: " + names.size());
        // A: every second name, some xz-compressed; B: every third, one as a link, one under updates/
        dirA = tmp.resolve("a/firmware");
        dirB = tmp.resolve("b/lib/firmware");
        int i = 0;
        for (String[] n : names) {
            String fw = n[1].replace("*", "x");
            if (i % 2 == 0) {
                write(dirA.resolve(fw + (i % 4 == 0 ? ".xz" : "")));
            }
            if (i % 3 == 0) {
                Path p = dirB.resolve(i % 9 == 0 ? "updates/" + fw : fw);
                if (i % 6 == 0) {
                    write(dirB.resolve("real/" + i + ".bin"));
                    Files.createDirectories(p.getParent());
                    Files.createSymbolicLink(p, p.getParent().relativize(dirB.resolve("real/" + i + ".bin")));
                } else {
                    write(p);
                }
            }
            i++;
        }
        CliHarness.Run fw = CliHarness.fwatlas("scan", "--output", table.toString(), "--firmware-dir",
                dirB.toString(), dirA.toString());
        assertEquals(0, fw.code(), fw.err());
        assertTrue(fw.text().contains("firmware: 2 packages and directories"), fw.text());
    }

    static void write(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, p.getFileName().toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void providersAreTheDirectoriesWhereDracutFindsTheName() {
        CliHarness.Run r = CliHarness.fwatlas("resolve", "--table", table.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.text().contains("against the 2 firmware packages and directories"), r.text());
        FirmwareResolver a = new FirmwareResolver(List.of(dirA));
        FirmwareResolver b = new FirmwareResolver(List.of(dirB));
        Map<String, String> want = new TreeMap<>();
        Map<String, TreeSet<String>> missing = new TreeMap<>();
        for (String[] n : names) {
            List<String> p = new ArrayList<>();
            if (a.resolve(n[0], n[1]).status().equals(FirmwareResolver.FOUND)) {
                p.add(dirA.toString());
            }
            if (b.resolve(n[0], n[1]).status().equals(FirmwareResolver.FOUND)) {
                p.add(dirB.toString());
            }
            p.sort(null);
            want.put(n[0] + " " + n[1], (p.isEmpty() ? "not-found" : FirmwareResolver.FOUND) + " " + p);
            if (p.isEmpty()) {
                missing.computeIfAbsent(n[0], k -> new TreeSet<>()).add(n[1]);
            }
        }
        Map<String, String> got = new TreeMap<>();
        for (Row row : AtlasTables.open(spark, table.toString()).resolved().collectAsList()) {
            String status = row.getString(3).equals(FirmwareResolver.FOUND) ? FirmwareResolver.FOUND : "not-found";
            got.put(row.getString(0) + " " + row.getString(2), status + " " + row.getList(6));
        }
        assertEquals(want, got);
        assertTrue(want.values().stream().anyMatch(v -> v.contains(dirA + ", " + dirB)), "a name in both");
        assertTrue(!missing.isEmpty(), "some names are missing everywhere");

        String kernel = missing.keySet().iterator().next();
        CliHarness.Run m = CliHarness.fwatlas("query", "--table", table.toString(), "missing", "--kernel", kernel);
        assertEquals(0, m.code(), m.err());
        TreeSet<String> listed = new TreeSet<>();
        for (String line : m.text().split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 4 && f[0].equals(kernel)) {
                listed.add(f[1]);
            }
        }
        assertEquals(missing.get(kernel), listed);
    }

    @Test
    void providersQueryListsEveryFileOfEveryDirectoryMatchingThePattern() throws IOException {
        String name = names.get(0)[1].replace("*", "x");
        String glob = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) + "/*" : "*";
        CliHarness.Run p = CliHarness.fwatlas("query", "--table", table.toString(), "providers", glob);
        assertEquals(0, p.code(), p.err());
        TreeSet<String> want = new TreeSet<>();
        String dir = glob.substring(0, glob.length() - 1);
        for (Path root : List.of(dirA, dirB)) {
            Path d = root.resolve(dir);
            if (Files.isDirectory(d)) {
                try (var s = Files.list(d)) {
                    s.forEach(f -> want.add(root + " " + root.relativize(f)));
                }
            }
        }
        TreeSet<String> got = new TreeSet<>();
        for (String line : p.text().split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length > 4 && !f[0].equals("name")) {
                got.add(f[1] + " " + f[3]);
            }
        }
        assertEquals(want, got);
        CliHarness.Run none = CliHarness.fwatlas("query", "--table", table.toString(), "providers", "no/such.bin");
        assertEquals(1, none.code());
        assertEquals("fwatlas query providers: no scanned firmware package ships 'no/such.bin'\n", none.err());
    }
}
