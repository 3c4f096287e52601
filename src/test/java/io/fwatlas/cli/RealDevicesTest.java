package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.KmodTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in: {@code query device} on real kernels against kmod. Set {@code
 * -Dfwatlas.devices.dir=DIR[:DIR...]} to set roots of {@code jobs/fetch-debian-kernels} (for
 * example {@code --set arches} and {@code --set pair}); {@code -Dfwatlas.devices.count=N} devices
 * are made from each kernel's own aliases (default 40), and every device is asked of every kernel;
 * the firmware of every loadable row is checked against {@code modinfo -F firmware} of its file.
 * Each release name may appear once over all the directories.
 */
class RealDevicesTest {
    @TempDir
    Path tmp;

    @Test
    void everyDeviceGetsTheModulesKmodResolvesOnRealKernels() throws Exception {
        String dirs = System.getProperty("fwatlas.devices.dir", System.getenv("FWATLAS_DEVICES_DIR"));
        assumeTrue(dirs != null && !dirs.isBlank(), "set -Dfwatlas.devices.dir to run");
        assumeTrue(KmodTool.available(), "depmod or modprobe not found");
        int count = Integer.getInteger("fwatlas.devices.count", 40);

        List<String> inputs = new ArrayList<>();
        List<Path> releases = new ArrayList<>();
        for (String d : dirs.split(":")) {
            if (d.isBlank()) {
                continue;
            }
            Path set = Path.of(d).toAbsolutePath();
            inputs.add(set.toString());
            try (Stream<Path> walk = Files.walk(set, 4, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
                walk.filter(p -> p.getParent() != null && p.getParent().endsWith("lib/modules") && Files.isDirectory(p))
                        .sorted().forEach(releases::add);
            }
        }
        assertFalse(releases.isEmpty(), "no lib/modules/<release> under " + dirs);

        Random r = new Random(2026);
        List<KmodDeviceCheck.Kernel> kernels = new ArrayList<>();
        Set<String> devices = new LinkedHashSet<>();
        for (Path release : releases) {
            KmodDeviceCheck.Kernel k = KmodDeviceCheck.prepare(release, tmp.resolve("kmod"));
            kernels.add(k);
            devices.addAll(KmodDeviceCheck.devices(k, count, r));
        }
        Path list = tmp.resolve("devices.txt");
        Files.write(list, devices, StandardCharsets.UTF_8);

        String table = tmp.resolve("atlas").toString();
        List<String> scan = new ArrayList<>(List.of("scan", "--output", table));
        scan.addAll(inputs);
        CliHarness.Run s = CliHarness.fwatlas(scan.toArray(new String[0]));
        assertEquals(0, s.code(), s.err());
        long started = System.nanoTime();
        CliHarness.Run q = CliHarness.fwatlas("query", "--table", table, "--json", "device", "--modaliases",
                list.toString());
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, q.code(), q.err());
        int[] n = KmodDeviceCheck.compare(kernels, new ArrayList<>(devices), q.text());
        DeviceKmodTest.firmwareIsModinfos(q.text(), releases);
        System.out.printf("RealDevicesTest: %d devices in %d kernels (%s): %d (device, kernel) pairs, %d resolved "
                + "by modprobe, all equal; query device took %d ms in a warm JVM%n", devices.size(), kernels.size(),
                String.join(" ", kernels.stream().map(KmodDeviceCheck.Kernel::release).toList()), n[0], n[1], ms);
    }
}
