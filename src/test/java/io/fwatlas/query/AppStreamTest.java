package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.query.AppStream.Block;
import io.fwatlas.query.AppStream.Metainfo;
import io.fwatlas.query.AppStream.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metainfo rules and writer, without Spark. */
class AppStreamTest {
    @TempDir
    Path tmp;

    @Test
    void idTurnsEveryDashIntoAnUnderscore() {
        assertEquals("org.debian.firmware_misc_nonfree", AppStream.id("firmware-misc-nonfree"));
        assertEquals("org.debian.firmware_iwlwifi.metainfo.xml", AppStream.fileName("firmware-iwlwifi"));
        assertEquals("org.debian.linux_firmware_2", AppStream.id("linux-firmware-2"));
    }

    @Test
    void firmwareIsListedOnceInPathlibOrder() {
        // by component: AR6003 before AR6003.1 and ti before ti-keystone, though '.' and '-' sort before '/'
        assertEquals(List.of("a.bin", "ath6k/AR6003/hw1.0/otp.bin", "ath6k/AR6003.1/hw2.1.1/athwlan.bin",
                        "ti/vpdma-1b8.bin", "ti-keystone/ks2.bin", "tigon/tg3.bin", "\uFFFF.bin", "\uD83D\uDE00.bin"),
                AppStream.firmwareList(List.of("tigon/tg3.bin", "ti-keystone/ks2.bin", "ti/vpdma-1b8.bin",
                        "ath6k/AR6003.1/hw2.1.1/athwlan.bin", "\uD83D\uDE00.bin", "ath6k/AR6003/hw1.0/otp.bin",
                        "a.bin", "\uFFFF.bin", "a.bin")));
    }

    @Test
    void modaliasesOfTheModulesThatAskForAFileSortedOnce() {
        Map<String, Module> modules = new HashMap<>();
        modules.put("iwlwifi", new Module(Set.of("iwlwifi-cc-a0-77.ucode", "iwlwifi-gone.ucode"),
                Set.of("pci:v00008086d00002723sv*sd*bc*sc*i*", "pci:v00008086d00000084sv*sd*bc*sc*i*")));
        modules.put("btintel", new Module(Set.of("intel/ibt-0040-0041.sfi"),
                Set.of("pci:v00008086d00000084sv*sd*bc*sc*i*", "acpi:INT33E1:")));
        modules.put("ath11k_pci", new Module(Set.of("ath11k/QCA6390/hw2.0/*"), Set.of("pci:v000017CBd00001101sv*sd*bc*sc*i*")));
        modules.put("escaped", new Module(Set.of("x\\.bin"), Set.of("usb:v1234p5678d*")));
        modules.put("other", new Module(Set.of("rtl_nic/rtl8168d-1.fw"), Set.of("pci:v000010ECd00008168sv*sd*bc*sc*i*")));
        List<String> names = List.of("iwlwifi-cc-a0-77.ucode", "intel/ibt-0040-0041.sfi", "ath11k/QCA6390/hw2.0/amss.bin",
                "x.bin");
        assertEquals(List.of("acpi:INT33E1:", "pci:v000017CBd00001101sv*sd*bc*sc*i*",
                "pci:v00008086d00000084sv*sd*bc*sc*i*", "pci:v00008086d00002723sv*sd*bc*sc*i*", "usb:v1234p5678d*"),
                AppStream.modaliases(names, modules, false));
        // literal, as firmware-nonfree 20250410-2 matches: globs and escapes match nothing
        assertEquals(List.of("acpi:INT33E1:", "pci:v00008086d00000084sv*sd*bc*sc*i*",
                "pci:v00008086d00002723sv*sd*bc*sc*i*"), AppStream.modaliases(names, modules, true));
        assertEquals(List.of(), AppStream.modaliases(List.of(), modules, false));
    }

    @Test
    void moduleKeysAreFileNamesAndMergeAcrossFiles() {
        Map<String, Module> modules = new HashMap<>();
        AppStream.add(modules, "kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko.xz", List.of("a.ucode"),
                List.of("pci:1"));
        AppStream.add(modules, "kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko", List.of("b.ucode"),
                List.of("pci:2"));
        AppStream.add(modules, "kernel/sound/pci/hda/snd-hda-codec-ca0132.ko.zst", List.of("ctefx.bin"), List.of());
        assertEquals(Set.of("iwlwifi", "snd-hda-codec-ca0132"), modules.keySet());
        assertEquals(new Module(Set.of("a.ucode", "b.ucode"), Set.of("pci:1", "pci:2")), modules.get("iwlwifi"));
    }

    @Test
    void firmwareNonfreeDescriptionsBecomeItsOneParagraph() {
        // firmware-ipw2x00 20250410-2: the licence paragraph is not in the metainfo; sentence spaces are one
        assertEquals(List.of(Block.p("Binary firmware for Intel Pro Wireless 2100, 2200 and 2915 cards supported by "
                        + "the ipw2100 and ipw2200 drivers.")),
                AppStream.description("This package contains the binary firmware for Intel Pro Wireless 2100,\n"
                        + "2200 and 2915 cards supported by the ipw2100 and ipw2200 drivers.\n\n"
                        + "This firmware is covered by the Intel Pro Wireless 2100 and 2200/2915\n"
                        + "License.  You must agree to the terms of this license before it is\ninstalled."));
        assertEquals(List.of(Block.p("Binary firmware for various drivers in the Linux kernel. This is a collection.")),
                AppStream.description("This package contains the binary firmware for various drivers in the Linux\n"
                        + "kernel.  This is a collection."));
    }

