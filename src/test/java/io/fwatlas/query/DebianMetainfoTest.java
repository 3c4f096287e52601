package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fwatlas.packages.PackageControl;
import io.fwatlas.query.AppStream.Metainfo;
import io.fwatlas.query.AppStream.Module;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The metainfo of twelve Debian trixie firmware packages, made from what each package's control
 * file and file list say and from update-modinfo's modinfo.json of Debian 6.12.117 amd64 and
 * arm64 (resources in {@code appstream/trixie/}, see its README), against the files they ship.
 * They were generated from linux 6.12.19-1, so the device IDs that changed in between differ;
 * every other difference is listed here.
 */
class DebianMetainfoTest {
    static final String DIR = "/appstream/trixie/";
    static final List<String> PACKAGES = List.of("firmware-amd-graphics", "firmware-atheros", "firmware-brcm80211",
            "firmware-cavium", "firmware-intel-sound", "firmware-ipw2x00", "firmware-ivtv", "firmware-iwlwifi",
            "firmware-libertas", "firmware-linux-free", "firmware-misc-nonfree", "firmware-realtek");
    /** Aliases (more, fewer) than the shipped file: device IDs added and dropped between 6.12.19 and 6.12.117. */
    static final Map<String, List<Integer>> KERNEL_DRIFT = Map.of("firmware-amd-graphics", List.of(9, 0),
            "firmware-realtek", List.of(4, 78), "firmware-ipw2x00", List.of(1, 1));
    static Map<String, Module> modinfo;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readModinfo() throws IOException {
        modinfo = new HashMap<>();
        JsonNode root = new ObjectMapper().readTree(gunzip(DIR + "modinfo.json.gz"));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            modinfo.put(e.getKey(), new Module(strings(e.getValue().get("firmware")), strings(e.getValue().get("alias"))));
        }
    }

    /** What the shipped file lists. */
    record Provides(List<String> firmware, List<String> modalias) {
    }

    @Test
    void iwlwifiIsByteForByteWhatDebianShips() throws Exception {
        Metainfo m = metainfo("firmware-iwlwifi", true);
        assertEquals(180, m.firmware().size());
        assertEquals(452, m.modalias().size());
        assertEquals(shipped("firmware-iwlwifi"), AppStream.write(m));
        // the globs of 6.12 (ath11k_pci, brcmfmac, intel-ish-ipc) match none of its files
        assertEquals(m, metainfo("firmware-iwlwifi", false));
    }

    @Test
    void everyPackageAsShippedButForKernelDrift() throws Exception {
        List<String> identical = new ArrayList<>();
        for (String pkg : PACKAGES) {
            Metainfo m = metainfo(pkg, true);
            Provides want = provides(shipped(pkg));
            List<String> firmware = new ArrayList<>(want.firmware());
            if (pkg.equals("firmware-ipw2x00")) {
                // Debian installs its licence next to the firmware but lists only what its config's file patterns name
                firmware.add("ipw2x00.LICENSE");  // sorts last
            }
            assertEquals(firmware, m.firmware(), pkg);
            List<Integer> drift = KERNEL_DRIFT.getOrDefault(pkg, List.of(0, 0));
            assertEquals(drift, List.of(minus(m.modalias(), want.modalias()).size(),
                    minus(want.modalias(), m.modalias()).size()), pkg + " aliases (more, fewer)");
            if (drift.equals(List.of(0, 0)) && !pkg.equals("firmware-ipw2x00")) {
                assertEquals(want.modalias(), m.modalias(), pkg);
                String ours = AppStream.write(m);
                if (pkg.equals("firmware-linux-free")) {
                    // firmware-free's generator keeps the description's leading space: <p> This package ...
                    ours = ours.replace("    <p>This package", "    <p> This package");
                }
                assertEquals(shipped(pkg), ours, pkg);
                identical.add(pkg);
            }
            AppStreamCli.assertValid(tmp, m);
        }
        // byte for byte (firmware-linux-free but for its leading space); the other three differ by kernel drift
        assertEquals(List.of("firmware-atheros", "firmware-brcm80211", "firmware-cavium", "firmware-intel-sound",
                "firmware-ivtv", "firmware-iwlwifi", "firmware-libertas", "firmware-linux-free", "firmware-misc-nonfree"),
                identical);
    }

    @Test
    void globsAddOnlyAth11kPci() throws Exception {
        for (String pkg : PACKAGES) {
            List<String> literal = metainfo(pkg, true).modalias();
            List<String> glob = metainfo(pkg, false).modalias();
            if (pkg.equals("firmware-atheros")) {
                // ath11k_pci asks for ath11k/QCA6390/hw2.0/* and the like: firmware-nonfree 20250410-2 misses it
                assertEquals(List.of("pci:v000017CBd00001101sv*sd*bc*sc*i*", "pci:v000017CBd00001103sv*sd*bc*sc*i*",
                        "pci:v000017CBd00001104sv*sd*bc*sc*i*"), minus(glob, literal));
            } else {
                assertEquals(literal, glob, pkg);
            }
        }
    }

    static Metainfo metainfo(String pkg, boolean literal) throws Exception {
        PackageControl c = PackageControl.debian(resource(DIR + pkg + ".control"));
        List<String> names = List.of(new String(gunzip(DIR + pkg + ".files.gz"), StandardCharsets.UTF_8).split("\n"));
        return new Metainfo(AppStream.id(c.name()), c.name(), c.summary(), AppStream.description(c.description()),
                c.homepage(), AppStream.firmwareList(names), AppStream.modaliases(names, modinfo, literal));
    }

    static String shipped(String pkg) throws IOException {
        return new String(gunzip(DIR + pkg + ".metainfo.xml.gz"), StandardCharsets.UTF_8);
    }

    static Provides provides(String xml) throws Exception {
        Document d = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return new Provides(texts(d.getElementsByTagName("firmware")), texts(d.getElementsByTagName("modalias")));
    }

    private static List<String> texts(NodeList nodes) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            l.add(nodes.item(i).getTextContent());
        }
        return l;
    }

    private static List<String> minus(List<String> a, List<String> b) {
        Set<String> s = new TreeSet<>(a);
        s.removeAll(new HashSet<>(b));
        return new ArrayList<>(s);
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> s = new HashSet<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = DebianMetainfoTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    static byte[] gunzip(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(resource(name)))) {
            return in.readAllBytes();
        }
    }
}
