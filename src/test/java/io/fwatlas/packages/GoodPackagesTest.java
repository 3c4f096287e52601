package io.fwatlas.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.PackageFixtures;
import io.fwatlas.fixtures.PackageFixtures.PackagedModule;
import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every good fixture package gives exactly what reading its modules as files gives. */
class GoodPackagesTest {
    private static final Map<String, List<PackagedModule>> GOOD = PackageFixtures.goodModules();
    private final PackageReader reader = new PackageReader();

    static Stream<String> good() {
        return GOOD.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("good")
    void modulesEqualReadingTheFiles(String pkg, @TempDir Path tmp) throws Exception {
        Collect c = Collect.read(reader, pkg, Collect.bytes(pkg));
        assertEquals(List.of(), c.errors, pkg);
        assertTrue(c.summary.complete(), c.summary.toString());

        List<PackagedModule> want = GOOD.get(pkg);
        ModuleReader files = new ModuleReader();
        List<Collect.Module> expected = new ArrayList<>();
        for (PackagedModule m : want) {
            Path f = tmp.resolve(m.kernel()).resolve(m.path());
            Files.createDirectories(f.getParent());
            Files.write(f, m.data());
            expected.add(new Collect.Module(m.kernel(), m.path(), files.readFile(f, m.path())));
        }
        assertEquals(expected, c.modules, pkg);
        for (Collect.Module m : c.modules) {
            assertInstanceOf(ModuleInfo.class, m.result(), m.path() + " in " + pkg);
        }
        long firmware = c.modules.stream().mapToLong(m -> ((ModuleInfo) m.result()).firmware().size()).sum();
        assertTrue(firmware >= want.size(), pkg + ": " + firmware + " firmware strings");

        List<String> kernels = PackageFixtures.builtinKernels(pkg);
        assertEquals(kernels.size(), c.builtins.size(), pkg);
        for (int i = 0; i < kernels.size(); i++) {
            Collect.Builtin b = c.builtins.get(i);
            assertEquals(kernels.get(i), b.kernel());
            assertEquals("modules.builtin.modinfo", b.path());
            BuiltinModinfo.Result direct = BuiltinModinfo.parse("modules.builtin.modinfo",
                    PackageFixtures.builtin(kernels.get(i)));
            assertEquals(direct, b.result(), pkg);
        }

        PackageSummary s = c.summary;
        assertEquals(want.size(), s.modules());
        assertEquals(kernels.size(), s.builtins());
        assertEquals(want.stream().map(PackagedModule::kernel).distinct().sorted().toList(), s.kernels());
        assertEquals(Collect.bytes(pkg).length, s.packageBytes(), "the whole package is read");
        assertTrue(s.members() > s.modules(), s.toString());
    }

    @Test
    void formatsAreDetectedByMagicNotName() {
        Map<String, PackageFormat> want = Map.of("deb-xz.deb", PackageFormat.DEB, "deb-tar.deb", PackageFormat.DEB,
                "rpm-zst.rpm", PackageFormat.RPM, "tree.tar", PackageFormat.TAR, "tree.tar.xz", PackageFormat.TAR_XZ,
                "tree.tar.zst", PackageFormat.TAR_ZST, "tree.tar.gz", PackageFormat.TAR_GZ);
        for (Map.Entry<String, PackageFormat> e : want.entrySet()) {
            Collect c = Collect.read(reader, "misnamed.rpm", Collect.bytes(e.getKey()));
            assertEquals(e.getValue(), c.summary.format(), e.getKey());
            assertEquals(GOOD.get(e.getKey()).size(), c.summary.modules(), e.getKey());
        }
    }

    @Test
    void linksDirectoriesAndOtherFilesAreSkipped() {
        // deb-zst holds a directory, a kernel image, a symbolic and a hard link besides the modules.
        Collect c = Collect.read(reader, "deb-zst.deb", Collect.bytes("deb-zst.deb"));
        assertTrue(c.modules.stream().noneMatch(m -> m.path().equals("kernel/alias.ko") || m.path().equals("build")));
        assertEquals(GOOD.get("deb-zst.deb").size() + 2 + 3 + 2, c.summary.members(), c.summary.toString());
    }

    @Test
    void aPackageWithoutModulesIsNoError() {
        byte[] empty = PackageFixtures.deb("data.tar.xz", io.fwatlas.fixtures.Compressors.xz(new byte[10240]));
        Collect c = Collect.read(reader, "empty.deb", empty);
        assertEquals(List.of(), c.errors);
        assertNull(c.summary.error());
        assertEquals(0, c.summary.modules());
        assertEquals(List.of(), c.summary.kernels());
    }

    @Test
    void releasePaths() {
        assertEquals(new ReleasePath("6.1.0-18-amd64", "kernel/a.ko"), ReleasePath.of("./lib/modules/6.1.0-18-amd64/kernel/a.ko"));
        assertEquals(new ReleasePath("6.12", "kernel/a.ko.xz"), ReleasePath.of("usr/lib/modules/6.12/kernel/a.ko.xz"));
        assertEquals(new ReleasePath("6.12", "modules.builtin.modinfo"), ReleasePath.of("/lib/modules/6.12/modules.builtin.modinfo"));
        assertNull(ReleasePath.of("./lib/modules/6.12/"));
        assertNull(ReleasePath.of("./lib/modules/6.12"));
        assertNull(ReleasePath.of("./lib/modules/../etc/a.ko"));
        assertNull(ReleasePath.of("./lib/modules/6.12/kernel/../../a.ko"));
        assertNull(ReleasePath.of("./boot/lib/modules/6.12/a.ko"));
    }

}
