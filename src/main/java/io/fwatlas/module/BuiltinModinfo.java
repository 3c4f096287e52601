package io.fwatlas.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code modules.builtin.modinfo}: NUL-separated {@code modname.key=value} strings of the
 * code built into the kernel image. A malformed string is rejected alone; the rest of the file counts.
 * Like kmod, a module's strings are its first contiguous run: kmod stops at the first string of
 * another module (a rejected string included) and never looks at a later run of the same module.
 */
public final class BuiltinModinfo {
    private BuiltinModinfo() {
    }

    /**
     * @param modules  one record per built-in module, in order of first appearance
     * @param rejected each malformed string, decoded, in file order
     * @param ignored  each well-formed string of a module's later run, which kmod never shows, in file order
     */
    public record Result(List<ModuleInfo> modules, List<String> rejected, List<String> ignored) {
    }

    public static Result parse(String path, byte[] data) {
        int[] b = ModinfoStrings.bounds(data, 0, data.length);
        Map<String, List<ModinfoEntry>> byModule = new LinkedHashMap<>();
        List<String> rejected = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        String current = null; // module of the previous string; null after a rejected one
        boolean currentIsLaterRun = false;
        for (int k = 0; k < b.length; k += 2) {
            int from = b[k];
            int to = b[k + 1];
            int eq = ModinfoStrings.equalsAt(data, from, to);
            int keyEnd = eq < 0 ? to : eq;
            int dot = -1;
            for (int i = from; i < keyEnd; i++) {
                if (data[i] == '.') {
                    dot = i;
                    break;
                }
            }
            if (dot <= from || dot + 1 >= keyEnd) {
                rejected.add(ModinfoStrings.utf8(data, from, to));
                current = null;
                continue;
            }
            String module = ModinfoStrings.utf8(data, from, dot);
            if (!module.equals(current)) {
                current = module;
                currentIsLaterRun = byModule.containsKey(module);
            }
            if (currentIsLaterRun) {
                ignored.add(ModinfoStrings.utf8(data, from, to));
                continue;
            }
            byModule.computeIfAbsent(module, m -> new ArrayList<>())
                    .add(ModinfoStrings.entry(data, dot + 1, to));
        }
        List<ModuleInfo> modules = new ArrayList<>(byModule.size());
        for (Map.Entry<String, List<ModinfoEntry>> e : byModule.entrySet()) {
            modules.add(new ModuleInfo(path, e.getKey(), 0, true, Compression.NONE, 0, null, null,
                    e.getValue(), null));
        }
        return new Result(modules, rejected, ignored);
    }
}
