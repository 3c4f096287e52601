package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How device lists are read and refused: line numbers, limits, kmod's normalisation. */
class DeviceListTest {
    @TempDir
    Path tmp;

    static DeviceList read(String text) throws IOException {
        return DeviceList.read(new StringReader(text), "devs.txt");
    }

    static String refusal(String text) {
        return assertThrows(QueryException.class, () -> read(text)).getMessage();
    }

    @Test
    void readsSysfsOutputSkippingBlankLinesAndComments() throws IOException {
        DeviceList d = read("# laptop\npci:v00008086d00002723sv00008086sd00000084bc02sc80i00\n\n"
                + "  usb:v0BDAp8153d3000dc00dsc00dp00icFFisc00ip00in00  \r\n#\nacpi:INT33D2:\n"
                + "pci:v00008086d00002723sv00008086sd00000084bc02sc80i00\nof:NgpuT(null)Cqcom,adreno");
        assertEquals(List.of("pci:v00008086d00002723sv00008086sd00000084bc02sc80i00",
                "usb:v0BDAp8153d3000dc00dsc00dp00icFFisc00ip00in00", "acpi:INT33D2:", "of:NgpuT(null)Cqcom,adreno"),
                d.given());
    }

    @Test
    void keepsTheGivenStringAndKmodsNormalisedForm() throws IOException {
        DeviceList d = read("char-major-10-229\nvirtio:d00000001v00001AF4\nx-[a-b]-y\n");
        assertEquals(List.of("char-major-10-229", "virtio:d00000001v00001AF4", "x-[a-b]-y"), d.given());
        assertEquals(List.of("char_major_10_229", "virtio:d00000001v00001AF4", "x_[a-b]_y"), d.normalized());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pci:v1\\nbad\\u0007line|devs.txt line 2: control character 0x07 at column 4; a modalias is one line of printable text",
        "ok\\n\\nx\\ty|devs.txt line 3: control character 0x09 at column 2; a modalias is one line of printable text",
        "a\\nb]c|devs.txt line 2: not a valid modalias: a ']' without its '[', or a '[' that is never closed (kmod refuses it)",
        "a[bc|devs.txt line 1: not a valid modalias: a ']' without its '[', or a '[' that is never closed (kmod refuses it)",
        "# nothing\\n\\n|devs.txt holds no modalias (only blank lines and # comments)",
        "x\\u007fy|devs.txt line 1: control character 0x7f at column 2; a modalias is one line of printable text",
    })
    void refusesMalformedLinesNamingThem(String text, String message) {
        assertEquals(message, refusal(text.replace("\\n", "\n").replace("\\t", "\t")
                .replace("\\u0007", "\u0007").replace("\\u007f", "\u007f")));
    }

    @Test
    void aLineOverFourKibIsRefusedWithoutReadingItWhole() {
        assertEquals("devs.txt line 2: longer than 4096 bytes; a modalias is at most 4096",
                refusal("ok\n" + "p".repeat(5_000_000)));
        // exactly the limit is a modalias; kmod itself reads at most 4095 bytes of it
        String edge = "p".repeat(4096);
        assertEquals(List.of(edge), assertDoesNotThrow(() -> read(edge + "\n")).given());
    }

    @Test
    void multiByteCharactersCountAsTheirBytes() {
        String s = "of:NxT(null)C" + "\u00e9".repeat(2042);  // 13 + 4084 bytes
        assertEquals("modalias 1 ('" + s.substring(0, 60) + "...'): 4097 bytes long; a modalias is at most 4096",
                assertThrows(QueryException.class, () -> DeviceList.of(List.of(s))).getMessage());
    }

    @Test
    void filesThatAreNotTextOrNotThereAreRefused() throws IOException {
        Path bin = tmp.resolve("bin");
        Files.write(bin, new byte[] {'p', 'c', 'i', ':', (byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals(bin + " line 1: not UTF-8 text", assertThrows(QueryException.class,
                () -> DeviceList.read("--modaliases", bin.toString(), null)).getMessage());
        assertEquals("--modaliases " + tmp + " is a directory", assertThrows(QueryException.class,
                () -> DeviceList.read("--modaliases", tmp.toString(), null)).getMessage());
        assertEquals("--devices " + tmp.resolve("none") + ": no such file", assertThrows(QueryException.class,
                () -> DeviceList.read("--devices", tmp.resolve("none").toString(), null)).getMessage());
        DeviceList stdin = DeviceList.read("--modaliases", "-",
                new ByteArrayInputStream("platform:rtc_cmos\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("platform:rtc_cmos"), stdin.given());
    }

    @Test
    void argumentsAreCheckedAsLinesAre() {
        assertEquals("modalias 2 ('a]'): not a valid modalias: a ']' without its '[', or a '[' that is never "
                + "closed (kmod refuses it)", assertThrows(QueryException.class,
                () -> DeviceList.of(List.of("ok", "a]"))).getMessage());
        assertEquals("modalias 1 (''): empty modalias",
                assertThrows(QueryException.class, () -> DeviceList.of(List.of(""))).getMessage());
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }
}
