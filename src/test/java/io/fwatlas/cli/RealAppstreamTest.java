package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fwatlas.query.AppStreamCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/**
 * Opt-in: {@code export appstream} on real Debian firmware packages against the metainfo they
 * ship. Set {@code -Dfwatlas.appstream.deb=PATH[:PATH...]} (.deb files or directories of them, for
 * example trixie's firmware-iwlwifi 20250410-2) and {@code -Dfwatlas.appstream.kernel=DIR[:DIR...]}
 * (release directories, {@code .../lib/modules/<release>}, for example a Debian 6.12 amd64 kernel of
 * {@code jobs/fetch-debian-kernels --set pair}); {@code -Dfwatlas.appstream.literal=true} matches
 * firmware names literally. Every package's {@code <provides>} must equal the shipped one; whether
 * the whole file is byte for byte the same is printed. Needs dpkg-deb.
 */
class RealAppstreamTest {
    @TempDir
    Path tmp;

    @Test
    void providesAsTheShippedMetainfo() throws Exception {
        String debs = System.getProperty("fwatlas.appstream.deb", System.getenv("FWATLAS_APPSTREAM_DEB"));
        String kernels = System.getProperty("fwatlas.appstream.kernel", System.getenv("FWATLAS_APPSTREAM_KERNEL"));
        assumeTrue(debs != null && !debs.isBlank() && kernels != null && !kernels.isBlank(),
                "set -Dfwatlas.appstream.deb and -Dfwatlas.appstream.kernel to run");
        boolean literal = Boolean.getBoolean("fwatlas.appstream.literal");
        List<Path> packages = new ArrayList<>();
        for (String d : debs.split(":")) {
            Path p = Path.of(d).toAbsolutePath();
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".deb")).sorted().forEach(packages::add);
                }
            } else {
                packages.add(p);
            }
        }
        List<String> releases = new ArrayList<>();
        String table = tmp.resolve("atlas").toString();
        List<String> scan = new ArrayList<>(List.of("scan", "--output", table));
        for (String k : kernels.split(":")) {
            Path dir = Path.of(k).toAbsolutePath();
            scan.add(dir.toString());
            releases.add(dir.getFileName().toString());
        }
        packages.forEach(p -> scan.add(p.toString()));
        CliHarness.Run s = CliHarness.fwatlas(scan.toArray(new String[0]));
        assertEquals(0, s.code(), s.err());

        List<String> failures = new ArrayList<>();
        for (Path deb : packages) {
            String name = dpkg("-f", deb.toString(), "Package").strip();
            String version = dpkg("-f", deb.toString(), "Version").strip();
            Path x = tmp.resolve("x").resolve(name + "_" + version);
            Files.createDirectories(x);
            dpkg("-x", deb.toString(), x.toString());
            Path shipped = x.resolve("usr/share/metainfo/org.debian." + name.replace('-', '_') + ".metainfo.xml");
            assertTrue(Files.exists(shipped), deb + " ships no " + shipped.getFileName());
            Path out = tmp.resolve("out");
            List<String> args = new ArrayList<>(List.of("export", "--table", table, "appstream", name,
                    "--package-version", version, "--out", out.toString(), "--kernel"));
            args.addAll(releases);
            if (literal) {
                args.add("--literal");
            }
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(new StringWriter(), true));
            cl.setErr(new PrintWriter(err, true));
            assertEquals(0, cl.execute(args.toArray(new String[0])), err.toString());
            Path ours = out.resolve(shipped.getFileName());
            AppStreamCli.assertValid(ours);
            List<List<String>> want = provides(Files.readString(shipped, StandardCharsets.UTF_8));
            List<List<String>> got = provides(Files.readString(ours, StandardCharsets.UTF_8));
            boolean same = want.equals(got);
            boolean identical = Files.mismatch(shipped, ours) == -1;
            System.out.printf("RealAppstreamTest: %s %s with %s%s: %d/%d firmware, %d/%d modaliases (ours/shipped): "
                    + "provides %s; whole file %s%n", name, version, String.join(" ", releases),
                    literal ? " (literal)" : "", got.get(0).size(), want.get(0).size(), got.get(1).size(),
                    want.get(1).size(), same ? "equal" : "DIFFERENT", identical ? "identical" : "different");
            if (!same) {
                failures.add(name + ": firmware only ours " + minus(got.get(0), want.get(0)) + ", only shipped "
                        + minus(want.get(0), got.get(0)) + "; modaliases only ours " + minus(got.get(1), want.get(1))
                        + ", only shipped " + minus(want.get(1), got.get(1)));
            }
        }
        assertFalse(packages.isEmpty(), "no .deb in " + debs);
        assertEquals(List.of(), failures);
    }

    /** The firmware and modalias texts of a metainfo file, in file order. */
    static List<List<String>> provides(String xml) throws Exception {
        Document d = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return List.of(texts(d.getElementsByTagName("firmware")), texts(d.getElementsByTagName("modalias")));
    }

    private static List<String> texts(NodeList nodes) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            l.add(nodes.item(i).getTextContent());
        }
        return l;
    }

    private static List<String> minus(List<String> a, List<String> b) {
        TreeSet<String> s = new TreeSet<>(a);
        b.forEach(s::remove);
        List<String> l = new ArrayList<>(s);
        return l.size() > 20 ? l.subList(0, 20) : l;
    }

    private static String dpkg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dpkg-deb"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
