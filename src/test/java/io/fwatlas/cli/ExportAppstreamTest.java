package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fwatlas.query.AppStreamCli;
import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.TestSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fwatlas export --table OUT appstream} over a small written table. */
class ExportAppstreamTest {
    static final String K1 = "6.12.9+deb13-amd64";
    static final String K2 = "6.12.9+deb13-arm64";
    static final String PKG = "firmware-test-nonfree";
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
        List<Row> modinfo = new ArrayList<>();
        // asks for a file of the package in K1 only; its K2 file has no firmware, so its K2 aliases are not read
        module(modinfo, K1, "kernel/drivers/net/wifi/wifi.ko.xz", false, "firmware=wifi/a.bin", "alias=pci:v1d2*",
                "alias=wifi_compat", "alias=of:N*T*Cvendor,wifi");
        module(modinfo, K2, "kernel/drivers/net/wifi/wifi.ko.xz", false, "alias=pci:v1d9*");
        // one key over two kernels: the K2 file matches, so the K1 file's aliases come too
        module(modinfo, K1, "kernel/drivers/bt/bt-usb.ko", false, "firmware=bt/old.bin", "alias=usb:v1p1d*");
        module(modinfo, K2, "kernel/drivers/bt/bt-usb.ko.xz", false, "firmware=bt/new.bin", "alias=usb:v1p2d*");
        module(modinfo, K1, "kernel/drivers/glob/globbed.ko", false, "firmware=glob/*", "alias=pci:v3d*");
        // not read by update-modinfo: built in, outside kernel/, no file of the package asked for
        module(modinfo, K1, "kernel/drivers/builtin/builtin.ko", true, "firmware=wifi/a.bin", "alias=pci:v4d*");
        module(modinfo, K1, "updates/dkms/extra.ko", false, "firmware=wifi/a.bin", "alias=pci:v5d*");
        module(modinfo, K1, "kernel/drivers/other/other.ko", false, "firmware=other.bin", "alias=pci:v6d*");
        spark.createDataFrame(modinfo, AtlasTables.MODINFO).write().partitionBy("kernel")
                .parquet(table.resolve("modinfo").toString());
        List<Row> modules = List.of(
                RowFactory.create(K1, "wifi", "kernel/drivers/net/wifi/wifi.ko.xz", false, 1L, "xz", 2, "little",
                        "x86_64", "", "", false, "ok", null, null, "/trees"),
                RowFactory.create(K2, "wifi", "kernel/drivers/net/wifi/wifi.ko.xz", false, 1L, "xz", 2, "little",
                        "aarch64", "", "", false, "ok", null, null, "/trees"));
        spark.createDataFrame(modules, AtlasTables.MODULES).write().partitionBy("kernel")
                .parquet(table.resolve("modules").toString());
        String description = "This package contains the binary firmware for test cards &\nfriends.  Really.\n\n"
                + "This firmware is covered by a licence.";
        List<Row> packages = List.of(
                RowFactory.create(PKG, "2", "/debs/" + PKG + "_2_all.deb", "deb", "Binary firmware for test cards",
                        description, "https://example.org/fw?a=1&b=2", 4L, 1L, "ok", null, null),
                RowFactory.create(PKG, "1", "/debs/" + PKG + "_1_all.deb", "deb", "Binary firmware for test cards",
                        description, null, 1L, 0L, "ok", null, null),
                RowFactory.create("firmware-broken", "1", "/debs/firmware-broken_1_all.deb", "deb", "Broken",
                        null, null, 0L, 0L, "error", "truncated", "firmware-broken_1_all.deb: truncated"));
        spark.createDataFrame(packages, AtlasTables.FIRMWARE_PACKAGES).write()
                .parquet(table.resolve("firmware_packages").toString());
        String deb2 = "/debs/" + PKG + "_2_all.deb";
        List<Row> files = List.of(
                file(PKG, "2", deb2, "wifi/a.bin.xz", "wifi/a.bin", "xz", "file", null),
                file(PKG, "2", deb2, "bt/new.bin", "bt/new.bin", "none", "file", null),
                file(PKG, "2", deb2, "glob/x.bin", "glob/x.bin", "none", "file", null),
                file(PKG, "2", deb2, "wifi.d/b.bin", "wifi.d/b.bin", "none", "file", null),
                file(PKG, "2", deb2, "wifi/b.bin", "wifi/b.bin", "none", "link", "a.bin.xz"),
                file(PKG, "1", "/debs/" + PKG + "_1_all.deb", "other.bin", "other.bin", "none", "file", null));
        spark.createDataFrame(files, AtlasTables.FIRMWARE_FILES).write().parquet(table.resolve("firmware_files").toString());
    }

    static void module(List<Row> rows, String kernel, String path, boolean builtin, String... keyValues) {
        String name = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.ko.*", "").replace('-', '_');
        int ordinal = 0;
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            rows.add(RowFactory.create(kernel, name, path, builtin, ordinal++, kv.substring(0, eq), kv.substring(eq + 1),
                    "/trees"));
        }
    }

    static Row file(String pkg, String version, String source, String path, String name, String compression,
            String kind, String target) {
        return RowFactory.create(pkg, version, source, path, name, compression, kind, target, 1L, null, null, null, "ok",
                null, null);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("export", "--table", table.toString(), "appstream"));
        all.addAll(List.of(args));
        return new Run(cl.execute(all.toArray(new String[0])), out.toString(), err.toString());
    }

    static final String EXPECTED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <component type="firmware">
              <id>org.debian.firmware_test_nonfree</id>
              <name>firmware-test-nonfree</name>
              <summary>Binary firmware for test cards</summary>
              <description>
                <p>Binary firmware for test cards &amp; friends. Really.</p>
              </description>
              <url type="homepage">https://example.org/fw?a=1&amp;b=2</url>
              <metadata_license>CC0-1.0</metadata_license>
              <provides>
                <firmware type="runtime">bt/new.bin</firmware>
                <firmware type="runtime">glob/x.bin</firmware>
                <firmware type="runtime">wifi/a.bin</firmware>
                <firmware type="runtime">wifi/b.bin</firmware>
                <firmware type="runtime">wifi.d/b.bin</firmware>
            %s
              </provides>
            </component>
            """;

    static String expected(String... aliases) {
        StringBuilder b = new StringBuilder();
        for (String a : aliases) {
            b.append("    <modalias>").append(a).append("</modalias>\n");
        }
        return EXPECTED.formatted(b.toString());
    }

    @Test
    void printsTheMetainfoOfOneVersion() throws Exception {
        Run r = run(PKG, "--package-version", "2", "--kernel", K1, K2);
        assertEquals(0, r.code(), r.err());
        assertEquals(expected("of:N*T*Cvendor,wifi", "pci:v1d2*", "pci:v3d*", "usb:v1p1d*", "usb:v1p2d*"), r.out());
        assertEquals("fwatlas export appstream: " + PKG + " 2: 5 firmware, 5 modaliases from 3 modules "
                + "(bt-usb globbed wifi) of 2 kernels; standard output\n", r.err());
        Path file = tmp.resolve("valid").resolve("org.debian.firmware_test_nonfree.metainfo.xml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, r.out());
        AppStreamCli.assertValid(file);
    }

    @Test
    void literalNamesAndOneKernel() {
        Run r = run(PKG, "--package-version", "2", "--kernel", K1, "--literal");
        assertEquals(0, r.code(), r.err());
        assertEquals(expected("of:N*T*Cvendor,wifi", "pci:v1d2*"), r.out());
    }

    @Test
    void writesTheFileDebianInstalls() throws IOException {
        Path dir = tmp.resolve("out").resolve("metainfo");
        Run r = run(PKG, "--package-version", "2", "--kernel", K2, "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        Path file = dir.resolve("org.debian.firmware_test_nonfree.metainfo.xml");
        // bt-usb's K1 file is not read for K2 alone
        assertEquals(expected("usb:v1p2d*"), Files.readString(file, StandardCharsets.UTF_8));
        assertEquals("fwatlas export appstream: " + PKG + " 2: 5 firmware, 1 modalias from 1 module (bt-usb) "
                + "of 1 kernel; " + file + "\n", r.err());
    }

    @Test
    void refusesWhatTheTableDoesNotHold() {
        Run r = run("firmware-nope", "--kernel", K1);
        assertEquals(2, r.code());
        assertEquals("fwatlas export appstream: unknown package 'firmware-nope'; packages: firmware-broken, " + PKG
                + "\n", r.err());
        r = run(PKG, "--kernel", K1);
        assertEquals(2, r.code());
        assertEquals("fwatlas export appstream: package '" + PKG + "' has versions 1, 2: choose one with "
                + "--package-version\n", r.err());
        r = run(PKG, "--package-version", "3", "--kernel", K1);
        assertEquals(2, r.code());
        assertEquals("fwatlas export appstream: package '" + PKG + "' has no version '3'; versions: 1, 2\n", r.err());
        r = run(PKG, "--package-version", "2", "--kernel", "6.12.9+deb13-nope");
        assertEquals(2, r.code());
        assertEquals("fwatlas export appstream: unknown kernel '6.12.9+deb13-nope'; kernels: " + K1 + ", " + K2 + "\n",
                r.err());
        r = run("firmware-broken", "--kernel", K1);
        assertEquals(1, r.code());
        assertEquals("fwatlas export appstream: firmware-broken 1 from /debs/firmware-broken_1_all.deb could not be "
                + "read whole, so its file list is incomplete: firmware-broken_1_all.deb: truncated\n", r.err());
        assertFalse(Files.exists(tmp.resolve("out").resolve("broken")));
        r = run(PKG);
        assertEquals(2, r.code());
        assertEquals("fwatlas export appstream: missing required option: '--kernel=KERNEL'; "
                + "see 'fwatlas export appstream --help'", r.err().strip());
    }
}
