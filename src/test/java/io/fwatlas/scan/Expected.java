package io.fwatlas.scan;

import io.fwatlas.fixtures.SampleGenerator;
import io.fwatlas.fixtures.SampleGenerator.SampleBuiltin;
import io.fwatlas.fixtures.SampleGenerator.SampleModule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expected table rows, derived from {@link SampleGenerator}'s specification alone (names, strings,
 * compression, classes), never from the scanner. Rows are lists in table column order.
 */
final class Expected {
    static final List<String> FIRMWARE_COLUMNS = List.of("kernel", "module", "firmware", "builtin", "path");
    static final List<String> MODINFO_COLUMNS = List.of("kernel", "module", "path", "builtin", "ordinal", "key", "value");
    static final List<String> MODULES_COLUMNS = List.of("kernel", "module", "path", "builtin", "size", "compression",
            "elf_class", "byte_order", "machine", "vermagic", "vermagic_release", "signed", "status", "error_kind",
            "error");
    static final String BUILTIN_PATH = "modules.builtin.modinfo";

    private Expected() {
    }

    /** kmod's rule, written out here independently: basename up to the first '.', '-' becomes '_'. */
    static String moduleName(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return base.substring(0, base.indexOf('.')).replace('-', '_');
    }

    static List<SampleModule> goodModules(List<String> releases) {
        List<SampleModule> out = new ArrayList<>();
        for (SampleModule m : SampleGenerator.modules()) {
            if (releases.contains(m.release()) && m.expectedError() == null) {
                out.add(m);
            }
        }
        return out;
    }

    static List<SampleBuiltin> builtins(List<String> releases) {
        List<SampleBuiltin> out = new ArrayList<>();
        for (SampleBuiltin b : SampleGenerator.builtins()) {
            if (releases.contains(b.release())) {
                out.add(b);
            }
        }
        return out;
    }

    /** Built-in modules of one file, in order of first appearance, with their "key=value" strings. */
    static Map<String, List<String>> builtinModules(SampleBuiltin b) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String s : b.strings()) {
            int eq = s.indexOf('=');
            String key = eq < 0 ? s : s.substring(0, eq);
            int dot = key.indexOf('.');
            if (dot <= 0 || dot == key.length() - 1) {
                continue; // rejected by the builtin parser, see rejectedBuiltinStrings()
            }
            out.computeIfAbsent(s.substring(0, dot), k -> new ArrayList<>()).add(s.substring(dot + 1));
        }
        return out;
    }

    static String key(String s) {
        int eq = s.indexOf('=');
        return eq < 0 ? s : s.substring(0, eq);
    }

    static String value(String s) {
        int eq = s.indexOf('=');
        return eq < 0 ? "" : s.substring(eq + 1);
    }

    static String vermagicRelease(String vermagic) {
        return vermagic == null ? null : vermagic.strip().split(" ")[0];
    }

    static List<List<Object>> modules(List<String> releases) {
        List<List<Object>> rows = new ArrayList<>();
        for (SampleModule m : goodModules(releases)) {
            rows.add(Arrays.asList(m.kernel(), moduleName(m.path()), m.path(), false,
                    (long) SampleGenerator.bytes(m).length, m.compression(), m.elfClass(),
                    m.bigEndian() ? "big" : "little", m.machineName(), m.vermagic(), vermagicRelease(m.vermagic()),
                    m.signed(), "ok", null, null));
        }
        for (SampleBuiltin b : builtins(releases)) {
            for (String mod : builtinModules(b).keySet()) {
                rows.add(Arrays.asList(b.kernel(), mod, BUILTIN_PATH, true, null, null, null, null, null, null, null,
                        null, "ok", null, null));
            }
        }
        return rows;
    }

    static List<List<Object>> modinfo(List<String> releases) {
        List<List<Object>> rows = new ArrayList<>();
        for (SampleModule m : goodModules(releases)) {
            for (int i = 0; i < m.modinfo().size(); i++) {
                String s = m.modinfo().get(i);
                rows.add(Arrays.asList(m.kernel(), moduleName(m.path()), m.path(), false, i, key(s), value(s)));
            }
        }
        for (SampleBuiltin b : builtins(releases)) {
            for (Map.Entry<String, List<String>> e : builtinModules(b).entrySet()) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    String s = e.getValue().get(i);
                    rows.add(Arrays.asList(b.kernel(), e.getKey(), BUILTIN_PATH, true, i, key(s), value(s)));
                }
            }
        }
        return rows;
    }

    static List<List<Object>> firmware(List<String> releases) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> r : modinfo(releases)) {
            if (r.get(5).equals("firmware")) {
                rows.add(Arrays.asList(r.get(0), r.get(1), r.get(6), r.get(3), r.get(2)));
            }
        }
        return rows;
    }

    static List<String> sorted(List<List<Object>> rows) {
        List<String> out = new ArrayList<>();
        for (List<Object> r : rows) {
            out.add(String.valueOf(r));
        }
        out.sort(null);
        return out;
    }
}
