package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ModinfoStrings against kmod's kmod_elf_get_strings, case by case and exhaustively on short inputs. */
class ModinfoStringsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> strings(byte[] data) {
        int[] bounds = ModinfoStrings.bounds(data, 0, data.length);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < bounds.length; k += 2) {
            out.add(new String(data, bounds[k], bounds[k + 1] - bounds[k], StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /**
     * kmod's algorithm, restated: drop leading NULs while more than one byte is left; one byte or
     * less then holds no string; otherwise every maximal run of non-NUL bytes is a string, the last
     * one counting even without its NUL.
     */
    private static List<String> kmodModel(byte[] data) {
        int start = 0;
        int size = data.length;
        if (size == 0) {
            return List.of();
        }
        while (data[start] == 0 && size > 1) {
            start++;
            size--;
        }
        if (size <= 1) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int last = start;
        for (int i = start; i < start + size; i++) {
            if (data[i] == 0) {
                if (i > last) {
                    out.add(new String(data, last, i - last, StandardCharsets.ISO_8859_1));
                }
                last = i + 1;
            }
        }
        if (data[start + size - 1] != 0) {
            out.add(new String(data, last, start + size - last, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        // input with ~ for NUL | strings joined by ','
        "''          | ''",
        "~           | ''",
        "~~~         | ''",
        "x           | ''",          // one byte: no string
        "~~x         | ''",          // one byte left after the padding: no string either
        "xy          | 'xy'",        // no NUL at all, still a string
        "~xy         | 'xy'",
        "~x~         | 'x'",
        "a~          | 'a'",
        "a~b         | 'a,b'",
        "a~~~b~      | 'a,b'",       // runs of NULs collapse
        "a~a~        | 'a,a'",       // duplicates kept
        "~~~~lic=GPL~~fw=x~fw=x~last | 'lic=GPL,fw=x,fw=x,last'",
    })
    void kmodCases(String input, String expected) {
        byte[] data = b(input.replace('~', '\0'));
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(","));
        assertEquals(want, strings(data));
        assertEquals(want, kmodModel(data), "the model disagrees with the hand-worked case");
    }

    @Test
    void allShortInputsMatchKmod() {
        // Every string of up to 7 bytes over {NUL, 'a', '='}: 3280 inputs.
        byte[] alphabet = {0, 'a', '='};
        int checked = 0;
        for (int len = 0; len <= 7; len++) {
            int combos = (int) Math.pow(3, len);
            for (int c = 0; c < combos; c++) {
                byte[] data = new byte[len];
                int v = c;
                for (int i = 0; i < len; i++) {
                    data[i] = alphabet[v % 3];
                    v /= 3;
                }
                assertEquals(kmodModel(data), strings(data), () -> java.util.Arrays.toString(data));
                checked++;
            }
        }
        assertEquals(3280, checked);
    }

    @Test
    void rangeInsideALargerArray() {
        byte[] data = b("XX\0a\0bYY");
        int[] bounds = ModinfoStrings.bounds(data, 2, 6);
        assertArrayEquals(new int[] {3, 4, 5, 6}, bounds);
        assertEquals(List.of(new ModinfoEntry("a", ""), new ModinfoEntry("b", "")), ModinfoStrings.split(data, 2, 6));
    }

    @Test
    void keyAndValueSplitAtTheFirstEquals() {
        byte[] data = b("a=b=c\0=v\0k=\0noeq\0");
        assertEquals(List.of(
                new ModinfoEntry("a", "b=c"),
                new ModinfoEntry("", "v"),
                new ModinfoEntry("k", ""),
                new ModinfoEntry("noeq", "")), ModinfoStrings.split(data));
    }

    @Test
    void bytesDecodeAsUtf8WithoutThrowing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("author=J\u00fcrgen".getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(new byte[] {'k', '=', (byte) 0xff, (byte) 0xc3});
        List<ModinfoEntry> e = ModinfoStrings.split(out.toByteArray());
        assertEquals(new ModinfoEntry("author", "J\u00fcrgen"), e.get(0));
        assertEquals(new ModinfoEntry("k", "\ufffd\ufffd"), e.get(1));
    }

    @Test
    void manyStringsGrowTheBoundsArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            out.writeBytes(("firmware=f" + i + ".bin").getBytes(StandardCharsets.US_ASCII));
            out.write(0);
        }
        List<ModinfoEntry> e = ModinfoStrings.split(out.toByteArray());
        assertEquals(1000, e.size());
        assertEquals(new ModinfoEntry("firmware", "f999.bin"), e.get(999));
    }
}
