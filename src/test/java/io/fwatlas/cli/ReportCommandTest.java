package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.TestSpark;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fwatlas report} over a small written table, and the page in headless Chromium (skipped
 * when no chromium is installed; $FWATLAS_CHROMIUM names one). The screenshot is kept as
 * target/report-test/report.png.
 */
class ReportCommandTest {
    static final List<String> KERNELS = List.of("6.1.0-9-amd64", "6.1.0-10-amd64", "6.12.1-amd64",
            "6.1.0-10-cloud-amd64");
    static final String DEVICE_A = "pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00";
    static final String DEVICE_B = "usb:v1234p5678d0100dc00dsc00dp00ic02isc06ip00in00";
    static final String DEVICE_C = "acpi:NONE0000:";
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path table;

    @BeforeAll
    static void setUp() throws IOException {
        spark = TestSpark.start();
        table = tmp.resolve("atlas");
        Files.createDirectories(table);
        Files.writeString(table.resolve("_fwatlas.json"), "{\"format\":\"fwatlas-tables\",\"version\":"
                + io.fwatlas.scan.TableStore.FORMAT_VERSION + "}");
        List<Row> fw = new ArrayList<>();
        List<Row> mods = new ArrayList<>();
        List<Row> resolved = new ArrayList<>();
        for (int k = 0; k < KERNELS.size(); k++) {
            String kernel = KERNELS.get(k);
            for (int i = 0; i <= k; i++) {  // kernel k declares k+1 firmware names, one module each
                fw.add(RowFactory.create(kernel, "m" + i, "fw-" + i + ".bin", false, "m" + i + ".ko", "/trees"));
                mods.add(RowFactory.create(kernel, "m" + i, "m" + i + ".ko", false, 1L, "none", 64, "little",
                        "x86_64", "v", kernel, false, "ok", null, null, "/trees"));
                // fw-0.bin is missing everywhere, and <script> in a name must stay text
                // fw-0.bin is found nowhere, pkg-a_1 has the others, pkg-b_2 has fw-2.bin too
                String status = i == 0 ? "missing" : "found";
                String[] providers = i == 0 ? new String[0] : i == 2 ? new String[] {"pkg-a_1", "pkg-b_2"}
                        : new String[] {"pkg-a_1"};
                resolved.add(RowFactory.create(kernel, "m" + i, "fw-" + i + ".bin", status, new String[0],
                        new String[0], providers));
            }
        }
        fw.add(RowFactory.create(KERNELS.get(0), "evil", "</script><b>x", false, "evil.ko", "/trees"));
        // m0 drives device A in every kernel, m2 drives device B from 6.12.1 on; nothing drives C
        List<Row> modinfo = new ArrayList<>();
        for (String kernel : KERNELS) {
            modinfo.add(RowFactory.create(kernel, "m0", "m0.ko", false, 0, "alias", DEVICE_A.replace("sv0", "sv*"),
                    "/trees"));
            modinfo.add(RowFactory.create(kernel, "m0", "m0.ko", false, 1, "firmware", "fw-0.bin", "/trees"));
        }
        modinfo.add(RowFactory.create("6.12.1-amd64", "m2", "m2.ko", false, 0, "alias", "usb:v1234p*", "/trees"));
        write(fw, AtlasTables.FIRMWARE, "firmware");
        write(modinfo, AtlasTables.MODINFO, "modinfo");
        write(mods, AtlasTables.MODULES, "modules");
        write(resolved, AtlasTables.RESOLVED, "resolved");
    }

    static void write(List<Row> rows, org.apache.spark.sql.types.StructType schema, String name) {
        spark.createDataFrame(rows, schema).write().partitionBy("kernel").parquet(table.resolve(name).toString());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new String[] {String.valueOf(cl.execute(args)), out.toString(), err.toString()};
    }

