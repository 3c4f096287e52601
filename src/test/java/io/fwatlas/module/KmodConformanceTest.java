package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kmod's modinfo is the oracle: on every good fixture its output must equal what the reader gives,
 * and on hostile fixtures it must fail too. Skipped when kmod is not installed.
 */
class KmodConformanceTest {
    private static final Optional<Path> MODINFO = findTool("modinfo");
    private static final String FEATURES = MODINFO.map(p -> new String(run(List.of(p.toString(), "--version")).out,
            StandardCharsets.UTF_8)).orElse("");

    /**
     * Hostile fixtures kmod is not run on or does not reject:
     * shstrndx 0 or out of range make kmod 30 abort on an assertion (SIGABRT, maybe a core file).
     */
    private static final Set<String> NOT_COMPARED = Set.of(
            "shstrndx-out-of-range-fail.ko", "shstrndx-zero-fail.ko");

    private final ModuleReader reader = new ModuleReader(Fixtures.SMALL_CAP);

    static Stream<String> goodModules() {
        return Fixtures.names().stream()
                .filter(n -> !Fixtures.isHostile(n) && !n.equals("modules.builtin.modinfo"));
    }

    static Stream<String> hostileModules() {
        // Bombs are left out: kmod has no cap and would inflate them whole.
        return Fixtures.names().stream()
                .filter(n -> Fixtures.isHostile(n) && !n.contains("bomb") && !NOT_COMPARED.contains(n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodModules")
    void fieldsMatchKmod(String file) {
        Path path = usable(file);
        ModuleInfo m = Fixtures.info(reader.readFile(path));
        for (String field : List.of("firmware", "name", "vermagic", "license", "depends")) {
            Run r = run(List.of(MODINFO.get().toString(), "-0", "-F", field, path.toString()));
            assertEquals(0, r.exit, r.err);
            assertEquals(nulSeparated(r.out), m.values(field), file + " -F " + field);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodModules")
    void fullOutputMatchesKmod(String file) {
        Path path = usable(file);
        ModuleInfo m = Fixtures.info(reader.readFile(path));
        Run r = run(List.of(MODINFO.get().toString(), path.toString()));
        assertEquals(0, r.exit, r.err);
        List<String> lines = Arrays.asList(new String(r.out, StandardCharsets.UTF_8).split("\n", -1));
        int sig = lines.indexOf(lines.stream().filter(l -> l.startsWith("sig_id:")).findFirst().orElse(""));
        int end = sig >= 0 ? sig : lines.size() - 1; // output ends with a newline
        // No fixture has parm strings: kmod merges parm and parmtype into one line.
        List<String> expected = new ArrayList<>();
        expected.add(field("filename", path.toString()));
        for (ModinfoEntry e : m.entries()) {
            expected.add(field(e.key(), e.value()));
        }
        assertEquals(expected, lines.subList(0, end), file);

        Map<String, String> kmodSig = signatureFields(lines.subList(Math.max(sig, 0), sig >= 0 ? lines.size() : 0));
        assertEquals(m.signed(), !kmodSig.isEmpty(), file + " signed");
        if (m.signed()) {
            ModuleSignature s = m.signature();
            assertEquals(kmodSig.get("sig_id"), s.idType());
            assertEquals(kmodSig.get("signer"), s.signer(), file + " signer");
            assertEquals(kmodSig.get("sig_key"), s.keyId(), file + " sig_key");
            assertEquals(kmodSig.get("sig_hashalgo"), s.hashAlgo(), file + " sig_hashalgo");
            // for PKCS#7 kmod prints the signer's signature inside the blob, not the blob
            assertEquals(kmodSig.get("signature"), s.value(), file + " signature");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileModules")
    void kmodRejectsHostileModulesToo(String file) {
        Path path = usable(file);
        Run r = run(List.of(MODINFO.get().toString(), "-F", "firmware", path.toString()));
        assertNotEquals(0, r.exit, file + " was accepted by kmod: " + new String(r.out, StandardCharsets.UTF_8));
        assertTrue(reader.readFile(path) instanceof ModuleError);
    }

    @Test
    void builtinModulesMatchKmod(@TempDir Path root) throws IOException {
        assumeTrue(MODINFO.isPresent(), "kmod's modinfo is not installed");
        Optional<Path> depmod = findTool("depmod");
        assumeTrue(depmod.isPresent(), "kmod's depmod is not installed");
        String release = "9.9.9-fwatlas";
        Path dir = Files.createDirectories(root.resolve("lib/modules/" + release));
        byte[] data = Fixtures.bytes("modules.builtin.modinfo");
        Files.write(dir.resolve("modules.builtin.modinfo"), data);
        BuiltinModinfo.Result parsed = BuiltinModinfo.parse("modules.builtin.modinfo", data);
        StringBuilder builtin = new StringBuilder();
        for (ModuleInfo m : parsed.modules()) {
            builtin.append("kernel/").append(m.name()).append(".ko\n");
        }
        Files.writeString(dir.resolve("modules.builtin"), builtin);
        Run d = run(List.of(depmod.get().toString(), "-b", root.toString(), release));
        assertEquals(0, d.exit, d.err);

        assertEquals(2, parsed.modules().size());
        for (ModuleInfo m : parsed.modules()) {
            List<String> base = List.of(MODINFO.get().toString(), "-b", root.toString(), "-k", release);
            List<String> cmd = new ArrayList<>(base);
            cmd.addAll(List.of("-0", "-F", "firmware", m.name()));
            Run f = run(cmd);
            assertEquals(0, f.exit, f.err);
            List<String> shownFirmware = m.entries().subList(0, parsed.kmodShows().get(m.name())).stream()
                    .filter(e -> e.key().equals("firmware")).map(ModinfoEntry::value).toList();
            assertEquals(nulSeparated(f.out), shownFirmware, m.name());

            cmd = new ArrayList<>(base);
            cmd.add(m.name());
            Run all = run(cmd);
            assertEquals(0, all.exit, all.err);
            List<String> expected = new ArrayList<>();
            expected.add(field("name", m.name()));
            expected.add(field("filename", "(builtin)"));
            List<ModinfoEntry> shown = m.entries().subList(0, parsed.kmodShows().get(m.name()));
            for (ModinfoEntry e : shown) {
                expected.add(field(e.key(), e.value()));
            }
            expected.add("");
            assertEquals(expected, Arrays.asList(new String(all.out, StandardCharsets.UTF_8).split("\n", -1)), m.name());
        }
    }

    /** The fixture's absolute path, after skipping when kmod is absent or lacks the fixture's compression. */
    private Path usable(String file) {
        assumeTrue(MODINFO.isPresent(), "kmod's modinfo is not installed");
        Path path = Fixtures.path(file).toAbsolutePath();
        byte[] head = Arrays.copyOf(Fixtures.bytes(file), Compression.MAGIC_LENGTH);
        Compression c = Compression.detect(head, head.length);
        String feature = switch (c) {
            case XZ -> "+XZ";
            case ZSTD -> "+ZSTD";
            case GZIP -> "+ZLIB";
            case NONE -> "";
        };
        assumeTrue(FEATURES.contains(feature), "kmod built without " + feature + ": " + FEATURES.strip());
        return path;
    }

    /** One line of modinfo's output: the key and colon padded to 16 columns, then the value. */
    private static String field(String key, String value) {
        return String.format("%-16s%s", key + ":", value);
    }

    /** kmod's signature lines; a value continued on tab-indented lines is joined without the breaks. */
    private static Map<String, String> signatureFields(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        String last = null;
        for (String l : lines) {
            if (l.isEmpty()) {
                continue;
            }
            if (l.startsWith("\t") && last != null) {
                out.put(last, out.get(last) + l.strip());
                continue;
            }
            int colon = l.indexOf(':');
            last = l.substring(0, colon);
            out.put(last, l.substring(colon + 1).strip());
        }
        return out;
    }

    private static List<String> nulSeparated(byte[] out) {
        String s = new String(out, StandardCharsets.UTF_8);
        if (s.isEmpty()) {
            return List.of();
        }
        assertTrue(s.endsWith("\0"), "modinfo -0 output must end with NUL: " + s);
        return Arrays.asList(s.substring(0, s.length() - 1).split("\0", -1));
    }

    private static Optional<Path> findTool(String name) {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/sbin", name), Path.of("/sbin", name)));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, name));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private record Run(int exit, byte[] out, String err) {
    }

    private static Run run(List<String> cmd) {
        // stderr goes to a file: no reader thread, so nothing can wait on this class's initialisation.
        Path err = null;
        try {
            err = Files.createTempFile("kmod-stderr", ".txt");
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(err.toFile())
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Run(p.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
