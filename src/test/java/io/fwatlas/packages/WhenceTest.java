package io.fwatlas.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.fixtures.FirmwareListing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** linux-firmware's WHENCE as copy-firmware.sh reads it: File:, RawFile:, Link: lines, stanza driver and licence. */
class WhenceTest {
    private static final String SEP = "--------------------------------------------------------------------------\n";
    /** The shapes of linux-firmware's WHENCE: an intro, licences before and after their files, quotes. */
    private static final String WHENCE = "Linux firmware\n==============\n\nThis file attempts to document...\n\n"
            + SEP + "\n"
            + "Driver: amdgpu - AMD Radeon\n\n"
            + "File: amdgpu/a.bin\n"
            + "Version: 1.0\n"
            + "RawFile: amdgpu/raw.bin\n"
            + "Link: amdgpu/old.bin -> a.bin\n\n"
            + "License: Redistributable. See LICENSE.amdgpu for details.\n\n"
            + SEP + "\n"
            + "Driver: brcmfmac - Broadcom 802.11n fullmac wireless LAN driver.\n\n"
            + "Licence: Redistributable. See LICENCE.broadcom_bcm43xx for details.\n\n"
            + "File: \"brcm/brcmfmac43241b4-sdio.Intel Corp.-VALLEYVIEW C0 PLATFORM.txt\"\n"
            + "File: brcm/brcmfmac4356-pcie.bin\n"
            + "Link: \"brcm/brcmfmac4356-pcie.Xiaomi Inc-Mipad2.txt\" -> brcmfmac4356-pcie.txt\n"
            + "  File: indented/not-a-file-line.bin\n"
            + "Info: File: not/at/the/start.bin\n"
            + "Link: no-arrow.bin\n\n"
            + SEP + "\n"
            + "Driver: iwlwifi - Intel Wireless Wifi\n"
            + "File: amdgpu/a.bin\n"
            + "File: iwlwifi-cc-a0-77.ucode\n"
            + "Licence: Redistributable. See LICENCE.iwlwifi_firmware for details.\n"
            + SEP
            + "Driver: last - a stanza with no separator after it\n"
            + "File: last.bin\n";

    private static Whence parse(String text) {
        return Whence.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void filesLinksDriversAndLicences() {
        Whence w = parse(WHENCE);
        assertEquals(List.of("amdgpu/a.bin", "amdgpu/raw.bin",
                "brcm/brcmfmac43241b4-sdio.Intel Corp.-VALLEYVIEW C0 PLATFORM.txt", "brcm/brcmfmac4356-pcie.bin",
                "iwlwifi-cc-a0-77.ucode", "last.bin"), List.copyOf(w.files().keySet()));
        Whence.Info amd = new Whence.Info("amdgpu", "Redistributable. See LICENSE.amdgpu for details.");
        Whence.Info brcm = new Whence.Info("brcmfmac", "Redistributable. See LICENCE.broadcom_bcm43xx for details.");
        Whence.Info iwl = new Whence.Info("iwlwifi", "Redistributable. See LICENCE.iwlwifi_firmware for details.");
        assertEquals(amd, w.files().get("amdgpu/raw.bin"), "a licence after its files");
        assertEquals(brcm, w.files().get("brcm/brcmfmac4356-pcie.bin"), "a licence before its files");
        assertEquals(amd, w.files().get("amdgpu/a.bin"), "named twice: the first stanza");
        assertEquals(iwl, w.files().get("iwlwifi-cc-a0-77.ucode"));
        assertEquals(new Whence.Info("last", null), w.files().get("last.bin"));
        assertEquals(List.of(new Whence.Link("amdgpu/old.bin", "a.bin", amd),
                new Whence.Link("brcm/brcmfmac4356-pcie.Xiaomi Inc-Mipad2.txt", "brcmfmac4356-pcie.txt", brcm)), w.links());
    }

    @Test
    void infoOfAPathWithOrWithoutItsCompressionSuffix() {
        Whence w = parse(WHENCE);
        Whence.Info amd = w.files().get("amdgpu/a.bin");
        assertEquals(amd, w.info("amdgpu/a.bin"));
        assertEquals(amd, w.info("amdgpu/a.bin.xz"));
        assertEquals(amd, w.info("amdgpu/a.bin.zst"));
        assertEquals(amd, w.info("amdgpu/old.bin.zst"), "a link's stanza");
        assertNull(w.info("amdgpu/a.bin.gz"));
        assertNull(w.info("indented/not-a-file-line.bin"));
        assertNull(w.info("unknown.bin"));
    }

    @Test
    void emptyAndSeparatorOnly() {
        assertEquals(List.of(), List.copyOf(parse("").files().keySet()));
        assertEquals(List.of(), parse(SEP + SEP).links());
        // a File: before any Driver: has no driver
        assertEquals(new Whence.Info(null, "MIT"), parse("File: a.bin\nLicense: MIT\n").files().get("a.bin"));
    }

    /** The files named are those a sed reading of the File:/RawFile: lines gives, as copy-firmware.sh installs them. */
    @Test
    void filesAreWhatTheFileLinesOfASedReadingName(@TempDir Path tmp) throws IOException {
        assumeTrue(FirmwareListing.onPath("bash", "sed", "tr"), "sed not installed");
        Path f = Files.writeString(tmp.resolve("WHENCE"), WHENCE);
        String names = FirmwareListing.run("bash", "-c", "sed -n -E 's/^(File|RawFile):[[:space:]]*//p' \"$1\" | tr -d '\"'",
                "_", f.toString());
        List<String> want = new ArrayList<>(new LinkedHashSet<>(names.lines().toList()));
        assertEquals(want, List.copyOf(parse(WHENCE).files().keySet()));
        String links = FirmwareListing.run("bash", "-c", "sed -n -E 's/^Link:[[:space:]]*//p' \"$1\" | tr -d '\"' "
                + "| grep -- '->' | sed -E 's/[[:space:]]*->[[:space:]]*/|/'", "_", f.toString());
        assertEquals(links.lines().toList(), parse(WHENCE).links().stream().map(l -> l.name() + "|" + l.target()).toList());
    }
}
