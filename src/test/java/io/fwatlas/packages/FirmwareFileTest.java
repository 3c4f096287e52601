package io.fwatlas.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which archive members are firmware, where below the root, and the name a firmware request uses. */
class FirmwareFileTest {
    @Test
    void membersBelowAFirmwareRoot() {
        assertEquals("iwlwifi-cc-a0-77.ucode", FirmwareFile.underRoot("./lib/firmware/iwlwifi-cc-a0-77.ucode"));
        assertEquals("intel/ibt-0040-0041.sfi", FirmwareFile.underRoot("./usr/lib/firmware/intel/ibt-0040-0041.sfi"));
        assertEquals("a/b/c.bin", FirmwareFile.underRoot("lib/firmware/a/b/c.bin"));
        assertEquals("a.bin", FirmwareFile.underRoot("/lib/firmware/a.bin"));
        assertEquals("a.bin", FirmwareFile.underRoot("././/lib/firmware/a.bin"));
        assertEquals("brcm/brcmfmac4356-pcie.Xiaomi Inc-Mipad2.txt",
                FirmwareFile.underRoot("./lib/firmware/brcm/brcmfmac4356-pcie.Xiaomi Inc-Mipad2.txt"));
        assertEquals("WHENCE", FirmwareFile.underRoot("usr/lib/firmware/WHENCE"));
    }

    @Test
    void notFirmware() {
        // the roots themselves and directories below them (dpkg's trailing '/')
        assertNull(FirmwareFile.underRoot("./lib/firmware/"));
        assertNull(FirmwareFile.underRoot("./lib/firmware"));
        assertNull(FirmwareFile.underRoot("./usr/lib/firmware/intel/"));
        // elsewhere
        assertNull(FirmwareFile.underRoot("./usr/share/doc/firmware-iwlwifi/copyright"));
        assertNull(FirmwareFile.underRoot("./lib/modules/6.1.0-18-amd64/kernel/a.ko"));
        assertNull(FirmwareFile.underRoot("./usr/local/lib/firmware/a.bin"));
        assertNull(FirmwareFile.underRoot("./lib/firmwares/a.bin"));
        assertNull(FirmwareFile.underRoot("linux-firmware-20250101/a.bin"));
        // names that would leave the root or are not plain
        assertNull(FirmwareFile.underRoot("./lib/firmware/../../etc/passwd"));
        assertNull(FirmwareFile.underRoot("./lib/firmware/a/../b.bin"));
        assertNull(FirmwareFile.underRoot("./lib/firmware/./a.bin"));
        assertNull(FirmwareFile.underRoot("./lib/firmware/a//b.bin"));
    }

    @Test
    void theNameARequestUses() {
        // the kernel's loader tries NAME, then NAME.zst and NAME.xz: a compressed file serves NAME
        assertEquals("amdgpu/navi10_sos.bin", FirmwareFile.name("amdgpu/navi10_sos.bin.xz"));
        assertEquals("amdgpu/navi10_sos.bin", FirmwareFile.name("amdgpu/navi10_sos.bin.zst"));
        assertEquals("amdgpu/navi10_sos.bin", FirmwareFile.name("amdgpu/navi10_sos.bin"));
        assertEquals("a.gz", FirmwareFile.name("a.gz"));
        assertEquals("a.bin.xz", FirmwareFile.name("a.bin.xz.zst"));
        // the loader and dracut append lower-case suffixes only
        assertEquals("a.bin.XZ", FirmwareFile.name("a.bin.XZ"));
        assertEquals("a.bin.Zst", FirmwareFile.name("a.bin.Zst"));
        assertEquals(".xz", FirmwareFile.name(".xz"));
        assertEquals(".zst", FirmwareFile.name(".zst"));
        assertEquals("x", FirmwareFile.file("x.xz", "xz", 1, "00").name());
        assertEquals("l", FirmwareFile.link("l.zst", "t.zst").name());
    }

    @Test
    void kinds() {
        FirmwareFile f = FirmwareFile.file("a.bin", "none", 3, "ab");
        assertEquals(FirmwareFile.FILE, f.kind());
        assertEquals(true, f.ok());
        FirmwareFile l = FirmwareFile.link("b.bin", "a.bin");
        assertEquals(FirmwareFile.LINK, l.kind());
        assertNull(l.size());
        assertNull(l.sha256());
        assertNull(l.compression());
        FirmwareFile e = FirmwareFile.error("c.bin", FirmwareFile.FILE, "bad_package", "p: c.bin: why");
        assertEquals(false, e.ok());
        assertEquals(new FirmwareFile("a.bin", "none", FirmwareFile.FILE, null, 3L, "ab", "drv", "MIT", null, null),
                f.withWhence("drv", "MIT"));
    }
}
