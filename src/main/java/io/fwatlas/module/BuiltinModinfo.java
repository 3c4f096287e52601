package io.fwatlas.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code modules.builtin.modinfo}: NUL-separated {@code modname.key=value} strings of the
 * code built into the kernel image. A malformed string is rejected alone; the rest of the file counts.
 * A module keeps every string of its own, in file order. kmod shows only a module's first contiguous
 * run (it stops at another module's string, a rejected one included): {@link Result#kmodShows} says
 * how many of a module's strings that is, so nothing is lost and kmod's view can still be had.
 */
public final class BuiltinModinfo {
    private BuiltinModinfo() {
    }

    /**
     * @param modules  one record per built-in module, in order of first appearance
     * @param rejected each malformed string, decoded, in file order
     * @param kmodShows for each module, how many of its leading strings kmod's modinfo shows
     */
    public record Result(List<ModuleInfo> modules, List<String> rejected, Map<String, Integer> kmodShows) {
    }

    public static Result parse(String path, byte[] data) {
        int[] b = ModinfoStrings.bounds(data, 0, data.length);
        Map<String, List<ModinfoEntry>> byModule = new LinkedHashMap<>();
        List<String> rejected = new ArrayList<>();
        Map<String, Integer> kmodShows = new LinkedHashMap<>();
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
            List<ModinfoEntry> entries = byModule.computeIfAbsent(module, m -> new ArrayList<>());
            entries.add(ModinfoStrings.entry(data, dot + 1, to));
            if (!currentIsLaterRun) {
                kmodShows.put(module, entries.size());
            }
        }
        List<ModuleInfo> modules = new ArrayList<>(byModule.size());
        for (Map.Entry<String, List<ModinfoEntry>> e : byModule.entrySet()) {
            modules.add(new ModuleInfo(path, e.getKey(), 0, true, Compression.NONE, 0, null, null,
                    e.getValue(), null));
        }
        return new Result(modules, rejected, kmodShows);
    }
}
