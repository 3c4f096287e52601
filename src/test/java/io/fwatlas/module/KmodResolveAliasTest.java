package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.DeviceStrings;
import io.fwatlas.fixtures.ElfBuilder;
import io.fwatlas.fixtures.KernelAliases;
import io.fwatlas.fixtures.KmodTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kmod itself is the oracle: module trees with many aliases (real shapes from several buses,
 * patterns that overlap so one device matches several modules, built-in aliases, some the same as
 * loadable ones, invalid ones, aliases past kmod's 4095-byte cut, aliases whose answer depends on
 * the trie's shape) go through {@code depmod}, and every device is resolved with
 * {@code modprobe -R}; {@link AliasIndex}, fed with the aliases the project's own readers find in
 * the same files, must name the same modules.
 *
 * <p>modprobe stops at the first source that answers: loadable modules (modules.alias.bin), and
 * only when none matches, built-in ones (modules.builtin.alias.bin). So each device is resolved on
 * three roots: the full tree (expect the loadable matches, else the built-in ones), one without
 * modules.builtin.modinfo and one with nothing else, which check both halves of fwatlas's "every
 * match counts" on their own.
 *
 * <p>One more kmod rule sits between matching and printing: libkmod names a module found through
 * an alias "NAME\MODALIAS" in a PATH_MAX buffer (kmod_module_new_from_alias), and when a match's
 * name and the normalized device need more than 4094 bytes together it fails with ENAMETOOLONG,
 * which drops every match of that source and ends the lookup. So modprobe resolves no device of
 * 4095 bytes or more at all, and the expectation below applies that to the matcher's answer.
 */
class KmodResolveAliasTest {
    private static final String RELEASE = "6.1.0-fwatlas-match";
    private static final long SEED = 30_2024L;

    @TempDir
    static Path tmp;

    private record Module(String path, List<String> aliases) {
    }

    private record Builtin(String name, List<String> aliases) {
    }

    /** One alias as the project's readers found it, with the module it names. */
    private record Found(String module, String alias) {
    }

    private static Path full;
    private static Path loadableOnly;
    private static Path builtinOnly;
    private static List<Found> loadable;
    private static List<Found> builtin;
    private static AliasIndex loadableIndex;
    private static AliasIndex builtinIndex;
    private static AliasIndex bothIndex;
    private static List<String> devices;
    private static Map<String, List<String>> kmodFull;
    private static Map<String, List<String>> kmodLoadable;
    private static Map<String, List<String>> kmodBuiltin;
    private static String depmodWarnings;

    @BeforeAll
    static void resolveEverything() throws Exception {
        assumeTrue(KmodTool.available(), "depmod or modprobe not found in PATH, /usr/sbin or /sbin");
        Random r = new Random(SEED);
        List<Module> modules = modules(r);
        List<Builtin> builtins = builtins(r);
        full = write(tmp.resolve("full"), modules, builtins);
        loadableOnly = write(tmp.resolve("loadable"), modules, List.of());
        builtinOnly = write(tmp.resolve("builtin"), List.of(), builtins);
        depmodWarnings = KmodTool.depmod(full, RELEASE);
        KmodTool.depmod(loadableOnly, RELEASE);
        KmodTool.depmod(builtinOnly, RELEASE);

        loadable = readLoadable(full);
        builtin = readBuiltin(full);
        assertEquals(modules.stream().mapToInt(m -> m.aliases().size()).sum(), loadable.size());
        assertEquals(builtins.stream().mapToInt(b -> b.aliases().size()).sum(), builtin.size());
        loadableIndex = index(loadable, 0);
        builtinIndex = index(builtin, 0);
        List<Found> both = new ArrayList<>(loadable);
        both.addAll(builtin);
        bothIndex = index(both, 0);

        devices = devices(r, modules, builtins);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            kmodFull = resolveAll(pool, full);
            kmodLoadable = resolveAll(pool, loadableOnly);
            kmodBuiltin = resolveAll(pool, builtinOnly);
        } finally {
            pool.shutdownNow();
        }
        int repeated = 0;
        for (List<String> names : kmodFull.values()) {
            repeated += names.size() != new HashSet<>(names).size() ? 1 : 0;
        }
        System.out.printf("KmodResolveAliasTest: %d loadable and %d built-in aliases, %d devices; modprobe printed"
                + " a module more than once for %d of them%n", loadable.size(), builtin.size(), devices.size(), repeated);
    }

    @Test
    void loadableMatchesAreModprobes() {
        compareAll(kmodLoadable, loadableIndex, loadable, "loadable only");
    }

    /**
     * The comparison covers devices holding *?[, where kmod's answer is not "literal prefix, then
     * fnmatch" because the device walks the trie's wildcard edges literally too.
     */
    @Test
    void devicesWithWildcardsTakeTheTriesPaths() {
        int differ = 0;
        for (String d : devices) {
            byte[] n = Modalias.normalize(d.getBytes(StandardCharsets.UTF_8));
            if (n == null || !Modalias.isPattern(n)) {
                continue;
            }
            Set<String> plain = new TreeSet<>();
            for (Found f : loadable) {
                byte[] k = Modalias.normalize(f.alias().getBytes(StandardCharsets.UTF_8));
                int w = k == null ? -1 : Modalias.firstWildcard(k, 0, k.length);
                if (k != null && (w < 0 ? Arrays.equals(k, n)
                        : n.length >= w && Arrays.equals(k, 0, w, n, 0, w) && Fnmatch.match(k, w, n, w))) {
                    plain.add(f.module());
                }
            }
            differ += plain.equals(new TreeSet<>(kmodLoadable.get(d))) ? 0 : 1;
        }
        assertTrue(differ >= 3, differ + " devices");
    }

    @Test
    void builtinMatchesAreModprobes() {
        compareAll(kmodBuiltin, builtinIndex, builtin, "built-in only");
    }

    /** With both, modprobe answers from loadable modules and only when none matches from built-in ones. */
    @Test
    void modprobeTakesLoadableFirstThenBuiltin() {
        int fromBuiltin = 0;
        int overlap = 0;
        for (String d : devices) {
            if (!valid(d)) {
                continue;
            }
            Set<String> l = names(loadableIndex, loadable, d);
            Set<String> b = names(builtinIndex, builtin, d);
            assertEquals(kmodAnswer(l, b, d), new TreeSet<>(kmodFull.get(d)), "full tree, device " + shorten(d));
            fromBuiltin += l.isEmpty() && !b.isEmpty() ? 1 : 0;
            overlap += !l.isEmpty() && !b.isEmpty() ? 1 : 0;
        }
        assertTrue(fromBuiltin > 50, fromBuiltin + " devices resolved to built-in modules");
        assertTrue(overlap > 5, overlap + " devices matched both loadable and built-in modules");
    }

    /**
     * fwatlas counts every match: one index of loadable and built-in aliases gives the union of
     * what modprobe finds on each half. Only for devices without *?[: for those, kmod's answer
     * depends on its trie's shape, and kmod keeps two tries; and not for devices so long that
     * modprobe fails on them (see the class comment).
     */
    @Test
    void oneIndexOfBothGivesTheUnion() {
        int checked = 0;
        for (String d : devices) {
            if (!valid(d) || Modalias.isPattern(Modalias.normalize(d.getBytes(StandardCharsets.UTF_8)))
                    || d.length() > 3500) {
                continue;
            }
            Set<String> union = new TreeSet<>(kmodLoadable.get(d));
            union.addAll(kmodBuiltin.get(d));
            Set<String> all = names(bothIndex, concat(loadable, builtin), d);
            assertEquals(union, all, "device " + shorten(d));
            checked++;
        }
        assertTrue(checked > 1000, checked + " devices");
    }

    @Test
    void invalidDevicesAreNotFoundByModprobeAndRefusedByTheIndex() {
        int invalid = 0;
        for (String d : devices) {
            if (valid(d)) {
                continue;
            }
            assertEquals(List.of(), kmodFull.get(d), d);
            assertThrows(IllegalArgumentException.class, () -> loadableIndex.lookup(d, id -> { }));
            invalid++;
        }
        assertTrue(invalid >= 3, invalid + " invalid devices");
    }

    /** A few answers spelled out, so a reader sees what the comparison covers. */
    @Test
    void landmarks() {
        assertEquals(Set.of("iwlwifi", "net_class"), new TreeSet<>(kmodFull.get(IWL)), "overlapping patterns");
        assertEquals(Set.of("fuse"), new TreeSet<>(kmodFull.get("char-major-10-229")), "built-in, dashes");
        assertEquals(Set.of("rtc_cmos"), new TreeSet<>(kmodFull.get("platform:rtc_cmos")), "loadable hides built-in");
        assertEquals(Set.of("bi_rtc", "rtc_cmos"), names(bothIndex, concat(loadable, builtin), "platform:rtc-cmos"));
        assertEquals(Set.of("shape_a"), new TreeSet<>(kmodFull.get("wild:a[b]c")), "'[' on an edge of the trie");
        assertEquals(List.of(), kmodFull.get("wild2:a[b]c"), "'[' inside a node's label");
        assertEquals(List.of("shape_a", "shape_a"), kmodFull.get("dup:xyz"), "modprobe repeats a module");
        // Past the limits: the matcher finds these, modprobe cannot name them (ENAMETOOLONG).
        assertEquals(Set.of("long_alias"), names(loadableIndex, loadable, LONG + "different tail"), "both cut at 4095");
        assertEquals(List.of(), kmodFull.get(LONG + "different tail"));
        assertEquals(List.of("long_alias"), kmodFull.get(MID + "a".repeat(MID_FITS)), "4094 bytes with the name");
        assertEquals(Set.of("long_alias"), names(loadableIndex, loadable, MID + "a".repeat(MID_FITS + 1)));
        assertEquals(List.of(), kmodFull.get(MID + "a".repeat(MID_FITS + 1)), "4095 bytes with the name");
    }

    /** depmod reads an alias only up to the cut: a ']' past byte 4095 is not seen, one before it is. */
    @Test
    void depmodSkipsInvalidAliasesUpToTheCut() {
        assertTrue(depmodWarnings.contains("Unmatched bracket in bad]x"), depmodWarnings);
        assertTrue(depmodWarnings.contains("Unmatched bracket in unclosed[ab"), depmodWarnings);
        assertTrue(depmodWarnings.contains("Unmatched bracket in oops]"), depmodWarnings);
        assertTrue(depmodWarnings.contains("Unmatched bracket in " + CUT_BEFORE), "']' at byte 4094");
        assertFalse(depmodWarnings.contains("Unmatched bracket in " + CUT_AFTER), "']' at byte 4095");
        AliasIndex.Builder b = new AliasIndex.Builder();
        assertFalse(b.add(CUT_BEFORE, 0));
        assertTrue(b.add(CUT_AFTER, 1));
    }

    /**
     * What modprobe prints, as a set, given what the matcher finds among loadable and among built-in
     * aliases: the first source with matches, or nothing when one of its names is too long together
     * with the device.
     */
    private static Set<String> kmodAnswer(Set<String> loadable, Set<String> builtin, String device) {
        int length = Modalias.normalize(device.getBytes(StandardCharsets.UTF_8)).length;
        for (Set<String> source : List.of(loadable, builtin)) {
            if (source.isEmpty()) {
                continue;
            }
            for (String name : source) {
                if (name.length() + length + 2 > Modalias.MAX_BYTES + 1) {
                    return Set.of();
                }
            }
            return source;
        }
        return Set.of();
    }

    private static String shorten(String device) {
        return device.length() <= 120 ? device : device.substring(0, 100) + "... (" + device.length() + " chars)";
    }

    private static final String IWL = "pci:v00008086d00002723sv00008086sd00000084bc02sc80i00";
    private static final String LONG = "long:" + "x".repeat(Modalias.MAX_BYTES);
    private static final String MID = "mid:" + "m".repeat(3000);
    /** Filler that makes MID + filler, "long_alias" and two more bytes exactly 4096. */
    private static final int MID_FITS = 4096 - 2 - "long_alias".length() - MID.length();
    private static final String CUT_BEFORE = "cutb:" + "c".repeat(Modalias.MAX_BYTES - 6) + "]";
    private static final String CUT_AFTER = "cuta:" + "c".repeat(Modalias.MAX_BYTES - 5) + "]";

    private static void compareAll(Map<String, List<String>> kmod, AliasIndex index, List<Found> found, String what) {
        int matched = 0;
        int several = 0;
        for (String d : devices) {
            if (!valid(d)) {
                continue;
            }
            Set<String> ours = names(index, found, d);
            assertEquals(kmodAnswer(ours, Set.of(), d), new TreeSet<>(kmod.get(d)), what + ", device " + shorten(d));
            matched += ours.isEmpty() ? 0 : 1;
            several += ours.size() > 1 ? 1 : 0;
        }
        assertTrue(matched > 100, what + ": " + matched + " devices matched");
        assertTrue(several > 5, what + ": " + several + " devices matched several modules");
    }

    private static Set<String> names(AliasIndex index, List<Found> found, String device) {
        Set<String> out = new TreeSet<>();
        index.lookup(device, id -> out.add(found.get(id).module()));
        return out;
    }

    private static boolean valid(String device) {
        return Modalias.normalize(device) != null;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static AliasIndex index(List<Found> found, int firstId) {
        AliasIndex.Builder b = new AliasIndex.Builder();
        for (int i = 0; i < found.size(); i++) {
            b.add(found.get(i).alias(), firstId + i);
        }
        return b.build();
    }

    private static Map<String, List<String>> resolveAll(ExecutorService pool, Path root) throws Exception {
        Map<String, Future<List<String>>> pending = new LinkedHashMap<>();
        for (String d : devices) {
            pending.put(d, pool.submit(() -> KmodTool.resolveAlias(root, RELEASE, d)));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Future<List<String>>> e : pending.entrySet()) {
            out.put(e.getKey(), e.getValue().get());
        }
        return out;
    }

    // ---- the trees

    private static List<Module> modules(Random r) {
        List<Module> out = new ArrayList<>();
        out.add(new Module("kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko", List.of(
                "pci:v00008086d00002723sv*sd*bc*sc*i*", "pci:v00008086d00002725sv*sd*bc*sc*i*",
                "pci:v00008086d000024FDsv*sd00000010bc*sc*i*")));
        out.add(new Module("kernel/drivers/net/net-class.ko", List.of("pci:v*d*sv*sd*bc02sc80i*")));
        out.add(new Module("kernel/drivers/vfio/pci/vfio-pci-drv.ko", List.of(
                "vfio_pci:v00008086d00002723sv*sd*bc*sc*i*")));
        out.add(new Module("kernel/drivers/usb/storage/usb-storage.ko", List.of(
                "usb:v13FDp3940d0[0-2]*dc*dsc*dp*ic*isc*ip*in*", "usb:v1645p0007d01[0-2]*dc*dsc*dp*ic*isc*ip*in*",
                "usb:v1645p0007d013[0-3]dc*dsc*dp*ic*isc*ip*in*", "usb:v*p*d*dc*dsc*dp*ic08isc06ip50in*")));
        out.add(new Module("kernel/drivers/usb/storage/uas.ko", List.of(
                "usb:v13FDp3940d0[0-2]*dc*dsc*dp*ic*isc*ip*in*", "usb:v*p*d*dc*dsc*dp*ic08isc06ip62in*")));
        out.add(new Module("kernel/drivers/thermal/intel/int340x-thermal.ko", List.of(
                "acpi*:INT33D2:*", "acpi*:INT3400:*")));
        out.add(new Module("kernel/drivers/gpu/drm/msm/msm.ko", List.of(
                "of:N*T*Cqcom,adreno*", "of:N*T*Cqcom,adreno-630.2", "of:N*T*Cqcom,adreno-630.2C*")));
        out.add(new Module("kernel/drivers/rtc/rtc-cmos.ko", List.of("platform:rtc_cmos")));
        out.add(new Module("kernel/drivers/hid/hid-apple.ko", List.of(
                "hid:b0003g*v000005ACp0000026C", "hid:b0005g*v000005ACp0000026C")));
        out.add(new Module("kernel/drivers/input/joydev.ko", List.of(
                "input:b*v*p*e*-e*1,*k*120,*r*a*m*l*s*f*w*", "input:b*v*p*e*-e*3,*k*r*a*0,*m*l*s*f*w*")));
        out.add(new Module("kernel/drivers/platform/x86/thinkpad-x.ko", List.of(
                "dmi*:svn*LENOVO*:pvr*ThinkPadX1Carbon*:",
                "dmi:bvnLENOVO:bvrN2HET50W(1.33):bd02/22/2021:br1.33:efr1.20:svnLENOVO:pn20XW0055GE:pvrThinkPadX1Carbon"
                        + "Gen9:rvnLENOVO:rn20XW0055GE:rvrSDK0J40697WIN:cvnLENOVO:ct10:cvrNone:skuLENOVO_MT_20XW_BU_Think"
                        + "_FM_ThinkPadX1CarbonGen9:*")));
        // The trie's shape decides these: "wild:a[b]c" has a sibling "wild:ab", so its '[' is an
        // edge that the device "wild:a[b]c" also walks literally; "wild2:a[b]c" has none.
        out.add(new Module("kernel/drivers/misc/shape-a.ko", List.of("wild:a[b]c", "wild:ab", "dup:x*", "dup:xy*",
                "star:a*b", "star:a*", "star:a*b*", "q:a?c", "q:abc", "q:a?", "br:[ab]x", "br:[ab]", "br:a")));
        out.add(new Module("kernel/drivers/misc/shape-b.ko", List.of("wild2:a[b]c", "star2:a*b", "q2:a?c")));
        // A backslash before the first wildcard is a plain byte of the trie; after it, fnmatch's escape.
        out.add(new Module("kernel/drivers/misc/backslash.ko", List.of("bs:a\\b*", "bs2:x*\\*", "bs3:[\\]]z")));
        out.add(new Module("kernel/drivers/misc/dashes.ko", List.of("platform:foo-bar-baz", "dash:[a-c]-x",
                "dash2:a-*-b")));
        out.add(new Module("kernel/drivers/misc/invalid-aliases.ko", List.of("bad]x", "unclosed[ab", "ok:after-bad")));
        out.add(new Module("kernel/drivers/misc/long-alias.ko", List.of(LONG + "tail ignored by kmod",
                "longp:" + "y".repeat(4300) + "*", MID + "*", CUT_BEFORE, CUT_AFTER)));
        // Generated ones, grouped into modules as KernelAliases groups them; a few file names with dashes.
        Map<String, List<String>> byModule = new LinkedHashMap<>();
        for (KernelAliases.Alias a : KernelAliases.generate(r, 450)) {
            byModule.computeIfAbsent(a.module(), k -> new ArrayList<>()).add(a.alias());
        }
        int n = 0;
        for (Map.Entry<String, List<String>> e : byModule.entrySet()) {
            String file = n++ % 3 == 0 ? e.getKey().replace('_', '-') : e.getKey();
            out.add(new Module("kernel/drivers/gen/" + file + ".ko", e.getValue()));
        }
        return out;
    }

    private static List<Builtin> builtins(Random r) {
        List<Builtin> out = new ArrayList<>();
        out.add(new Builtin("bi_rtc", List.of("platform:rtc_cmos", "platform:rtc-cmos-x")));
        out.add(new Builtin("fuse", List.of("char-major-10-229", "devname:fuse")));
        out.add(new Builtin("bi_pci", List.of("pci:v00008086d00002723sv*sd*bc*sc*i*", "pci:v00001AF4d*sv*sd*bc*sc*i*")));
        out.add(new Builtin("bi_only", List.of("builtin:only*", "builtin:only-two", "acpi*:PNP0C0A:*")));
        out.add(new Builtin("bi_usb_class", List.of("usb:v*p*d*dc09dsc*dp*ic*isc*ip*in*")));
        out.add(new Builtin("bi_shape", List.of("bwild:a[b]c", "bwild:ab", "bwild2:a[b]c")));
        out.add(new Builtin("bi_bad", List.of("oops]", "fine:bi-bad")));
        Map<String, List<String>> byModule = new LinkedHashMap<>();
        for (KernelAliases.Alias a : KernelAliases.generate(r, 150)) {
            byModule.computeIfAbsent("bi_" + a.module(), k -> new ArrayList<>()).add(a.alias());
        }
        byModule.forEach((name, aliases) -> out.add(new Builtin(name, aliases)));
        return out;
    }

    private static Path write(Path root, List<Module> modules, List<Builtin> builtins) throws IOException {
        Path release = root.resolve("lib/modules").resolve(RELEASE);
        Files.createDirectories(release);
        StringBuilder order = new StringBuilder();
        Random text = new Random(1);
        for (Module m : modules) {
            List<String> info = new ArrayList<>();
            for (String a : m.aliases()) {
                info.add("alias=" + a);
            }
            info.add("license=GPL");
            info.add("name=" + ModuleNames.fromPath(m.path()));
            info.add("vermagic=" + RELEASE + " SMP preempt mod_unload modversions ");
            byte[] code = new byte[128];
            text.nextBytes(code);
            byte[] elf = ElfBuilder.x86_64().section(".text", code).modinfo(info.toArray(new String[0]))
                    .section(".gnu.linkonce.this_module", new byte[64]).build();
            Path file = release.resolve(m.path());
            Files.createDirectories(file.getParent());
            Files.write(file, elf);
            order.append(m.path()).append('\n');
        }
        Files.writeString(release.resolve("modules.order"), order);
        List<String> strings = new ArrayList<>();
        StringBuilder builtinList = new StringBuilder();
        for (Builtin b : builtins) {
            for (String a : b.aliases()) {
                strings.add(b.name() + ".alias=" + a);
            }
            strings.add(b.name() + ".license=GPL");
            builtinList.append("kernel/builtin/").append(b.name()).append(".ko\n");
        }
        Files.writeString(release.resolve("modules.builtin"), builtinList);
        if (!builtins.isEmpty()) {
            Files.write(release.resolve("modules.builtin.modinfo"), ElfBuilder.modinfoBytes(strings.toArray(new String[0])));
        }
        return root;
    }

    // ---- reading them back with the project's readers

    private static List<Found> readLoadable(Path root) throws IOException {
        Path release = root.resolve("lib/modules").resolve(RELEASE);
        ModuleReader reader = new ModuleReader();
        List<Found> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(release.resolve("kernel"))) {
            files = walk.filter(p -> p.toString().endsWith(".ko")).sorted().toList();
        }
        for (Path f : files) {
            ModuleResult result = reader.readFile(f, release.relativize(f).toString());
            if (!(result instanceof ModuleInfo m)) {
                throw new AssertionError("cannot read " + f + ": " + result);
            }
            for (String a : m.values("alias")) {
                out.add(new Found(m.name(), a));
            }
        }
        return out;
    }

    private static List<Found> readBuiltin(Path root) throws IOException {
        Path file = root.resolve("lib/modules").resolve(RELEASE).resolve("modules.builtin.modinfo");
        BuiltinModinfo.Result parsed = BuiltinModinfo.parse("modules.builtin.modinfo", Files.readAllBytes(file));
        assertEquals(List.of(), parsed.rejected());
        List<Found> out = new ArrayList<>();
        for (ModuleInfo m : parsed.modules()) {
            for (String a : m.values("alias")) {
                out.add(new Found(m.name(), a));
            }
        }
        return out;
    }

    // ---- the devices

    private static List<String> devices(Random r, List<Module> modules, List<Builtin> builtins) {
        Set<String> out = new LinkedHashSet<>();
        out.addAll(List.of(IWL, "pci:v00008086d00002723sv00008086sd00000084bc03sc00i00",
                "pci:v00008086d000024FDsv00008086sd00000010bc02sc80i00", "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00",
                "vfio_pci:v00008086d00002723sv00008086sd00000084bc02sc80i00",
                "usb:v13FDp3940d0100dc00dsc00dp00ic08isc06ip50in00", "usb:v13FDp3940d0300dc00dsc00dp00ic08isc06ip62in00",
                "usb:v1645p0007d0132dc00dsc00dp00ic08isc06ip50in00", "usb:v1D6Bp0002d0606dc09dsc00dp01ic09isc00ip00in00",
                "acpi:INT33D2:INT33D2:", "acpi:PNP0C0A:", "of:NgpuT(null)Cqcom,adreno-630.2Cqcom,adreno",
                "of:NgpuT(null)Cqcom,adreno-630.2", "platform:rtc_cmos", "platform:rtc-cmos", "platform:rtc-cmos-x",
                "platform:foo_bar_baz", "platform:foo-bar_baz", "hid:b0003g0001v000005ACp0000026C",
                "input:b0003v046Dp1234e0111-e0,1,4,k110,111,120,r0,1,a0,m4,lsfw", "char-major-10-229", "char_major_10_229",
                "devname:fuse", "builtin:only", "builtin:only-two", "builtin:only_two", "builtin:onl",
                "dmi:bvnLENOVO:bvrN2HET50W(1.33):bd02/22/2021:br1.33:efr1.20:svnLENOVO:pn20XW0055GE:pvrThinkPadX1CarbonGen9:",
                "wild:a[b]c", "wild:abc", "wild:ab", "wild2:a[b]c", "wild2:abc", "bwild:a[b]c", "bwild2:a[b]c",
                "dup:xyz", "dup:x", "star:a*b", "star:a**b", "star:a*", "star2:a*b", "q:a?c", "q:abc", "q:a?", "q2:a?c",
                "br:[ab]x", "br:[ab]", "br:ax", "br:a", "br:[a]",
                "bs:a\\bcd", "bs:abcd", "bs2:xyz*", "bs2:xyz", "bs2:x\\*", "bs3:]z", "bs3:\\z",
                "dash:b-x", "dash:b_x", "dash:-_x", "dash2:a-zz-b", "dash2:a_b", "ok:after-bad", "fine:bi_bad",
                LONG + "different tail", LONG.substring(0, LONG.length() - 1), LONG.substring(1),
                "longp:" + "y".repeat(5000), "longp:" + "y".repeat(100), MID, MID + "abc", MID + "a".repeat(MID_FITS),
                MID + "a".repeat(MID_FITS + 1), MID + "a".repeat(2000), CUT_AFTER, CUT_AFTER.substring(0, 4000),
                "bad]x", "unclosed[ab", "x[y", "oops]"));
        if ("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
            // Arguments reach modprobe as UTF-8 only where the JVM encodes them so.
            out.add("of:NgpuT\u00e9Cqcom,adreno-630.2");
            out.add("platform:rtc_cm\u00f6s");
        }
        List<String> aliases = new ArrayList<>();
        for (Module m : modules) {
            aliases.addAll(m.aliases());
        }
        for (Builtin b : builtins) {
            aliases.addAll(b.aliases());
        }
        for (String a : aliases) {
            if (a.length() > 200) {
                continue;
            }
            out.add(DeviceStrings.instantiate(a, r));
            out.add(DeviceStrings.withDashes(DeviceStrings.instantiate(a, r), r));
            out.add(DeviceStrings.nonMember(a, r));
            out.add(DeviceStrings.miss(a, r));
            if (r.nextInt(6) == 0) {
                out.add(a); // the pattern itself: a device with *?[ that walks wildcard edges literally
            }
        }
        // modprobe would read a device that starts with '-' as an option if KmodTool did not end them.
        out.add("-platform:rtc_cmos");
        out.removeIf(String::isEmpty);
        return new ArrayList<>(out);
    }
}
