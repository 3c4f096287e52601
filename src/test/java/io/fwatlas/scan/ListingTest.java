package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleReader;
import io.fwatlas.module.ModuleResult;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stage 1 listing and the Hadoop byte source, without Spark. */
class ListingTest {
    final Configuration conf = new Configuration();

    @TempDir
    Path tmp;

    private static Release local(String release, String kernel) {
        return new Release(kernel, ScanTestSupport.sample(release).toString(), true);
    }

    private static List<String> paths(List<FileTask> tasks) {
        List<String> out = new ArrayList<>();
        tasks.forEach(t -> out.add(t.kind() + " " + t.path()));
        return out;
    }

    @Test
    void hostileTreeIsListedOnceWithLinksHandled() {
        List<FileTask> tasks = ReleaseLister.listLocal(local(SampleGenerator.HOSTILE, "6.6.6-hostile"));
        List<String> want = new ArrayList<>();
        for (SampleGenerator.SampleModule m : SampleGenerator.modules()) {
            if (m.release().equals(SampleGenerator.HOSTILE)) {
                want.add("MODULE " + m.path());
            }
        }
        want.add("MODULE " + SampleGenerator.DANGLING_PATH);
        want.add("BUILTIN_MODINFO modules.builtin.modinfo");
        want.sort(null);
        List<String> got = paths(tasks);
        got.sort(null);
        // No kernel/loop/..., no second name kernel/zlinks/e100.ko, nothing through build.
        assertEquals(want, got);
    }

    @Test
    void hostileTreeCountsItsDanglingBuildLink() {
        Listing l = ReleaseLister.list(local(SampleGenerator.HOSTILE, "h"), null);
        assertEquals(ReleaseLister.listLocal(local(SampleGenerator.HOSTILE, "h")), l.files());
        // build leads nowhere on this machine; kernel/loop (..) stays inside and is followed once.
        assertEquals(1, l.linksNotFollowed());
    }

    @Test
    void danglingLinkIsListedWithUnknownSize() {
        FileTask t = ReleaseLister.listLocal(local(SampleGenerator.HOSTILE, "h")).stream()
                .filter(x -> x.path().equals(SampleGenerator.DANGLING_PATH)).findFirst().orElseThrow();
        assertEquals(-1, t.size());
    }

    @Test
    void listingOrderIsByName() {
        List<FileTask> tasks = ReleaseLister.listLocal(local(SampleGenerator.DEB12, "k"));
        List<String> got = paths(tasks);
        assertEquals(List.of(
                "MODULE kernel/drivers/gpu/drm/amd/amdgpu/amdgpu.ko",
                "MODULE kernel/drivers/net/usb/r8152.ko",
                "MODULE kernel/drivers/net/wireless/ath/ath11k/ath11k_pci.ko",
                "MODULE kernel/drivers/net/wireless/broadcom/brcm80211/brcmfmac/brcmfmac.ko",
                "MODULE kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko",
                "MODULE kernel/fs/ext4/ext4.ko",
                "MODULE kernel/sound/pci/hda/snd-hda-codec-realtek.ko",
                "BUILTIN_MODINFO modules.builtin.modinfo",
                "MODULE updates/dkms/nvidia-current.ko"), got);
    }

    @Test
    void hadoopListingMatchesLocalListing() throws IOException {
        for (String release : List.of(SampleGenerator.DEB12, SampleGenerator.DEB13, SampleGenerator.S390)) {
            List<FileTask> local = ReleaseLister.listLocal(local(release, "k"));
            Release viaHadoop = new Release("k", ScanTestSupport.sample(release).toUri().toString(), false);
            List<FileTask> hadoop = ReleaseLister.listHadoop(viaHadoop, conf);
            assertEquals(paths(local), paths(hadoop), release);
            for (int i = 0; i < local.size(); i++) {
                assertEquals(local.get(i).size(), hadoop.get(i).size());
            }
        }
    }

