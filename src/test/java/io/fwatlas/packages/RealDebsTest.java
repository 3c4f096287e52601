package io.fwatlas.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleNames;
import io.fwatlas.module.ModuleReader;
import io.fwatlas.module.ModuleResult;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Opt-in: reads real linux-image .deb files and checks every module result and firmware string
 * against the extracted tree beside them, as jobs/fetch-debian-kernels lays them out:
 * {@code mvn test -Dtest=RealDebsTest -Dfwatlas.debs.dir=$HOME/.cache/fwatlas/debs}
 * (trees from {@code -Dfwatlas.trees.dir}, default {@code DIR/../trees/<package>}).
 * With {@code -Dfwatlas.debs.dpkg=true} it also times {@code dpkg-deb -x} of each package.
 */
class RealDebsTest {

    @Test
    void packagesEqualTheirExtractedTrees() throws Exception {
        String dir = System.getProperty("fwatlas.debs.dir");
        assumeTrue(dir != null && !dir.isEmpty(), "set -Dfwatlas.debs.dir=DIR to read real packages");
        Path debs = Path.of(dir);
        Path trees = Path.of(System.getProperty("fwatlas.trees.dir", debs.resolveSibling("trees").toString()));
        List<Path> files;
        try (Stream<Path> s = Files.list(debs)) {
            files = s.filter(p -> p.getFileName().toString().matches("linux-image-.*\\.deb")).sorted().toList();
        }
        assumeTrue(!files.isEmpty(), "no linux-image-*.deb in " + debs);
        PackageReader reader = new PackageReader();
        ModuleReader direct = new ModuleReader();
        System.out.println("xz decoder: " + ModuleReader.xzDecoder());
        for (Path deb : files) {
            String pkg = deb.getFileName().toString();
            Path tree = trees.resolve(pkg.substring(0, pkg.indexOf('_')));
            Map<String, ModuleResult> got = new TreeMap<>();
            Map<String, BuiltinModinfo.Result> builtins = new TreeMap<>();
            long t0 = System.nanoTime();
            PackageSummary s;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(deb), 1 << 20)) {
                s = reader.read(pkg, in, Files.size(deb), new PackageVisitor() {
                    @Override
                    public void module(String kernel, String path, ModuleResult r) {
                        got.put(kernel + "/" + path, r);
                    }

                    @Override
                    public void builtin(String kernel, String path, BuiltinModinfo.Result r) {
                        builtins.put(kernel, r);
                    }

                    @Override
                    public void builtinError(String kernel, String path, io.fwatlas.module.ErrorKind kind, String m) {
                        throw new AssertionError(m);
                    }

                    @Override
                    public void packageError(PackageError e) {
                        throw new AssertionError(e.message());
                    }
                });
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertNull(s.error());

            // The same modules, read from the tree.
            Map<String, ModuleResult> want = new TreeMap<>();
            long firmware = 0;
            for (String kernel : s.kernels()) {
                Path release = Files.isDirectory(tree.resolve("lib/modules/" + kernel))
                        ? tree.resolve("lib/modules/" + kernel) : tree.resolve("usr/lib/modules/" + kernel);
                List<Path> modules;
                try (Stream<Path> w = Files.walk(release)) {
                    modules = w.filter(Files::isRegularFile)
                            .filter(p -> ModuleNames.isModuleFileName(p.getFileName().toString()))
                            .sorted(Comparator.naturalOrder()).toList();
                }
                for (Path m : modules) {
                    String rel = release.relativize(m).toString();
                    want.put(kernel + "/" + rel, direct.readFile(m, rel));
                }
                BuiltinModinfo.Result b = BuiltinModinfo.parse("modules.builtin.modinfo",
                        Files.readAllBytes(release.resolve("modules.builtin.modinfo")));
                assertEquals(b, builtins.get(kernel), pkg);
            }
            assertEquals(want.keySet(), got.keySet(), pkg);
            for (Map.Entry<String, ModuleResult> e : want.entrySet()) {
                assertEquals(e.getValue(), got.get(e.getKey()), pkg + ": " + e.getKey());
                if (e.getValue() instanceof ModuleInfo i) {
                    firmware += i.firmware().size();
                }
            }
            assertTrue(s.modules() > 1000, pkg + ": " + s);
            String dpkg = "";
            if (Boolean.getBoolean("fwatlas.debs.dpkg")) {
                Path out = Files.createTempDirectory("fwatlas-dpkg-");
                long d0 = System.nanoTime();
                Process p = new ProcessBuilder("dpkg-deb", "-x", deb.toString(), out.toString()).inheritIO().start();
                assertEquals(0, p.waitFor());
                dpkg = String.format(", dpkg-deb -x %.1f s", (System.nanoTime() - d0) / 1e9);
                new ProcessBuilder("rm", "-rf", out.toString()).start().waitFor();
            }
            System.out.printf("%s: %d modules, %d firmware strings, %d built-in modules; read %.1f s"
                    + " (%.1f MB/s of package, %.1f MB/s expanded)%s%n", pkg, s.modules(), firmware,
                    builtins.values().stream().mapToInt(b -> b.modules().size()).sum(), seconds,
                    s.packageBytes() / 1e6 / seconds, s.expandedBytes() / 1e6 / seconds, dpkg);
        }
    }

}
