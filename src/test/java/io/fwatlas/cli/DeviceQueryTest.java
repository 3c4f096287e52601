package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fwatlas.query.AtlasTables;
import io.fwatlas.query.TestSpark;
import io.fwatlas.scan.TableStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fwatlas query device} over a scan of data-samples (whose aliases {@code SampleGenerator}
 * lists) and over small written tables for gaps, flavours and refusals.
 */
class DeviceQueryTest {
    static final String K61 = "6.1.0-18-amd64";
    static final String K612 = "6.12.9+deb13-amd64";
    static final String IWL = "pci:v00008086d00002723sv00008086sd00000084bc02sc80i00";
    /** iwlwifi's vendor and device, but the class of an xHCI controller: the built-in xhci_pci matches too. */
    static final String IWL_AS_XHCI = "pci:v00008086d00002723sv00008086sd00000084bc0Csc03i30";
    static final String R8152 = "usb:v0BDAp8153d3000dc00dsc00dp00icFFisc00ip00in00";
    static final String R8156_OLD = "usb:v0BDAp8156d0100dc00dsc00dp00icFFisc00ip00in00";
    static final String R8156_NEW = "usb:v0BDAp8156d3000dc00dsc00dp00icFFisc00ip00in00";
    static final String IWL_FW_61 = "iwlwifi-9000-pu-b0-jf-b0-46.ucode iwlwifi-cc-a0-77.ucode";
    static final String IWL_FW_612 = "iwlwifi-cc-a0-77.ucode iwlwifi-so-a0-gf-a0-89.ucode";
    static final String IWL_61 = "kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko";
    static final String IWL_ALIAS = "pci:v00008086d00002723sv*sd*bc*sc*i*";

    @TempDir
    static Path tmp;
    static SparkSession spark;
    static String table;
    static Path gaps;

