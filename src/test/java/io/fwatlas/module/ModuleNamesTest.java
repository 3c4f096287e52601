package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModuleNamesTest {

    @ParameterizedTest
    @CsvSource({
        "snd-hda-intel.ko.xz, snd_hda_intel",
        "/lib/modules/6.1.0-18-amd64/kernel/sound/pci/hda/snd-hda-intel.ko, snd_hda_intel",
        "kernel/drivers/net/wireless/ath/ath11k/ath11k_pci.ko.zst, ath11k_pci",
        "dir.with-dots/mod-x.ko.gz, mod_x",
        "a.b-c.ko, a",
        "no-suffix, no_suffix",
        "'', ''",
    })
    void fromPath(String path, String name) {
        assertEquals(name, ModuleNames.fromPath(path));
    }

    @ParameterizedTest
    @CsvSource({
        "x.ko, true", "x.ko.xz, true", "x.ko.zst, true", "x.ko.gz, true",
        "x.ko.bz2, false", "x.o, false", "x.kox, false", "modules.builtin.modinfo, false",
    })
    void moduleFileNames(String name, boolean accepted) {
        assertEquals(accepted, ModuleNames.isModuleFileName(name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "6.1.0-18-amd64 SMP preempt mod_unload modversions | 6.1.0-18-amd64",
        "'6.12.117+deb12-amd64 SMP preempt mod_unload modversions ' | 6.12.117+deb12-amd64",
        "' 5.10.0-30-arm64 SMP mod_unload aarch64' | 5.10.0-30-arm64",
        "4.9.0-19-amd64 | 4.9.0-19-amd64",
        "'' | ",
        "'   ' | ",
    })
    void vermagicRelease(String vermagic, String release) {
        ModuleInfo m = new ModuleInfo("m.ko", "m", 1, false, Compression.NONE, 64, "little", "x86_64",
                List.of(new ModinfoEntry("vermagic", vermagic)), null);
        assertEquals(release, m.vermagicRelease());
    }

    @org.junit.jupiter.api.Test
    void noVermagic() {
        ModuleInfo m = new ModuleInfo("m.ko", "m", 1, false, Compression.NONE, 64, "little", "x86_64",
                List.of(new ModinfoEntry("license", "GPL")), null);
        assertEquals(null, m.vermagicRelease());
    }
}