    @Test
    void otherDescriptionsBecomeParagraphsAndLists() {
        assertEquals(List.of(), AppStream.description(null));
        assertEquals(List.of(), AppStream.description("  \n"));
        assertEquals(List.of(
                        Block.p("This package provides firmware which was previously included in the Linux kernel."),
                        Block.p("Contents:"),
                        Block.ul(List.of("Intel Wireless 100 firmware, version 39.31.5.1 (iwlwifi-100-5.ucode)",
                                "Intel Wireless 1000 firmware", "two")),
                        Block.p("After the list."),
                        Block.ul(List.of("alone")),
                        Block.p("Last.")),
                AppStream.description("This package provides firmware which was previously included in the Linux\n"
                        + "kernel.\n\nContents:\n"
                        + " * Intel Wireless 100 firmware, version 39.31.5.1\n   (iwlwifi-100-5.ucode)\n"
                        + " * Intel Wireless 1000 firmware\n - two\nAfter the list.\n\n+ alone\n\nLast."));
    }

    @Test
    void writesDebiansLayout() {
        Metainfo m = new Metainfo(AppStream.id("firmware-iwlwifi"), "firmware-iwlwifi",
                "Binary firmware for Intel Wireless cards",
                List.of(Block.p("Binary firmware for Intel Wireless cards supported by the iwl3945, iwl4965, and "
                        + "iwlwifi drivers.")),
                "https://gitlab.com/kernel-firmware/linux-firmware",
                List.of("intel/ibt-0040-0041.ddc", "iwlwifi-100-5.ucode"),
                List.of("pci:v00008086d00000082sv*sd00001301bc*sc*i*", "usb:v8087p0A2Ad*dc*dsc*dp*ic*isc*ip*in*"));
        assertEquals("""
                <?xml version="1.0" encoding="UTF-8"?>
                <component type="firmware">
                  <id>org.debian.firmware_iwlwifi</id>
                  <name>firmware-iwlwifi</name>
                  <summary>Binary firmware for Intel Wireless cards</summary>
                  <description>
                    <p>Binary firmware for Intel Wireless cards supported by the iwl3945, iwl4965, and iwlwifi drivers.</p>
                  </description>
                  <url type="homepage">https://gitlab.com/kernel-firmware/linux-firmware</url>
                  <metadata_license>CC0-1.0</metadata_license>
                  <provides>
                    <firmware type="runtime">intel/ibt-0040-0041.ddc</firmware>
                    <firmware type="runtime">iwlwifi-100-5.ucode</firmware>
                    <modalias>pci:v00008086d00000082sv*sd00001301bc*sc*i*</modalias>
                    <modalias>usb:v8087p0A2Ad*dc*dsc*dp*ic*isc*ip*in*</modalias>

                  </provides>
                </component>
                """, AppStream.write(m));
    }

    @Test
    void escapesTextAndLeavesOutWhatIsMissing() throws IOException, InterruptedException {
        Metainfo m = new Metainfo(AppStream.id("firmware-a-b"), "firmware-a-b", "Firmware for <A> & \"B\" cards",
                List.of(Block.p("Tom & Jerry's <cards>\u0001."), Block.ul(List.of("one < two", "caf\u00e9"))), null,
                List.of("a&b.bin", "x<y>.fw"), List.of());
        String xml = AppStream.write(m);
        assertEquals("""
                <?xml version="1.0" encoding="UTF-8"?>
                <component type="firmware">
                  <id>org.debian.firmware_a_b</id>
                  <name>firmware-a-b</name>
                  <summary>Firmware for &lt;A&gt; &amp; "B" cards</summary>
                  <description>
                    <p>Tom &amp; Jerry's &lt;cards&gt;\uFFFD.</p>
                    <ul>
                      <li>one &lt; two</li>
                      <li>caf\u00e9</li>
                    </ul>
                  </description>
                  <metadata_license>CC0-1.0</metadata_license>
                  <provides>
                    <firmware type="runtime">a&amp;b.bin</firmware>
                    <firmware type="runtime">x&lt;y&gt;.fw</firmware>

                  </provides>
                </component>
                """, xml);
        Metainfo bare = new Metainfo(AppStream.id("firmware-x"), "firmware-x", "Binary firmware for X", List.of(),
                "https://example.org/?a=1&b=2", List.of("x.bin"), List.of());
        assertTrue(AppStream.write(bare).contains("  <url type=\"homepage\">https://example.org/?a=1&amp;b=2</url>\n"
                + "  <metadata_license>"));
        AppStreamCli.assertValid(tmp, m);
        AppStreamCli.assertValid(tmp, bare);
    }
}
