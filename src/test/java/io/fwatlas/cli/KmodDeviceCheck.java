package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fwatlas.fixtures.DeviceStrings;
import io.fwatlas.fixtures.KernelAliases;
import io.fwatlas.fixtures.KmodTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code fwatlas query device} checked against kmod: each release is copied under a root of its
 * own and indexed by {@code depmod -b}, and every device is resolved there by {@code modprobe -R}.
 * kmod answers with the loadable modules when any match and with the built-in ones only when none
 * does, so a second root holding only the release's built-in files gives kmod's built-in answer
 * on its own: fwatlas, which counts every match, must agree with both.
 */
final class KmodDeviceCheck {
    /** One release ready for modprobe: its whole tree indexed, and its built-in files alone. */
    record Kernel(String release, Path full, Path builtinOnly) {
    }

    private KmodDeviceCheck() {
    }

    /** Copies (hard links where it can) {@code releaseDir} into two roots under {@code work} and runs depmod in both. */
    static Kernel prepare(Path releaseDir, Path work) throws IOException, InterruptedException {
        String release = releaseDir.getFileName().toString();
        Path full = work.resolve(release + "/full");
        Path modules = full.resolve("lib/modules/" + release);
        Files.createDirectories(modules.getParent());
        Process cp = new ProcessBuilder("cp", "-a", "-l", releaseDir.toString(), modules.toString())
                .redirectErrorStream(true).start();
        String out = new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (cp.waitFor() != 0) {
            // another file system, or links cp cannot link: a plain copy
            deleteTree(modules);
            Process copy = new ProcessBuilder("cp", "-a", releaseDir.toString(), modules.toString())
                    .redirectErrorStream(true).start();
            out = new String(copy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (copy.waitFor() != 0) {
                throw new IOException("cp -a " + releaseDir + ": " + out);
            }
        }
        // depmod would not find a module behind a dangling link either; they only add warnings
        KmodTool.depmod(full, release);
        Path builtin = work.resolve(release + "/builtin");
        Path b = Files.createDirectories(builtin.resolve("lib/modules/" + release));
        for (String f : List.of("modules.builtin", "modules.builtin.modinfo", "modules.order")) {
            if (Files.isRegularFile(releaseDir.resolve(f))) {
                Files.copy(releaseDir.resolve(f), b.resolve(f));
            }
        }
        KmodTool.depmod(builtin, release);
        return new Kernel(release, full, builtin);
    }

    /**
     * Devices made from a release's own aliases as kmod indexed them (its {@code modules.alias})
     * and its built-in aliases: {@code count} that should match, some written with dashes, and a
     * few that should match nothing.
     */
    static List<String> devices(Kernel k, int count, Random r) throws IOException {
        List<String> aliases = new ArrayList<>();
        for (KernelAliases.Alias a : KernelAliases.read(k.full().resolve("lib/modules/" + k.release()
                + "/modules.alias"))) {
            aliases.add(a.alias());
        }
        aliases.addAll(builtinAliases(k.builtinOnly().resolve("lib/modules/" + k.release()
                + "/modules.builtin.modinfo")));
        Set<String> out = new LinkedHashSet<>();
        if (aliases.isEmpty()) {
            return List.of();
        }
        Set<String> names = moduleNames(k);
        for (int i = 0; i < count; i++) {
            String alias = aliases.get(r.nextInt(aliases.size()));
            String d = switch (i % 5) {
                case 0 -> DeviceStrings.miss(alias, r);
                case 1 -> DeviceStrings.withDashes(DeviceStrings.instantiate(alias, r), r);
                case 2 -> DeviceStrings.nonMember(alias, r);
                default -> DeviceStrings.instantiate(alias, r);
            };
            if (usable(d) && !names.contains(io.fwatlas.module.Modalias.normalize(d))) {
                out.add(d);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * The names kmod looks up before any alias (modules.dep and modules.builtin): a device string
     * equal to one resolves to that module, whatever the aliases say. fwatlas matches aliases
     * only, so such strings, and {@code symbol:} ones, are left out of the comparison.
     */
    static Set<String> moduleNames(Kernel k) throws IOException {
        Set<String> names = new java.util.HashSet<>();
        Path dir = k.full().resolve("lib/modules/" + k.release());
        for (String f : List.of("modules.dep", "modules.builtin")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                continue;
            }
            for (String line : Files.readAllLines(dir.resolve(f), StandardCharsets.UTF_8)) {
                String path = line.contains(":") ? line.substring(0, line.indexOf(':')) : line.strip();
                String base = path.substring(path.lastIndexOf('/') + 1);
                if (!base.isEmpty()) {
                    names.add(io.fwatlas.module.ModuleNames.fromPath(base));
                }
            }
        }
        return names;
    }

    /** A device string a sysfs file could hold and fwatlas takes: printable, one line, no ']' alone. */
    private static boolean usable(String d) {
        return !d.isBlank() && d.equals(d.strip()) && !d.startsWith("symbol:") && !d.startsWith("#") && d.chars().allMatch(c -> c >= 0x20 && c != 0x7f)
                && io.fwatlas.module.Modalias.normalize(d) != null && d.length() < 4000;
    }

    static List<String> builtinAliases(Path modinfo) throws IOException {
        List<String> aliases = new ArrayList<>();
        if (!Files.isRegularFile(modinfo)) {
            return aliases;
        }
        for (String s : new String(Files.readAllBytes(modinfo), StandardCharsets.UTF_8).split("\0")) {
            int dot = s.indexOf('.');
            if (dot > 0 && s.startsWith("alias=", dot + 1)) {
                aliases.add(s.substring(dot + 1 + "alias=".length()));
            }
        }
        return aliases;
    }

    /**
     * Asks modprobe about every device in every kernel and compares with fwatlas's JSON rows of
     * {@code query --json device}; fails listing the first disagreements. Returns how many
     * (device, kernel) pairs were compared and how many of them kmod resolved to something.
     */
    static int[] compare(List<Kernel> kernels, List<String> devices, String fwatlasJson) throws Exception {
        // (device, kernel) -> [loadable modules, built-in modules] by fwatlas
        Map<String, List<Set<String>>> ours = new TreeMap<>();
        for (JsonNode row : new ObjectMapper().readTree(fwatlasJson)) {
            List<Set<String>> sets = ours.computeIfAbsent(row.get("modalias").asText() + "\t" + row.get("kernel")
                    .asText(), x -> List.of(new TreeSet<>(), new TreeSet<>()));
            sets.get(row.get("builtin").asBoolean() ? 1 : 0).add(row.get("module").asText());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        List<String> mismatches = new ArrayList<>();
        int resolved = 0;
        try {
            List<Future<String[]>> asked = new ArrayList<>();
            for (Kernel k : kernels) {
                for (String d : devices) {
                    asked.add(pool.submit(() -> new String[] {d, k.release(),
                        String.join(" ", new TreeSet<>(KmodTool.resolveAlias(k.full(), k.release(), d))),
                        String.join(" ", new TreeSet<>(KmodTool.resolveAlias(k.builtinOnly(), k.release(), d)))}));
                }
            }
            for (Future<String[]> f : asked) {
                String[] a = f.get();
                List<Set<String>> sets = ours.getOrDefault(a[0] + "\t" + a[1], List.of(Set.of(), Set.of()));
                String loadable = String.join(" ", sets.get(0));
                String builtin = String.join(" ", sets.get(1));
                String kmodRule = loadable.isEmpty() ? builtin : loadable;
                if (!a[2].equals(kmodRule) || !a[3].equals(builtin)) {
                    mismatches.add(a[1] + " " + a[0] + ": modprobe -R [" + a[2] + "], built-in root [" + a[3]
                            + "]; fwatlas loadable [" + loadable + "], built-in [" + builtin + "]");
                }
                if (!a[2].isEmpty()) {
                    resolved++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), mismatches.subList(0, Math.min(20, mismatches.size())),
                mismatches.size() + " of " + kernels.size() * devices.size() + " (device, kernel) pairs differ");
        return new int[] {kernels.size() * devices.size(), resolved};
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
