package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleReader;
import io.fwatlas.module.ModuleResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
