package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fwatlas.fixtures.KmodTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pure parts of {@link DebianModinfo}: its JSON against Python's json module, and the script's line rules. */
class DebianModinfoTest {
    // quotes, backslash, slash, every kind of control, DEL, Latin-1, CJK, U+FFFD, the private use
    // area (after the surrogates in UTF-16 order, before them in code point order) and astral planes
    private static final String[] PIECES = {"a", "b", "Z", "_", "-", ":", "*", "?", "[", "]", ",", " ", "/", "\"",
        "\\", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u0001", "\u001f", "\u007f", "\u0080", "é", "ß", "名", "\ufffd",
        "\ue000", "\uff21", "\uffff", "😀", "\ud800\udc00", "\udbff\udfff", "pci:v00008086d*"};

    @Test
    void jsonIsWhatPythonsJsonDumpWrites() throws Exception {
        Optional<Path> python = KmodTool.find("python3");
        assumeTrue(python.isPresent(), "python3 not found in PATH");
        Random r = new Random(20250410L);
        List<Map<String, DebianModinfo.Entry>> cases = new ArrayList<>();
        cases.add(Map.of());
        cases.add(Map.of("only", new DebianModinfo.Entry(Set.of(), Set.of(""))));
        for (int i = 0; i < 60; i++) {
            Map<String, DebianModinfo.Entry> c = new HashMap<>();
            int n = r.nextInt(i < 10 ? 3 : 12);
            for (int k = 0; k < n; k++) {
                c.put(text(r), new DebianModinfo.Entry(texts(r), texts(r)));
            }
            cases.add(c);
        }
        List<String> python3 = python(python.get(), cases);
        for (int i = 0; i < cases.size(); i++) {
            String ours = DebianModinfo.json(cases.get(i));
            assertTrue(ours.chars().allMatch(c -> c < 128), "not ASCII: " + ours);
            assertEquals(python3.get(i), ours, "case " + i + ": " + cases.get(i));
        }
    }

    @Test
    void jsonLayout() {
        Map<String, DebianModinfo.Entry> m = new TreeMap<>();
        m.put("snd-x", new DebianModinfo.Entry(Set.of(), Set.of("b.bin", "a.bin")));
        m.put("e\u00e9", new DebianModinfo.Entry(Set.of("pci:v1*"), Set.of("\ud83d\ude00")));
        assertEquals("{\n"
                + "  \"e\\u00e9\": {\n"
                + "    \"alias\": [\n"
                + "      \"pci:v1*\"\n"
                + "    ],\n"
                + "    \"firmware\": [\n"
                + "      \"\\ud83d\\ude00\"\n"
                + "    ]\n"
                + "  },\n"
                + "  \"snd-x\": {\n"
                + "    \"alias\": [],\n"
                + "    \"firmware\": [\n"
                + "      \"a.bin\",\n"
                + "      \"b.bin\"\n"
                + "    ]\n"
                + "  }\n"
                + "}", DebianModinfo.json(m));
        assertEquals("{}", DebianModinfo.json(Map.of()));
    }

    @Test
    void codePointOrderAsPythonSorts() {
        assertTrue(DebianModinfo.compareCodePoints("\uff21", "\ud83d\ude00") < 0);
        assertTrue(DebianModinfo.compareCodePoints("a", "ab") < 0);
        assertTrue(DebianModinfo.compareCodePoints("a-b", "a_b") < 0);
        assertTrue(DebianModinfo.compareCodePoints("B", "a") < 0);
        assertEquals(0, DebianModinfo.compareCodePoints("\ud83d\ude00", "\ud83d\ude00"));
    }

    @Test
    void linesAsTheScriptReadsModinfosOutput() {
        assertEquals(List.of(), DebianModinfo.lines(List.of()));
        assertEquals(List.of("a", "b"), DebianModinfo.lines(List.of("a", "b")));
        // the trailing newlines of the whole output go, so an empty value counts only before another
        assertEquals(List.of("", "a"), DebianModinfo.lines(List.of("", "a")));
        assertEquals(List.of("a"), DebianModinfo.lines(List.of("a", "", "")));
        assertEquals(List.of(""), DebianModinfo.lines(List.of("", "")));
        // text mode: \r\n and \r are newlines; a newline inside a value splits it
        assertEquals(List.of("a", "b", "c", "", "d"), DebianModinfo.lines(List.of("a\rb", "c\r\n\nd")));
        assertEquals(List.of("x"), DebianModinfo.lines(List.of("x\r")));
    }

    @Test
    void keyIsTheFileNameWithoutTheModuleSuffix() {
        assertEquals("snd-hda-intel", DebianModinfo.key("kernel/sound/pci/hda/snd-hda-intel.ko.xz"));
        assertEquals("iwlwifi", DebianModinfo.key("kernel/drivers/net/wireless/intel/iwlwifi/iwlwifi.ko"));
        assertEquals("a.b", DebianModinfo.key("kernel/a.b.ko"));
    }

    @Test
    void filesUniteUnderTheirKey() {
        Map<String, DebianModinfo.Entry> m = new TreeMap<>();
        DebianModinfo.add(m, "kernel/a/x.ko", List.of("1.bin"), List.of("pci:1", "nocolon"));
        DebianModinfo.add(m, "kernel/b/x.ko.xz", List.of("2.bin", "1.bin"), List.of("usb:2"));
        DebianModinfo.add(m, "kernel/c/none.ko", List.of(), List.of("pci:3"));
        assertEquals(Map.of("x", new DebianModinfo.Entry(Set.of("pci:1", "usb:2"), Set.of("1.bin", "2.bin"))), m);
    }

    private static String text(Random r) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            b.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    private static Set<String> texts(Random r) {
        Set<String> s = new HashSet<>();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            s.add(text(r));
        }
        return s;
    }

    /** Each case through {@code json.dump(..., indent=2, sort_keys=True)}, its sets as sorted lists. */
    private static List<String> python(Path python, List<Map<String, DebianModinfo.Entry>> cases)
            throws IOException, InterruptedException {
        List<Map<String, Map<String, List<String>>>> plain = new ArrayList<>();
        for (Map<String, DebianModinfo.Entry> c : cases) {
            Map<String, Map<String, List<String>>> p = new LinkedHashMap<>();
            c.forEach((k, e) -> p.put(k, Map.of("alias", new ArrayList<>(e.alias()),
                    "firmware", new ArrayList<>(e.firmware()))));
            plain.add(p);
        }
        byte[] input = new ObjectMapper().writeValueAsBytes(plain);
        String script = String.join("\n",
                "import json, sys",
                "for case in json.loads(sys.stdin.buffer.read()):",
                "    obj = {k: {f: sorted(set(v)) for f, v in e.items()} for k, e in case.items()}",
                "    json.dump(obj, sys.stdout, indent=2, sort_keys=True)",
                "    sys.stdout.write('\\0')");
        ProcessBuilder pb = new ProcessBuilder(python.toString(), "-c", script);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(input);
        }
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "python3 did not finish");
        assertEquals(0, p.exitValue(), "python3 failed");
        String all = new String(out.join(), StandardCharsets.UTF_8);
        List<String> dumps = List.of(all.split("\0", -1));
        assertEquals(cases.size() + 1, dumps.size());
        return dumps.subList(0, cases.size());
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