    @BeforeAll
    static void setUp() throws IOException {
        spark = TestSpark.start();
        table = tmp.resolve("atlas").toString();
        CliHarness.Run scan = CliHarness.fwatlas("scan", "--output", table,
                Paths.get("data-samples").toAbsolutePath().toString());
        assertEquals(0, scan.code(), scan.err());
        gaps = writeGapsTable();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static CliHarness.Run query(String... args) {
        List<String> all = new ArrayList<>(List.of("query", "--table", table));
        all.addAll(List.of(args));
        return CliHarness.fwatlas(all.toArray(new String[0]));
    }

    @Test
    void oneRowPerDeviceKernelAndModuleInReleaseOrder() {
        CliHarness.Run r = query("device", IWL_AS_XHCI, R8152, "platform:rtc-cmos");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "modalias\tkernel\tflavour\tmodule\tbuiltin\tpath\talias\tfirmware",
                IWL_AS_XHCI + "\t" + K61 + "\tamd64\tiwlwifi\tfalse\t" + IWL_61 + "\t" + IWL_ALIAS + "\t" + IWL_FW_61,
                IWL_AS_XHCI + "\t" + K61 + "\tamd64\txhci_pci\ttrue\tmodules.builtin.modinfo\t"
                        + "pci:v*d*sv*sd*bc0Csc03i30*\trenesas_usb_fw.mem",
                IWL_AS_XHCI + "\t" + K612 + "\tamd64\tiwlwifi\tfalse\t" + IWL_61 + ".xz\t" + IWL_ALIAS + "\t"
                        + IWL_FW_612,
                R8152 + "\t" + K61 + "\tamd64\tr8152\tfalse\tkernel/drivers/net/usb/r8152.ko\t"
                        + "usb:v0BDAp8153d*dc*dsc*dp*icFFisc00ip00in*\trtl_nic/rtl8153a-4.fw rtl_nic/rtl8153b-2.fw",
                // the device's dash is normalised as kmod does; the row keeps the string as given
                "platform:rtc-cmos\t" + K61 + "\tamd64\trtc_cmos\ttrue\tmodules.builtin.modinfo\tplatform:rtc_cmos\t",
                ""), r.text());
        assertEquals("", r.err());
    }

    @Test
    void bracketRangesOfBcdDeviceDecide() {
        CliHarness.Run r = query("device", R8156_OLD, R8156_NEW);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.text().lines().toList();
        assertEquals(2, lines.size(), r.text());
        assertTrue(lines.get(1).startsWith(R8156_OLD + "\t" + K61 + "\tamd64\tr8152\t"), r.text());
        assertTrue(lines.get(1).contains("\tusb:v0BDAp8156d[0-2]*dc*dsc*dp*icFFisc*ip*in*\t"), r.text());
        assertEquals("fwatlas query device: 1 of 2 modaliases match no module: " + R8156_NEW + "\n", r.err());
    }

    @Test
    void csvJoinsFirmwareWithOneSpaceAndJsonKeepsArrays() throws IOException {
        CliHarness.Run csv = query("--csv", "device", IWL);
        assertEquals(0, csv.code(), csv.err());
        assertEquals("modalias,kernel,flavour,module,builtin,path,alias,firmware\r\n"
                + IWL + "," + K61 + ",amd64,iwlwifi,false," + IWL_61 + "," + IWL_ALIAS + "," + IWL_FW_61 + "\r\n"
                + IWL + "," + K612 + ",amd64,iwlwifi,false," + IWL_61 + ".xz," + IWL_ALIAS + "," + IWL_FW_612 + "\r\n",
                csv.text());
        CliHarness.Run json = query("--json", "device", IWL_AS_XHCI);
        assertEquals(0, json.code(), json.err());
        JsonNode a = new ObjectMapper().readTree(json.text());
        assertEquals(3, a.size());
        assertTrue(a.get(1).get("builtin").asBoolean());
        assertEquals("[\"renesas_usb_fw.mem\"]", a.get(1).get("firmware").toString());
        assertEquals("[\"iwlwifi-cc-a0-77.ucode\",\"iwlwifi-so-a0-gf-a0-89.ucode\"]", a.get(2).get("firmware")
                .toString());
    }

    @Test
    void kernelAndFlavourSelect() {
        CliHarness.Run one = query("device", "--kernel", K612, IWL);
        assertEquals(0, one.code(), one.err());
        assertEquals(2, one.text().lines().count(), one.text());
        assertTrue(one.text().contains("\t" + K612 + "\t"), one.text());
        CliHarness.Run arm = query("--flavour", "armmp", "device", IWL, "platform:wl18xx");
        assertEquals(0, arm.code(), arm.err());
        assertEquals("modalias\tkernel\tflavour\tmodule\tbuiltin\tpath\talias\tfirmware\n"
                + "platform:wl18xx\t4.9.0-13-armmp\tarmmp\twl18xx\tfalse\t"
                + "kernel/drivers/net/wireless/ti/wl18xx/wl18xx.ko\tplatform:wl18xx\tti-connectivity/wl18xx-fw-4.bin\n",
                arm.text());
        assertEquals("fwatlas query device: 1 of 2 modaliases match no module: " + IWL + "\n", arm.err());
        CliHarness.Run unknown = query("device", "--kernel", "6.2", IWL);
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("fwatlas query device: unknown kernel '6.2'; kernels: "), unknown.err());
        CliHarness.Run both = query("--flavour", "armmp", "device", "--kernel", K61, IWL);
        assertEquals(2, both.code());
        assertEquals("fwatlas query device: no kernel is both of flavour 'armmp' and among --kernel " + K61 + "\n",
                both.err());
    }

    @Test
    void nothingMatchingAnywhereExitsOne() {
        CliHarness.Run r = query("device", "pci:v0000FFFFd0000FFFFsv00000000sd00000000bc00sc00i00", "acpi:NONE0000:");
        assertEquals(1, r.code());
        assertEquals("", r.text());
        assertEquals("fwatlas query device: no module of the selected kernels matches any of the 2 modaliases\n",
                r.err());
    }

    @Test
    void summaryListsUnsupportedDevicesToo() {
        CliHarness.Run r = query("device", "--summary", IWL, R8152, "nothing:here");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "modalias\tflavour\tstatus\tfirst\tlast\tkernels\tgaps\tmodules\tfirmware",
                IWL + "\tamd64\tsupported\t" + K61 + "\t" + K612 + "\t2\t\tiwlwifi\t"
                        + "iwlwifi-9000-pu-b0-jf-b0-46.ucode iwlwifi-cc-a0-77.ucode iwlwifi-so-a0-gf-a0-89.ucode",
                R8152 + "\tamd64\tsupported\t" + K61 + "\t" + K61 + "\t1\t\tr8152\t"
                        + "rtl_nic/rtl8153a-4.fw rtl_nic/rtl8153b-2.fw",
                "nothing:here\t\tunsupported\t\t\t0\t\t\t", ""), r.text());
        CliHarness.Run none = query("device", "--summary", "nothing:here");
        assertEquals(1, none.code());
        assertEquals("modalias\tflavour\tstatus\tfirst\tlast\tkernels\tgaps\tmodules\tfirmware\n"
                + "nothing:here\t\tunsupported\t\t\t0\t\t\t\n", none.text());
        assertEquals("fwatlas query device: no module of the selected kernels matches nothing:here\n", none.err());
    }

    @Test
    void summaryNamesTheKernelsInBetweenThatDoNot() {
        CliHarness.Run r = CliHarness.fwatlas("query", "--table", gaps.toString(), "device", "--summary",
                "pci:v00001234d00005678sv00000000sd00000000bc02sc00i00");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "modalias\tflavour\tstatus\tfirst\tlast\tkernels\tgaps\tmodules\tfirmware",
                "pci:v00001234d00005678sv00000000sd00000000bc02sc00i00\tamd64\tsupported\t6.1.0-9-amd64\t"
                        + "6.1.0-11-amd64\t2\t6.1.0-10-amd64\tfoo\tfoo/a.bin foo/b.bin",
                "pci:v00001234d00005678sv00000000sd00000000bc02sc00i00\tcloud-amd64\tsupported\t6.12.1-cloud-amd64\t"
                        + "6.12.1-cloud-amd64\t1\t\tbar foo\tfoo/a.bin", ""), r.text());
    }

    @Test
    void modaliasFilesAndStandardInput() throws IOException {
        Path list = tmp.resolve("machine.txt");
        Files.writeString(list, "# from /sys/bus/*/devices/*/modalias\n" + IWL + "\n\nplatform:rtc_cmos\n");
        CliHarness.Run file = query("device", "--modaliases", list.toString());
        assertEquals(0, file.code(), file.err());
        assertEquals(4, file.text().lines().count(), file.text());
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream((R8152 + "\n").getBytes(StandardCharsets.UTF_8)));
            CliHarness.Run in = query("device", "--modaliases", "-");
            assertEquals(0, in.code(), in.err());
            assertEquals(2, in.text().lines().count(), in.text());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, IWL + "\n# ok\nusb:v1\u0001x\n");
        CliHarness.Run line = query("device", "--modaliases", bad.toString());
        assertEquals(2, line.code());
        assertEquals("fwatlas query device: " + bad + " line 3: control character 0x01 at column 7; a modalias "
                + "is one line of printable text\n", line.err());
        CliHarness.Run none = query("device");
        assertEquals(2, none.code());
        assertEquals("fwatlas query device: no modalias given: name devices (pci:v00008086d...) or "
                + "--modaliases FILE\n", none.err());
        CliHarness.Run both = query("device", "--modaliases", bad.toString(), IWL);
        assertEquals(2, both.code());
        assertEquals("fwatlas query device: give modaliases as arguments or with --modaliases, not both\n", both.err());
        CliHarness.Run missing = query("device", "--modaliases", tmp.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertEquals("fwatlas query device: --modaliases " + tmp.resolve("nope") + ": no such file\n", missing.err());
    }

    @Test
    void aTableWithoutAliasDataIsRefused() throws IOException {
        Path t = newTable("noalias");
        write(t, "modinfo", AtlasTables.MODINFO, List.of(
                RowFactory.create("6.1.0-9-amd64", "foo", "foo.ko", false, 0, "license", "GPL", "/t")));
        write(t, "modules", AtlasTables.MODULES, List.of(module("6.1.0-9-amd64", "foo")));
        CliHarness.Run r = CliHarness.fwatlas("query", "--table", t.toString(), "device", IWL);
        assertEquals(2, r.code());
        assertEquals("fwatlas query device: the selected kernels hold no alias strings (an empty modinfo table?); "
                + "scan the module trees again to match devices\n", r.err());
    }

    /**
     * kmod resolves {@code wild:a[b]c} to the pattern {@code wild:a[b]c*} only through the trie node
     * that the sibling alias {@code wild:ab} creates (DeviceKmodTest checks this against modprobe),
     * so the two must be indexed together even when the table keeps them in two files that Spark
     * reads as two partitions.
     */
    @Test
    void aDeviceHoldingWildcardsIsMatchedInItsReleasesWholeTrie() throws IOException {
        Path t = newTable("wild");
        String k = "6.1.0-9-amd64";
        write(t, "modules", AtlasTables.MODULES, List.of(module(k, "wildab"), module(k, "wildpat")));
        write(t, "modinfo", AtlasTables.MODINFO, List.of(
                RowFactory.create(k, "wildab", "wildab.ko", false, 0, "alias", "wild:ab", "/t")));
        spark.createDataFrame(List.of(RowFactory.create(k, "wildpat", "wildpat.ko", false, 0, "alias", "wild:a[b]c*",
                "/t")), AtlasTables.MODINFO).write().mode("append").partitionBy("kernel")
                .parquet(t.resolve("modinfo").toString());
        // a file opened costs as much as a whole partition holds: one partition per file
        String before = spark.conf().get("spark.sql.files.openCostInBytes");
        spark.conf().set("spark.sql.files.openCostInBytes", spark.conf().get("spark.sql.files.maxPartitionBytes"));
        try {
            assertEquals(2, spark.read().parquet(t.resolve("modinfo").toString()).rdd().getNumPartitions());
            CliHarness.Run r = CliHarness.fwatlas("query", "--table", t.toString(), "device", "wild:a[b]c");
            assertEquals(0, r.code(), r.err());
            assertEquals("modalias\tkernel\tflavour\tmodule\tbuiltin\tpath\talias\tfirmware\n"
                    + "wild:a[b]c\t" + k + "\tamd64\twildpat\tfalse\twildpat.ko\twild:a[b]c*\t\n", r.text());
        } finally {
            spark.conf().set("spark.sql.files.openCostInBytes", before);
        }
    }

    /** foo matches in 6.1.0-9 and -11 but not -10; in the cloud series foo and the built-in bar match. */
    static Path writeGapsTable() throws IOException {
        Path t = newTable("gaps");
        String alias = "pci:v00001234d00005678sv*sd*bc*sc*i*";
        List<Row> modinfo = new ArrayList<>();
        List<Row> modules = new ArrayList<>();
        for (String k : List.of("6.1.0-9-amd64", "6.1.0-10-amd64", "6.1.0-11-amd64", "6.12.1-cloud-amd64")) {
            modules.add(module(k, "foo"));
            boolean has = !k.equals("6.1.0-10-amd64");
            modinfo.add(RowFactory.create(k, "foo", "foo.ko", false, 0, "firmware", "foo/a.bin", "/t"));
            modinfo.add(RowFactory.create(k, "foo", "foo.ko", false, 1, "alias",
                    has ? alias : "pci:v00001234d00009999sv*sd*bc*sc*i*", "/t"));
            if (!k.contains("cloud")) {
                modinfo.add(RowFactory.create(k, "foo", "foo.ko", false, 2, "firmware", "foo/b.bin", "/t"));
            }
        }
        modinfo.add(RowFactory.create("6.12.1-cloud-amd64", "bar", "modules.builtin.modinfo", true, 0, "alias",
                "pci:v*d*sv*sd*bc02sc*i*", "/t"));
        write(t, "modinfo", AtlasTables.MODINFO, modinfo);
        write(t, "modules", AtlasTables.MODULES, modules);
        return t;
    }

    static Path newTable(String name) throws IOException {
        Path t = Files.createDirectories(tmp.resolve(name));
        Files.writeString(t.resolve(TableStore.MARKER), "{\"format\":\"" + TableStore.FORMAT + "\",\"version\":"
                + TableStore.FORMAT_VERSION + "}");
        return t;
    }

    static Row module(String kernel, String name) {
        return RowFactory.create(kernel, name, name + ".ko", false, 1L, "none", 64, "little", "x86_64", "v", kernel,
                false, "ok", null, null, "/t");
    }

    static void write(Path t, String name, StructType schema, List<Row> rows) {
        spark.createDataFrame(rows, schema).write().partitionBy("kernel").parquet(t.resolve(name).toString());
    }
}