    @Test
    void writesOneSelfContainedPageThatChromiumDraws() throws Exception {
        Path html = tmp.resolve("report.html");
        String[] r = run("report", "--table", table.toString(), "--out", html.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("fwatlas report: 4 kernels, 2 changes, missing firmware of 4 kernels; wrote " + html + "\n",
                r[1]);
        String page = Files.readString(html);
        assertTrue(page.contains("Chart.js v4."), "Chart.js is inlined");
        assertFalse(Pattern.compile("<(script|link|img)[^>]+(src|href)=", Pattern.CASE_INSENSITIVE).matcher(page)
                .find(), "nothing is loaded from elsewhere");
        assertFalse(page.contains("</script><b>x"), "a firmware name cannot end the data script");
        // created as any file here is: the umask decides, not a temporary file's 0600
        Path probe = Files.createFile(tmp.resolve("probe-" + System.nanoTime()));
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(html));
        // the tables are in the page itself, not drawn by its scripts: they are there with every script taken out
        // (headless Chromium cannot dump a page whose scripts are off)
        String plain = Pattern.compile("<script[^>]*>.*?</script>", Pattern.DOTALL).matcher(page).replaceAll("");
        assertTrue(plain.contains("<tr><td>6.1.0-10-cloud-amd64</td><td>cloud-amd64</td><td class=\"n\">4</td>"), plain);
        for (String k : KERNELS) {
            assertTrue(plain.contains("<td>" + k + "</td><td class=\"n\">1</td>"), "missing count of " + k);
        }
        assertTrue(plain.contains("<td>" + KERNELS.get(3) + "</td><td class=\"n\">1</td><td>pkg-a_1 (3), "
                + "pkg-b_2 (1)</td>"), plain);
        assertTrue(page.contains("<p class=\"resolved\">The resolved table does not say what it was resolved against (it predates that record).</p>"), page);
        assertFalse(page.contains("class=\"stale\""), "every kernel is resolved");

        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "no chromium installed");
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        String dom = chromium(chromium, profile, "--dump-dom", html.toUri().toString());
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertTrue(body.find(), dom);
        assertTrue(body.group(1).contains("data-fwatlas-status=\"done\""), body.group(1));
        assertTrue(body.group(1).contains("data-fwatlas-errors=\"\""), body.group(1));
        // 4 kernels, one point each in each of the two charts
        assertTrue(body.group(1).contains("data-fwatlas-points=\"8\""), body.group(1));
        // along the versions: the cloud kernel sits above its amd64 twin, after 6.1.0-9, before 6.12.1
        Matcher xs = Pattern.compile("data-fwatlas-x=\"([^\"]*)\"").matcher(body.group(1));
        assertTrue(xs.find(), body.group(1));
        com.fasterxml.jackson.databind.JsonNode x = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(xs.group(1).replace("&quot;", "\""));
        assertEquals(x.get("6.1.0-10-amd64").asDouble(), x.get("6.1.0-10-cloud-amd64").asDouble(), 0.0, x.toString());
        assertTrue(x.get("6.1.0-9-amd64").asDouble() < x.get("6.1.0-10-amd64").asDouble(), x.toString());
        assertTrue(x.get("6.1.0-10-amd64").asDouble() < x.get("6.12.1-amd64").asDouble(), x.toString());


        for (String k : KERNELS) {
            assertTrue(dom.contains("<td>" + k + "</td><td class=\"n\">1</td>"), "missing count of " + k);
        }
        // where each kernel's firmware comes from: kernel k has k+1 names, fw-0.bin in no package
        assertTrue(dom.contains("<td>" + KERNELS.get(0) + "</td><td class=\"n\">1</td><td></td>"), dom);
        assertTrue(dom.contains("<td>" + KERNELS.get(1) + "</td><td class=\"n\">1</td><td>pkg-a_1 (1)</td>"), dom);
        assertTrue(dom.contains("<td>" + KERNELS.get(3) + "</td><td class=\"n\">1</td><td>pkg-a_1 (3), "
                + "pkg-b_2 (1)</td>"), dom);