    @Test
    void hadoopByteSourceReadsWhatTheFileSourceReads() throws IOException {
        ModuleReader reader = new ModuleReader();
        for (SampleGenerator.SampleModule m : SampleGenerator.modules()) {
            if (m.expectedError() != null) {
                continue;
            }
            Path file = ScanTestSupport.sample(m.release()).resolve(m.path());
            org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(file.toUri());
            FileSystem fs = hp.getFileSystem(conf);
            ModuleResult viaHadoop;
            try (HadoopByteSource src = HadoopByteSource.open(fs, hp)) {
                viaHadoop = reader.read(m.path(), src);
            }
            ModuleResult viaFile = ReadModules.readModule(reader,
                    FileTask.module(new Release("k", ScanTestSupport.sample(m.release()).toString(), true), m.path(),
                            Files.size(file)), null);
            assertEquals(ModuleInfo.class, viaHadoop.getClass(), String.valueOf(viaHadoop));
            assertEquals(viaFile, viaHadoop, m.path());
            assertEquals(m.modinfo().size(), ((ModuleInfo) viaHadoop).entries().size());
        }
    }

    @Test
    void fifoNamedLikeAModuleIsAnErrorNotAHang() throws Exception {
        Path release = Files.createDirectories(tmp.resolve("f/kernel"));
        Process p = new ProcessBuilder("mkfifo", release.resolve("pipe.ko").toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        List<FileTask> tasks = ReleaseLister.listLocal(new Release("k", tmp.resolve("f").toString(), true));
        assertEquals(List.of("MODULE kernel/pipe.ko"), paths(tasks));
        List<Object[]> rows = moduleRows(tasks.get(0));
        assertEquals("not_a_file", rows.get(0)[12]);
    }

    @Test
    void fileThatVanishesBecomesAnErrorRow() throws IOException {
        Path release = Files.createDirectories(tmp.resolve("r/kernel"));
        Path ko = Files.write(release.resolve("gone.ko"), new byte[] {0x7f, 'E', 'L', 'F'});
        Release r = new Release("k", tmp.resolve("r").toString(), true);
        List<FileTask> tasks = ReleaseLister.listLocal(r);
        Files.delete(ko);
        List<Object[]> rows = moduleRows(tasks.get(0));
        assertEquals(1, rows.size());
        assertEquals("error", rows.get(0)[11]);
        assertEquals("io_error", rows.get(0)[12]);
        assertEquals("kernel/gone.ko: no such file (removed, or a dangling link)", rows.get(0)[13]);
    }

    // ---- Links: a release made of links, a store outside it (issue 13) ----

    /** "path size mtime" of every module file and top-level modules.builtin.modinfo listed. */
    private static List<String> listed(List<FileTask> tasks) {
        List<String> out = new ArrayList<>();
        for (FileTask t : tasks) {
            assertEquals(false, t.kind() == FileTask.Kind.LIST_ERROR, String.valueOf(t));
            out.add(t.path() + " " + t.size() + " " + t.mtime());
        }
        out.sort(null);
        return out;
    }

    /**
     * The oracle: GNU find following every link ({@code -L}, so a link is its target), module
     * names and the top modules.builtin.modinfo, regular files only, "path size mtime" with the
     * target's size and mtime in milliseconds. Trees passed here have no directory link leaving
     * the release, which find would follow and fwatlas does not.
     */
    private static List<String> findL(Path release) throws Exception {
        Process p = new ProcessBuilder("find", "-L", release.toString(), "-type", "f", "(",
                "-name", "*.ko", "-o", "-name", "*.ko.xz", "-o", "-name", "*.ko.zst", "-o", "-name", "*.ko.gz",
                "-o", "-path", release + "/modules.builtin.modinfo", ")", "-printf", "%P %s %T@\\n")
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), text);
        List<String> out = new ArrayList<>();
        for (String line : text.split("\\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ");
            long millis = new BigDecimal(f[2]).movePointRight(3).longValue(); // truncated, as toMillis
            out.add(f[0] + " " + f[1] + " " + millis);
        }
        out.sort(null);
        return out;
    }

    /** At {@code to}, real directories as in {@code from} and an absolute link for every file of it. */
    private static void linkFarm(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.createSymbolicLink(t, p.toAbsolutePath());
                }
            }
        }
    }

    private static Release at(Path root) {
        return new Release(root.getFileName().toString(), root.toString(), true);
    }

    @Test
    void releaseOfLinksIntoAStoreIsListedInFullUnderTheLinkNames() throws Exception {
        Path store = ScanTestSupport.sample(SampleGenerator.DEB12); // outside the release
        Path release = tmp.resolve("farm/lib/modules/6.1.0-18-amd64");
        linkFarm(store, release);
        Listing l = ReleaseLister.list(at(release), null);
        assertEquals(0, l.linksNotFollowed());
        // Same paths, sizes and mtimes as the real directory, in the same order.
        assertEquals(paths(ReleaseLister.listLocal(local(SampleGenerator.DEB12, "k"))), paths(l.files()));
        assertEquals(listed(ReleaseLister.listLocal(local(SampleGenerator.DEB12, "k"))), listed(l.files()));
        assertEquals(findL(release), listed(l.files()));
        assertEquals(9, l.files().size());
    }

    @Test
    void nixReleaseDirectoryThatIsItselfALinkIntoAStore() throws Exception {
        Path inStore = tmp.resolve("nix/store/0abc-linux-6.1-modules/lib/modules/6.1.0-18-amd64");
        Files.createDirectories(inStore.getParent());
        ScanTestSupport.copyTree(ScanTestSupport.sample(SampleGenerator.DEB12), inStore);
        Path release = Files.createDirectories(tmp.resolve("system/lib/modules")).resolve("6.1.0-18-amd64");
        Files.createSymbolicLink(release, inStore);
        Listing l = ReleaseLister.list(at(release), null);
        assertEquals(0, l.linksNotFollowed());
        assertEquals(findL(release), listed(l.files()));
        assertEquals(paths(ReleaseLister.listLocal(at(inStore))), paths(l.files()));
        assertEquals(release.toString(), l.files().get(0).root()); // read through the link, as given
    }

    @Test
    void nixKernelDirectoryLinkIntoAStoreIsCountedNotFollowed() throws Exception {
        Path inStore = tmp.resolve("nix/store/0abc-linux-6.1-modules/lib/modules/6.1.0-18-amd64");
        Files.createDirectories(inStore.getParent());
        ScanTestSupport.copyTree(ScanTestSupport.sample(SampleGenerator.DEB12), inStore);
        // buildEnv style: the top is a real directory, kernel/ a directory link into the store,
        // updates/ a real directory of file links, modules.builtin.modinfo a file link.
        Path release = Files.createDirectories(tmp.resolve("env/lib/modules/6.1.0-18-amd64"));
        Files.createSymbolicLink(release.resolve("kernel"), inStore.resolve("kernel"));
        Files.createSymbolicLink(release.resolve("modules.builtin.modinfo"), inStore.resolve("modules.builtin.modinfo"));
        Files.createSymbolicLink(release.resolve("modules.order"), inStore.resolve("modules.order"));
        linkFarm(inStore.resolve("updates"), release.resolve("updates"));
        Listing l = ReleaseLister.list(at(release), null);
        assertEquals(List.of("BUILTIN_MODINFO modules.builtin.modinfo", "MODULE updates/dkms/nvidia-current.ko"),
                paths(l.files()));
        assertEquals(1, l.linksNotFollowed()); // kernel; modules.order is a file link, not counted
        // find -L follows kernel too; without it, it agrees.
        List<String> oracle = new ArrayList<>(findL(release));
        oracle.removeIf(line -> line.startsWith("kernel/"));
        assertEquals(oracle, listed(l.files()));
        assertEquals(7, findL(release).size() - oracle.size()); // the seven modules of kernel/
    }

    @Test
    void buildAndSourceLinksAreCountedNotFollowed() throws Exception {
        Path headers = Files.createDirectories(tmp.resolve("usr/src/linux-headers-6.6"));
        Files.write(headers.resolve("stray.ko"), new byte[] {1, 2, 3});
        Path release = Files.createDirectories(tmp.resolve("deb/lib/modules/6.6/kernel/fs"));
        Files.write(release.resolve("ext4.ko"), new byte[] {4, 5, 6, 7});
        Path top = release.getParent().getParent();
        Files.createSymbolicLink(top.resolve("build"), headers);                         // outside
        Files.createSymbolicLink(top.resolve("source"), tmp.resolve("usr/src/linux-6.6")); // nowhere
        Files.write(tmp.resolve("usr/src/modules.alias"), new byte[] {8});
        Files.createSymbolicLink(top.resolve("modules.alias"), tmp.resolve("usr/src/modules.alias")); // a file
        Listing l = ReleaseLister.list(at(top), null);
        assertEquals(List.of("MODULE kernel/fs/ext4.ko"), paths(l.files()));
        assertEquals(2, l.linksNotFollowed());
        assertEquals(0, ReleaseLister.list(local(SampleGenerator.DEB12, "k"), null).linksNotFollowed());
    }

    @Test
    void directoryLinkInsideTheReleaseIsFollowedUnderItsName() throws Exception {
        Path top = Files.createDirectories(tmp.resolve("in/6.6"));
        Path real = Files.createDirectories(top.resolve("real-drivers/net"));
        Files.write(real.resolve("e1000.ko"), new byte[] {1, 2, 3, 4, 5});
        Files.createDirectories(top.resolve("kernel"));
        Files.createSymbolicLink(top.resolve("kernel/drivers"), Path.of("../real-drivers"));
        Files.createSymbolicLink(top.resolve("kernel/up"), Path.of("../..")); // leaves the release
        Listing l = ReleaseLister.list(at(top), null);
        // kernel/drivers comes before real-drivers in name order, so its name wins; listed once.
        assertEquals(List.of("MODULE kernel/drivers/net/e1000.ko"), paths(l.files()));
        assertEquals(5, l.files().get(0).size());
        assertEquals(1, l.linksNotFollowed());
    }

    @Test
    void danglingModuleLinkOutOfTheReleaseIsListedAndBecomesAnErrorRow() throws IOException {
        Path top = Files.createDirectories(tmp.resolve("d/6.6/kernel"));
        Files.createSymbolicLink(top.resolve("gone.ko"), tmp.resolve("store/never-there.ko"));
        Listing l = ReleaseLister.list(at(top.getParent()), null);
        assertEquals(List.of("MODULE kernel/gone.ko"), paths(l.files()));
        assertEquals(-1, l.files().get(0).size());
        assertEquals(0, l.linksNotFollowed());
        Object[] row = moduleRows(l.files().get(0)).get(0);
        assertEquals("io_error", row[12]);
        assertEquals("kernel/gone.ko: no such file (removed, or a dangling link)", row[13]);
    }

    @Test
    void moduleNamedLinkToADirectoryIsAnErrorRowNotWalked() throws Exception {
        Path storeDir = Files.createDirectories(tmp.resolve("store/dir"));
        Files.write(storeDir.resolve("inner.ko"), new byte[] {1});
        Path top = Files.createDirectories(tmp.resolve("m/6.6"));
        Files.createDirectories(top.resolve("kernel"));
        Files.createSymbolicLink(top.resolve("kernel/outside.ko"), storeDir);
        Files.createSymbolicLink(top.resolve("kernel/self.ko"), Path.of("..")); // the release itself
        Process p = new ProcessBuilder("mkfifo", tmp.resolve("store/pipe").toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        Files.createSymbolicLink(top.resolve("kernel/pipe.ko.xz"), tmp.resolve("store/pipe"));
        Listing l = ReleaseLister.list(at(top), null);
        assertEquals(List.of("MODULE kernel/outside.ko", "MODULE kernel/pipe.ko.xz", "MODULE kernel/self.ko"),
                paths(l.files()));
        assertEquals(0, l.linksNotFollowed());
        List<String> errors = new ArrayList<>();
        for (FileTask t : l.files()) {
            assertEquals(0, t.size(), t.path());
            Object[] row = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> moduleRows(t)).get(0);
            errors.add(row[11] + " " + row[12] + " " + row[13]);
        }
        assertEquals(List.of("error not_a_file kernel/outside.ko: is a directory",
                "error not_a_file kernel/pipe.ko.xz: is not a regular file (FIFO, socket or device)",
                "error not_a_file kernel/self.ko: is a directory"), errors);
    }

    @Test
    void builtinModinfoLinkToADirectoryAFifoOrNothingIsAnErrorRowNotAHang() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("store/modinfo-dir"));
        Process p = new ProcessBuilder("mkfifo", tmp.resolve("store/modinfo-pipe").toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        List<String> errors = new ArrayList<>();
        for (Path target : List.of(store, tmp.resolve("store/modinfo-pipe"), tmp.resolve("store/absent"))) {
            Path top = Files.createDirectories(tmp.resolve("b").resolve(target.getFileName().toString()));
            Files.createDirectories(top.resolve("kernel"));
            Files.createSymbolicLink(top.resolve("modules.builtin.modinfo"), target);
            Listing l = ReleaseLister.list(at(top), null);
            assertEquals(List.of("BUILTIN_MODINFO modules.builtin.modinfo"), paths(l.files()));
            List<Object[]> rows = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> moduleRows(l.files().get(0)));
            assertEquals(1, rows.size());
            errors.add(rows.get(0)[2] + " " + rows.get(0)[11] + " " + rows.get(0)[12] + " " + rows.get(0)[13]);
        }
        assertEquals(List.of("true error not_a_file modules.builtin.modinfo: is a directory",
                "true error not_a_file modules.builtin.modinfo: is not a regular file (FIFO, socket or device)",
                "true error io_error modules.builtin.modinfo: no such file (removed, or a dangling link)"), errors);
        // The same FIFO check for a FIFO that is not a link (it used to block the read forever).
        Path plain = Files.createDirectories(tmp.resolve("b/plain/kernel")).getParent();
        assertEquals(0, new ProcessBuilder("mkfifo", plain.resolve("modules.builtin.modinfo").toString())
                .inheritIO().start().waitFor());
        FileTask t = ReleaseLister.list(at(plain), null).files().get(0);
        Object[] row = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> moduleRows(t)).get(0);
        assertEquals("not_a_file", row[12]);
    }

    @Test
    void linkLoopsEndAsListErrorsOrCounts() throws IOException {
        Path k = Files.createDirectories(tmp.resolve("loops/6.6/kernel"));
        Files.createSymbolicLink(k.resolve("a.ko"), Path.of("b.ko"));
        Files.createSymbolicLink(k.resolve("b.ko"), Path.of("a.ko"));
        Files.createSymbolicLink(k.resolve("x"), Path.of("y"));
        Files.createSymbolicLink(k.resolve("y"), Path.of("x"));
        Listing l = ReleaseLister.list(at(k.getParent()), null);
        assertEquals(List.of("LIST_ERROR kernel/a.ko", "LIST_ERROR kernel/b.ko"), paths(l.files()));
        assertEquals(true, l.files().get(0).problem().startsWith("cannot follow link: "), l.files().get(0).problem());
        assertEquals(2, l.linksNotFollowed()); // x and y
    }

    @Test
    void twoNamesOfOneFileAreListedOncePerReleaseAndEveryReleaseListsAll() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("store"));
        Path a = Files.write(store.resolve("a.ko"), new byte[] {1});
        Path b = Files.write(store.resolve("b.ko.xz"), new byte[] {1, 2});
        Path c = Files.write(store.resolve("c.ko"), new byte[] {1, 2, 3});
        List<Listing> listings = new ArrayList<>();
        for (String r : List.of("6.6.1", "6.6.2", "6.6.3")) {
            Path k = Files.createDirectories(tmp.resolve("mirror").resolve(r).resolve("kernel"));
            Files.createSymbolicLink(k.resolve("a.ko"), a);
            Files.createSymbolicLink(k.resolve("b.ko.xz"), b);
            Files.createSymbolicLink(k.resolve("zz-second-name-of-a.ko"), a); // same file again
            Files.createLink(k.resolve("c.ko"), c);                           // a hard link
            Files.createLink(k.resolve("zz-second-name-of-c.ko"), c);
            listings.add(ReleaseLister.list(at(k.getParent()), null));
        }
        for (Listing l : listings) {
            assertEquals(List.of("kernel/a.ko 1", "kernel/b.ko.xz 2", "kernel/c.ko 3"),
                    l.files().stream().map(t -> t.path() + " " + t.size()).toList());
            assertEquals(0, l.linksNotFollowed());
        }
    }

    @Test
    void hadoopListingCountsNoLinks() {
        Release viaHadoop = new Release("k", ScanTestSupport.sample(SampleGenerator.DEB12).toUri().toString(), false);
        Listing l = ReleaseLister.list(viaHadoop, conf);
        assertEquals(paths(ReleaseLister.listLocal(local(SampleGenerator.DEB12, "k"))), paths(l.files()));
        assertEquals(0, l.linksNotFollowed());
    }

    @Test
    void releaseThatCannotBeListedIsOneListError() {
        Listing l = ReleaseLister.list(new Release("k", tmp.resolve("absent").toString(), true), null);
        assertEquals(List.of("LIST_ERROR "), paths(l.files()));
        Listing h = ReleaseLister.list(new Release("k", "nosuchscheme://x/y", false), conf);
        assertEquals(List.of("LIST_ERROR "), paths(h.files()));
        assertEquals(true, h.files().get(0).problem().startsWith("cannot list release directory: "),
                h.files().get(0).problem());
    }

    /** The modules-table rows of one file, in the order of {@link Tables#MODULES_SCHEMA}. */
    private static List<Object[]> moduleRows(FileTask t) {
        List<Object[]> rows = new java.util.ArrayList<>();
        ReadModules.rows(new ModuleReader(), t, null, (table, row) -> {
            if (table.equals(Tables.MODULES)) {
                rows.add(row);
            }
        });
        return rows;
    }
}
