package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.Compressors;
import io.fwatlas.fixtures.ElfBuilder;
import io.fwatlas.fixtures.KernelAliases;
import io.fwatlas.fixtures.KmodTool;
import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.query.TestSpark;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code fwatlas export debian-modinfo} against an independent rewrite of Debian's
 * {@code update-modinfo} (src/test/resources/io/fwatlas/cli/update_modinfo_oracle.py), which asks
 * the real kmod {@code modinfo -F firmware} and {@code -F alias} of every file as the script does:
 * generated trees and the sample trees are scanned, and for one, two and four kernels the two
 * outputs must be the same bytes.
 */
class DebianModinfoExportTest {
    static final String K1 = "6.10.0-1-gen";
    static final String K2 = "6.10.0-2-gen";
    static final String NONE = "6.10.0-3-nofw";
    static final String DEB12 = "6.1.0-18-amd64";
    static final String DEB13 = "6.12.9+deb13-amd64";
    static SparkSession spark;
    static Path dir;
    static Path gen;
    static String table;

    @BeforeAll
    static void scan() throws IOException {
        spark = TestSpark.start();
        dir = Files.createTempDirectory("fwatlas-export-test");
        gen = dir.resolve("gen/lib/modules");
        writeK1(gen.resolve(K1));
        writeK2(gen.resolve(K2));
        put(gen.resolve(NONE + "/kernel/drivers/plain/plain.ko"), module("plain", "alias=pci:v00001234d*"));
        table = dir.resolve("atlas").toString();
        Path samples = Paths.get("data-samples").toAbsolutePath();
        CliHarness.Run scan = CliHarness.fwatlas("scan", "--output", table, dir.resolve("gen").toString(),
                samples.resolve("rootfs").toString(), samples.resolve("hostile").toString());
        assertEquals(0, scan.code(), scan.err());
    }

    @AfterAll
    static void stop() throws IOException {
        spark.stop();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void sameBytesAsUpdateModinfoForOneTwoAndFourKernels() throws Exception {
        Path samples = Paths.get("data-samples").toAbsolutePath();
        Map<String, Path> trees = new LinkedHashMap<>();
        trees.put(K1, gen.resolve(K1));
        trees.put(K2, gen.resolve(K2));
        trees.put(NONE, gen.resolve(NONE));
        trees.put(DEB12, samples.resolve(SampleGenerator.DEB12));
        trees.put(DEB13, samples.resolve(SampleGenerator.DEB13));
        for (List<String> kernels : List.of(List.of(K1), List.of(K2), List.of(K1, K2), List.of(NONE),
                List.of(DEB12, DEB13, K2, K1))) {
            List<Path> dirs = kernels.stream().map(trees::get).toList();
            String expected = oracle(dirs);
            List<String> args = new ArrayList<>(List.of("export", "--table", table, "debian-modinfo"));
            args.addAll(kernels);
            CliHarness.Run r = CliHarness.fwatlas(args.toArray(new String[0]));
            assertEquals(0, r.code(), r.err());
            assertEquals(expected, r.latin1(), "kernels " + kernels);
        }
        assertEquals("{}", oracle(List.of(trees.get(NONE))));
        // what the generated trees are there for: each rule changes the output
        String both = oracle(List.of(trees.get(K1), trees.get(K2)));
        for (String s : List.of("\"fwonly\": {\n    \"alias\": [],", "\"snd-dash-name\"", "\"wifi-a\"",
                "wifi/a-1.bin", "wifi/a-2.bin", "shared/k1.bin", "shared/k2.bin", "dup/plain.bin", "dup/xz.bin",
                "\"nofw\"", "\\u00fc", "\\ud83d\\ude00", "\"\",", "\"x\",\n      \"y\"",
                "\"lastempty\": {\n    \"alias\": [],\n    \"firmware\": [\n      \"last.bin\"\n    ]",
                "\"onlyempty\": {\n    \"alias\": [\n      \"x:1\"\n    ],\n    \"firmware\": [\n      \"\"\n    ]")) {
            assertTrue(both.contains(s), s + " not in\n" + both);
        }
        for (String s : List.of("outside.bin", "zmod", "gmod", "builtin", "legacy-no-colon", "fwonly-compat")) {
            assertTrue(!both.contains(s), s + " in\n" + both);
        }
    }

    @Test
    void anUnknownKernelIsOneUsageLine() {
        CliHarness.Run r = CliHarness.fwatlas("export", "--table", table, "debian-modinfo", K1, "6.10.0-9-nope");
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.text());
        assertTrue(r.err().startsWith("fwatlas export debian-modinfo: unknown kernel '6.10.0-9-nope'; kernels: "),
                r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        CliHarness.Run none = CliHarness.fwatlas("export", "--table", table);
        assertEquals(2, none.code(), none.err());
        assertEquals("fwatlas export: missing export format: debian-modinfo or appstream; see 'fwatlas export --help'",
                none.err().strip());
    }

    @Test
    void unreadableModulesAreNamedAndLeftOut() {
        CliHarness.Run r = CliHarness.fwatlas("export", "debian-modinfo", "--table", table, "6.6.6-hostile");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("fwatlas export debian-modinfo: 6 module files could not be read and are left "
                + "out: 6.6.6-hostile/kernel/bad/corrupt.ko.xz 6.6.6-hostile/kernel/bad/dangling.ko "), r.err());
        assertTrue(r.text().contains("\"e100\": {"), r.text());
    }