        Path png = Paths.get("target/report-test/report.png").toAbsolutePath();
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        chromium(chromium, profile, "--hide-scrollbars", "--window-size=1200,1600", "--screenshot=" + png,
                html.toUri().toString());
        assertTrue(Files.size(png) > 10_000, "screenshot " + png);
    }

    /** Two series (amd64, cloud-amd64) and three devices: six cells, three of them supported. */
    @Test
    void deviceSectionHasOneCellPerDeviceAndSeries() throws Exception {
        Path devices = tmp.resolve("devices.txt");
        Files.writeString(devices, "# a machine\n" + DEVICE_A + "\n" + DEVICE_B + "\n" + DEVICE_C + "\n");
        Path html = tmp.resolve("devices.html");
        String[] r = run("report", "--table", table.toString(), "--out", html.toString(), "--devices",
                devices.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("fwatlas report: 4 kernels, 2 changes, missing firmware of 4 kernels, 2 of 3 devices "
                + "supported; wrote " + html + "\n", r[1]);

        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "no chromium installed");
        String dom = chromium(chromium, Files.createDirectories(tmp.resolve("profile-devices")), "--dump-dom",
                html.toUri().toString());
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertTrue(body.find(), dom);
        assertTrue(body.group(1).contains("data-fwatlas-errors=\"\""), body.group(1));
        assertTrue(body.group(1).contains("data-fwatlas-device-cells=\"6\""), body.group(1));
        assertEquals(3, count(dom, "<td class=\"supported\">"), dom);
        assertEquals(3, count(dom, "<td class=\"unsupported\">"), dom);
        // A: every amd64 kernel from the first, and the cloud one alone; B: from 6.12.1 only
        assertTrue(dom.contains("<td class=\"supported\"><b>6.1.0-9-amd64</b> \u2026 6.12.1-amd64<br>m0<br>"
                + "<small title=\"fw-0.bin\">fw-0.bin</small></td>"), dom);
        assertTrue(dom.contains("<td class=\"supported\"><b>6.1.0-10-cloud-amd64</b> only<br>m0<br>"), dom);
        assertTrue(dom.contains("<td class=\"supported\"><b>6.12.1-amd64</b> only<br>m2<br>"
                + "<small title=\"\">no firmware</small></td>"), dom);
        assertTrue(dom.contains("<td class=\"device\">" + DEVICE_C + "</td><td class=\"unsupported\">"), dom);

        String[] bad = run("report", "--table", table.toString(), "--out", html.toString(), "--devices",
                tmp.resolve("none.txt").toString());
        assertEquals("2", bad[0]);
        assertEquals("fwatlas report: --devices " + tmp.resolve("none.txt") + ": no such file\n", bad[2]);
    }

    /**
     * A resolved table older than some kernels is marked, with what it was resolved against: a
     * kernel it lacks, and (by its partition's time) kernels scanned again after it.
     */
    @Test
    void aResolvedTableOlderThanTheKernelsIsMarkedWithItsSources() throws Exception {
        Path copy = tmp.resolve("stale-atlas");
        try (var walk = Files.walk(table)) {
            for (Path p : walk.toList()) {
                Files.copy(p, copy.resolve(table.relativize(p).toString()));
            }
        }
        deleteTree(copy.resolve("resolved").resolve("kernel=6.12.1-amd64"));
        java.time.Instant later = java.time.Instant.now().plusSeconds(3600);
        Files.writeString(copy.resolve("resolved").resolve(io.fwatlas.query.ResolvedInfo.FILE), "{\"resolved_at\":\""
                + later + "\",\"against\":\"directories\",\"sources\":[\"/lib/firmware\",\"/opt/fw\"]}");
        Path html = tmp.resolve("stale.html");
        String[] r = run("report", "--table", copy.toString(), "--out", html.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("fwatlas report: the resolved table is older than 1 kernel of the table (6.12.1-amd64); run "
                + "fwatlas resolve again\n", r[2]);
        String page = Files.readString(html);
        assertTrue(page.contains("<p class=\"stale\" id=\"stale\"><b>Out of date:</b> the resolved table is older "
                + "than 1 kernel of this table (6.12.1-amd64)"), page);
        assertTrue(page.contains("<p class=\"resolved\">Resolved " + later.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " against the firmware directories /lib/firmware, /opt/fw.</p>"), page);

        // resolved before every kernel's partition was written: all four are newer
        Files.writeString(copy.resolve("resolved").resolve(io.fwatlas.query.ResolvedInfo.FILE),
                "{\"resolved_at\":\"2000-01-01T00:00:00Z\",\"against\":\"packages\",\"sources\":[\"firmware-misc-nonfree_1\"]}");
        r = run("report", "--table", copy.toString(), "--out", html.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[2].startsWith("fwatlas report: the resolved table is older than 4 kernels of the table ("
                + "6.1.0-9-amd64, 6.1.0-10-amd64, 6.12.1-amd64, 6.1.0-10-cloud-amd64)"), r[2]);
        assertTrue(Files.readString(html).contains("against the firmware packages and directories scanned into the "
                + "table: firmware-misc-nonfree_1.</p>"));
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void refusesAMissingTableOrDirectory() {
        String[] r = run("report", "--table", tmp.resolve("none").toString(), "--out", tmp.resolve("x.html").toString());
        assertEquals("2", r[0]);
        assertEquals("fwatlas report: table " + tmp.resolve("none") + " does not exist\n", r[2]);
        r = run("report", "--table", table.toString(), "--out", tmp.resolve("no/such/x.html").toString());
        assertEquals("2", r[0]);
        assertEquals("fwatlas report: cannot write " + tmp.resolve("no/such/x.html") + ": no directory "
                + tmp.resolve("no/such") + "\n", r[2]);
    }

    static String chromium() {
        String configured = System.getenv("FWATLAS_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                if (Files.isExecutable(Paths.get(dir, name))) {
                    return Paths.get(dir, name).toString();
                }
            }
        }
        return null;
    }

    /** Runs headless Chromium offline with a throw-away profile; returns its stdout. */
    static String chromium(String exe, Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(exe, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path stdout = Files.createTempFile(tmp, "chromium", ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium exit status: " + cmd);
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
