package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fwatlas.fixtures.ElfBuilder;
import io.fwatlas.fixtures.KernelAliases;
import io.fwatlas.fixtures.KmodTool;
import io.fwatlas.fixtures.SampleGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fwatlas query device} end to end against kmod, in CI: the sample trees and a generated
 * tree of 1,500 real-looking aliases (loadable and built-in, overlapping, a module shadowed from
 * {@code updates/}, aliases a device holding {@code *?[} meets in kmod's trie) are scanned, and
 * every device of a list made from their own aliases must get, per kernel, exactly the modules
 * {@code modprobe -R} prints (see {@link KmodDeviceCheck}). The firmware column of every loadable
 * row is also checked against {@code modinfo -F firmware} of its file.
 */
class DeviceKmodTest {
    static final String GENERATED = "6.9.0-1-generated";
    static final long SEED = 11_2026L;

    @TempDir
    Path tmp;

    @Test
    void everyDeviceGetsTheModulesModprobeResolves() throws Exception {
        assumeTrue(KmodTool.available(), "depmod or modprobe not found in PATH, /usr/sbin or /sbin");
        Path samples = Paths.get("data-samples").toAbsolutePath();
        Path generated = tmp.resolve("gen");
        Path genRelease = writeGenerated(generated.resolve("lib/modules/" + GENERATED), new Random(SEED));
        List<Path> releases = List.of(samples.resolve(SampleGenerator.DEB12), samples.resolve(SampleGenerator.DEB13),
                samples.resolve(SampleGenerator.S390), samples.resolve(SampleGenerator.ARM), genRelease);

        List<KmodDeviceCheck.Kernel> kernels = new ArrayList<>();
        Set<String> devices = new LinkedHashSet<>(List.of(
                "pci:v00008086d00002723sv00008086sd00000084bc0Csc03i30", "platform:rtc-cmos",
                "usb:v0BDAp8156d0100dc00dsc00dp00icFFisc00ip00in00", "dup:old1", "dup:new1", "dup:both1",
                // devices that hold *?[ walk the trie's wildcard edges too
                "wild:a[b]c", "wild:a*", "wild2:x?y", "wild:ab"));
        Random r = new Random(SEED);
        for (Path release : releases) {
            KmodDeviceCheck.Kernel k = KmodDeviceCheck.prepare(release, tmp.resolve("kmod"));
            kernels.add(k);
            devices.addAll(KmodDeviceCheck.devices(k, release == genRelease ? 300 : 25, r));
        }
        Path list = tmp.resolve("devices.txt");
        Files.write(list, devices, StandardCharsets.UTF_8);

        String table = tmp.resolve("atlas").toString();
        CliHarness.Run scan = CliHarness.fwatlas("scan", "--output", table, samples.resolve("rootfs").toString(),
                samples.resolve("mirror").toString(), generated.toString());
        assertEquals(0, scan.code(), scan.err());
        CliHarness.Run q = CliHarness.fwatlas("query", "--table", table, "--json", "device", "--modaliases",
                list.toString());
        assertEquals(0, q.code(), q.err());

        int[] n = KmodDeviceCheck.compare(kernels, new ArrayList<>(devices), q.text());
        System.out.printf("DeviceKmodTest: %d devices in %d kernels, %d (device, kernel) pairs, %d resolved by "
                + "modprobe%n", devices.size(), kernels.size(), n[0], n[1]);
        assertTrue(n[1] > devices.size() / 2, "too few devices resolve for the check to mean much: " + n[1]);
        firmwareIsModinfos(q.text(), releases);
    }

    /** Each loadable row's firmware list is its file's {@code modinfo -F firmware}, each name once. */
    static void firmwareIsModinfos(String json, List<Path> releases) throws Exception {
        String modinfo = CliHarness.kmodModinfo();
        assumeTrue(modinfo != null, "kmod's modinfo is not installed");
        Map<String, Path> byKernel = new TreeMap<>();
        for (Path p : releases) {
            byKernel.put(p.getFileName().toString(), p);
        }
        Map<Path, String> ours = new LinkedHashMap<>();
        for (JsonNode row : new ObjectMapper().readTree(json)) {
            if (row.get("builtin").asBoolean() || row.get("path").asText().endsWith(".gz")) {
                continue;  // Debian's kmod reads no gzip
            }
            List<String> names = new ArrayList<>();
            row.get("firmware").forEach(f -> names.add(f.asText()));
            ours.put(byKernel.get(row.get("kernel").asText()).resolve(row.get("path").asText()), String.join("\n", names));
        }
        assertTrue(ours.size() > 20, "rows with module files: " + ours.size());
        for (Map.Entry<Path, String> e : ours.entrySet()) {
            Process p = new ProcessBuilder(modinfo, "-F", "firmware", e.getKey().toString()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), e.getKey().toString());
            String distinct = String.join("\n", new LinkedHashSet<>(out.lines().toList()));
            assertEquals(distinct, e.getValue(), e.getKey().toString());
        }
    }

    /**
     * A release of generated modules: 1,500 aliases of real shapes, every eighth module built in,
     * some with firmware; {@code dupmod} twice, the copy under {@code updates/} winning; and the
     * {@code wild:} aliases whose trie shape decides devices that hold wildcards.
     */
    static Path writeGenerated(Path release, Random r) throws IOException {
        Map<String, List<String>> modules = new LinkedHashMap<>();
        for (KernelAliases.Alias a : KernelAliases.generate(r, 1500)) {
            modules.computeIfAbsent(a.module(), x -> new ArrayList<>()).add(a.alias());
        }
        modules.put("wildab", List.of("wild:ab"));
        modules.put("wildpat", List.of("wild:a[b]c*", "wild:a\\*"));
        modules.put("wild2", List.of("wild2:x?y"));
        List<String> builtin = new ArrayList<>();
        List<String> builtinNames = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<String>> m : modules.entrySet()) {
            String name = m.getKey();
            if (i++ % 8 == 7) {
                builtinNames.add("kernel/drivers/gen/" + name + ".ko");
                for (String alias : m.getValue()) {
                    builtin.add(name + ".alias=" + alias);
                }
                builtin.add(name + ".license=GPL");
                continue;
            }
            List<String> strings = new ArrayList<>();
            for (String alias : m.getValue()) {
                strings.add("alias=" + alias);
            }
            if (i % 3 == 0) {
                strings.add("firmware=gen/" + name + ".bin");
                strings.add("firmware=gen/common.bin");
                strings.add("firmware=gen/" + name + ".bin");
            }
            put(release.resolve("kernel/drivers/gen/" + name + ".ko"), module(name, strings));
        }
        put(release.resolve("kernel/drivers/dup/dupmod.ko"), module("dupmod",
                List.of("alias=dup:old*", "alias=dup:both*", "firmware=dup/old.bin")));
        put(release.resolve("updates/dupmod.ko"), module("dupmod",
                List.of("alias=dup:new*", "alias=dup:both*", "firmware=dup/new.bin")));
        put(release.resolve("modules.builtin.modinfo"), ElfBuilder.modinfoBytes(builtin.toArray(new String[0])));
        put(release.resolve("modules.builtin"), (String.join("\n", builtinNames) + "\n").getBytes(StandardCharsets.UTF_8));
        return release;
    }

    static byte[] module(String name, List<String> strings) {
        List<String> all = new ArrayList<>(strings);
        all.add("license=GPL");
        all.add("depends=");
        all.add("name=" + name);
        all.add("vermagic=" + GENERATED + " SMP preempt mod_unload modversions ");
        return new ElfBuilder(64, false, ElfBuilder.EM_X86_64).section(".text", new byte[64])
                .modinfo(all.toArray(new String[0])).section(".gnu.linkonce.this_module", new byte[64]).build();
    }

    static void put(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }
}
