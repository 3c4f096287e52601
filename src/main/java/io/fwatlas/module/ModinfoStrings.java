package io.fwatlas.module;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splits {@code .modinfo} bytes into strings exactly as kmod's kmod_elf_get_strings does. */
public final class ModinfoStrings {
    private ModinfoStrings() {
    }

    /**
     * The strings as {@code [start0, end0, start1, end1, ...]} offsets into {@code data}, in section
     * order. Leading NUL padding is skipped, runs of NULs are collapsed, and a last string without a
     * NUL still counts. Like kmod, a section of one byte after the padding holds no string.
     */
    public static int[] bounds(byte[] data, int from, int to) {
        int start = from;
        while (start < to - 1 && data[start] == 0) {
            start++;
        }
        if (to - start <= 1) {
            return new int[0];
        }
        int[] out = new int[16];
        int n = 0;
        int i = start;
        while (i < to) {
            int end = i;
            while (end < to && data[end] != 0) {
                end++;
            }
            if (end > i) {
                if (n + 2 > out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = i;
                out[n++] = end;
            }
            i = end + 1;
        }
        return Arrays.copyOf(out, n);
    }

    public static List<ModinfoEntry> split(byte[] data) {
        return split(data, 0, data.length);
    }

    public static List<ModinfoEntry> split(byte[] data, int from, int to) {
        int[] b = bounds(data, from, to);
        List<ModinfoEntry> out = new ArrayList<>(b.length / 2);
        for (int k = 0; k < b.length; k += 2) {
            out.add(entry(data, b[k], b[k + 1]));
        }
        return out;
    }

    /** Offset of the first '=' in {@code data[from..to)}, or -1. */
    public static int equalsAt(byte[] data, int from, int to) {
        for (int k = from; k < to; k++) {
            if (data[k] == '=') {
                return k;
            }
        }
        return -1;
    }

    /** Splits at the first '='; a string without one is a key with an empty value. */
    static ModinfoEntry entry(byte[] data, int from, int to) {
        int eq = equalsAt(data, from, to);
        if (eq < 0) {
            return new ModinfoEntry(utf8(data, from, to), "");
        }
        return new ModinfoEntry(utf8(data, from, eq), utf8(data, eq + 1, to));
    }

    /** UTF-8 with replacement characters for bad bytes; never throws. */
    static String utf8(byte[] data, int from, int to) {
        for (int k = from; k < to; k++) {
            if (data[k] < 0) {
                return new String(data, from, to - from, StandardCharsets.UTF_8);
            }
        }
        return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
