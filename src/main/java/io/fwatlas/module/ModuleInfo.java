package io.fwatlas.module;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything read from one module: ELF facts, every {@code .modinfo} string in section order
 * and the signature. Built-in modules have no ELF facts (class 0, nulls).
 *
 * @param elfClass  32 or 64; 0 for built-in modules
 * @param byteOrder {@code little} or {@code big}; null for built-in modules
 * @param machine   the e_machine name ({@code x86_64}, {@code s390}, ...); null for built-in modules
 * @param entries   the strings, duplicates kept
 * @param signature the appended signature, or null
 */
public record ModuleInfo(String path, String name, long size, boolean builtin, Compression compression,
                         int elfClass, String byteOrder, String machine, List<ModinfoEntry> entries,
                         ModuleSignature signature) implements ModuleResult {

    public ModuleInfo {
        entries = List.copyOf(entries);
    }

    /** Values of every string whose key equals {@code key} exactly, in section order. */
    public List<String> values(String key) {
        List<String> out = new ArrayList<>();
        for (ModinfoEntry e : entries) {
            if (e.key().equals(key)) {
                out.add(e.value());
            }
        }
        return out;
    }

    /** The first value of {@code key}, or null. */
    public String first(String key) {
        for (ModinfoEntry e : entries) {
            if (e.key().equals(key)) {
                return e.value();
            }
        }
        return null;
    }

    public List<String> firmware() {
        return values("firmware");
    }

    /** The {@code name=} string (Linux 4.13 and later), or null. */
    public String nameField() {
        return first("name");
    }

    public String vermagic() {
        return first("vermagic");
    }

    /** The first token of vermagic: the release the module was built for, or null. */
    public String vermagicRelease() {
        String v = vermagic();
        if (v == null) {
            return null;
        }
        String t = v.strip();
        int sp = t.indexOf(' ');
        String r = sp < 0 ? t : t.substring(0, sp);
        return r.isEmpty() ? null : r;
    }

    public boolean signed() {
        return signature != null;
    }
}