    /** What the oracle prints for these release directories, one char per byte. */
    static String oracle(List<Path> releases) throws IOException, InterruptedException, URISyntaxException {
        String python = KmodTool.find("python3").map(Path::toString).orElse(null);
        String modinfo = CliHarness.kmodModinfo();
        assumeTrue(python != null, "python3 not found in PATH");
        assumeTrue(modinfo != null, "kmod's modinfo is not installed");
        Path script = Path.of(DebianModinfoExportTest.class.getResource("update_modinfo_oracle.py").toURI());
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), modinfo));
        releases.forEach(p -> cmd.add(p.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LC_ALL", "C.UTF-8");
        Path err = Files.createTempFile("update-modinfo", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(30, TimeUnit.MINUTES), "the oracle did not finish");
            assertEquals(0, p.exitValue(), "the oracle failed: " + Files.readString(err));
            return new String(out, StandardCharsets.ISO_8859_1);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /**
     * Every rule of the script: a module with firmware but no ':' alias, one without firmware,
     * two files of one name (.ko and .ko.xz), dashes in a name, modules outside kernel/ and with
     * suffixes it does not take, built-ins, empty values, \r and \n inside values, non-ASCII, names
     * that sort differently by case and punctuation; and generated modules of real alias shapes.
     */
    static void writeK1(Path release) throws IOException {
        put(release.resolve("kernel/drivers/net/wifi/wifi-a.ko"), module("wifi_a", "alias=pci:v00008086d00002723sv*",
                "alias=usb:v0BDAp8156d*", "alias=legacy-no-colon", "firmware=wifi/a-1.bin", "firmware=wifi/common.bin",
                "firmware=wifi/a-1.bin"));
        put(release.resolve("kernel/drivers/misc/fwonly.ko.xz"), Compressors.xz(module("fwonly",
                "alias=char-major-10-99", "alias=fwonly-compat", "firmware=fwonly.bin")));
        put(release.resolve("kernel/drivers/misc/nofw.ko"), module("nofw", "alias=pci:v00001111d*"));
        put(release.resolve("kernel/drivers/shared/shared.ko"), module("shared", "alias=pci:v0000AAAAd*",
                "firmware=shared/k1.bin"));
        put(release.resolve("kernel/drivers/dup/a/dup.ko"), module("dup", "alias=dup:a*", "firmware=dup/plain.bin"));
        put(release.resolve("kernel/drivers/dup/b/dup.ko.xz"), Compressors.xz(module("dup", "alias=dup:b*",
                "firmware=dup/xz.bin")));
        put(release.resolve("kernel/sound/snd-dash-name.ko"), module("snd_dash_name", "alias=pci:v00001002d*",
                "firmware=snd/dash.bin"));
        put(release.resolve("kernel/drivers/odd/odd.ko"), module("odd", "firmware=", "firmware=x\ry", "firmware=tail\r",
                "firmware=line1\nline2", "firmware=vendor/\u00fc\u540d.bin", "firmware=emoji/\ud83d\ude00.bin",
                "firmware=quote\"back\\slash\ttab", "firmware", "alias=of:N*T*Cvendor,\u00fc", "alias=acpi*:ABC0001:*"));
        put(release.resolve("kernel/drivers/odd/lastempty.ko"), module("lastempty", "firmware=last.bin", "firmware="));
        put(release.resolve("kernel/drivers/odd/onlyempty.ko"), module("onlyempty", "firmware=", "alias=x:1"));
        for (String name : List.of("Upper", "upper", "a_b", "a-b", "a.b")) {
            put(release.resolve("kernel/drivers/order/" + name + ".ko"), module(name.replace('-', '_'),
                    "firmware=order/" + name + ".bin"));
        }
        put(release.resolve("updates/outside.ko"), module("outside", "alias=pci:v2*", "firmware=outside.bin"));
        put(release.resolve("extra/wifi-a.ko"), module("wifi_a", "alias=pci:v3*", "firmware=outside.bin"));
        put(release.resolve("kernel/drivers/zst/zmod.ko.zst"), Compressors.zstd(module("zmod", "firmware=zmod.bin")));
        put(release.resolve("kernel/drivers/gz/gmod.ko.gz"), Compressors.gzip(module("gmod", "firmware=gmod.bin")));
        put(release.resolve("modules.builtin.modinfo"), ElfBuilder.modinfoBytes("builtinmod.firmware=builtin.bin",
                "builtinmod.alias=pci:v4*"));
        put(release.resolve("modules.builtin"), "kernel/drivers/builtinmod.ko\n".getBytes(StandardCharsets.UTF_8));
        generated(release, new Random(1), 200);
    }

    /** K1's names with other firmware and aliases, in other directories; nofw now has firmware. */
    static void writeK2(Path release) throws IOException {
        put(release.resolve("kernel/drivers/net/wifi/wifi-a.ko.xz"), Compressors.xz(module("wifi_a",
                "alias=pci:v00008086d00002723sv*", "alias=pci:v00008086d00007AF0sv*", "firmware=wifi/a-2.bin")));
        put(release.resolve("kernel/other/shared.ko"), module("shared", "alias=pci:v0000BBBBd*", "firmware=shared/k2.bin"));
        put(release.resolve("kernel/drivers/misc/nofw.ko"), module("nofw", "alias=pci:v00001111d*", "firmware=nofw.bin"));
        generated(release, new Random(2), 200);
    }

    /** Modules of generated real-shaped aliases below kernel/drivers/gen, every other one with firmware. */
    static void generated(Path release, Random r, int aliases) throws IOException {
        Map<String, List<String>> modules = new LinkedHashMap<>();
        for (KernelAliases.Alias a : KernelAliases.generate(r, aliases)) {
            modules.computeIfAbsent(a.module(), x -> new ArrayList<>()).add("alias=" + a.alias());
        }
        int i = 0;
        for (Map.Entry<String, List<String>> m : modules.entrySet()) {
            List<String> strings = new ArrayList<>(m.getValue());
            if (i++ % 2 == 0) {
                strings.add("firmware=gen/" + m.getKey() + ".bin");
                strings.add("firmware=gen/common-" + r.nextInt(3) + ".bin");
            }
            byte[] ko = module(m.getKey(), strings.toArray(new String[0]));
            boolean xz = r.nextBoolean();
            put(release.resolve("kernel/drivers/gen/" + m.getKey() + (xz ? ".ko.xz" : ".ko")), xz ? Compressors.xz(ko) : ko);
        }
    }

    static byte[] module(String name, String... strings) {
        List<String> all = new ArrayList<>(List.of(strings));
        all.add("license=GPL");
        all.add("name=" + name);
        all.add("vermagic=6.10.0 SMP preempt mod_unload modversions ");
        return new ElfBuilder(64, false, ElfBuilder.EM_X86_64).section(".text", new byte[64])
                .modinfo(all.toArray(new String[0])).section(".gnu.linkonce.this_module", new byte[64]).build();
    }

    static void put(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }
}
