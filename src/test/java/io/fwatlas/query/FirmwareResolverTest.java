package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fwatlas.query.FirmwareResolver.Resolution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dracut's resolution over a firmware tree made here: suffixes, precedence, globs and links. */
class FirmwareResolverTest {
    static final String REL = "6.1.0-9-amd64";
    @TempDir
    static Path tmp;
    static Path fw;
    static Path fw2;
    static Path outside;
    static FirmwareResolver resolver;

    static void file(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, p.getFileName().toString());
    }

    @BeforeAll
    static void tree() throws IOException {
        fw = tmp.resolve("firmware");
        fw2 = tmp.resolve("firmware2");
        outside = tmp.resolve("elsewhere/secret.bin");
        file(outside);
        for (String f : List.of("plain.bin", "comp.bin.zst", "both.bin", "both.bin.xz", "onlyxz.bin.xz",
                "zstxz.bin.zst", "zstxz.bin.xz", "vendor/a-1.bin", "vendor/a-2.bin.xz", "vendor/b.bin",
                "vendor/sub/a-3.bin", "vendor/.a-hidden.bin", "over.bin", REL + "/over.bin", "updates/over.bin",
                "upd.bin", "updates/upd.bin", "updates/" + REL + "/upd.bin", REL + "/rel.bin", "rel.bin",
                "weird[1].bin", "weird1.bin", "6.2-other/other.bin")) {
            file(fw.resolve(f));
        }
        file(fw2.resolve("plain.bin"));
        file(fw2.resolve("only2.bin"));
        Files.createSymbolicLink(fw.resolve("link-in.bin"), Path.of("vendor/b.bin"));
        Files.createSymbolicLink(fw.resolve("link-out.bin"), outside);
        Files.createSymbolicLink(fw.resolve("link-up.bin"), Path.of("../elsewhere/secret.bin"));
        Files.createSymbolicLink(fw.resolve("dangling.bin"), Path.of("nothing.bin"));
        Files.createSymbolicLink(fw.resolve("dirlink"), Path.of("vendor"));
        Files.createSymbolicLink(fw.resolve("outlink.bin"), outside);
        Files.createDirectories(fw.resolve("adir.bin"));
        resolver = new FirmwareResolver(List.of(fw, fw2));
    }

    static Resolution found(Path... files) {
        return new Resolution("found", List.of(files).stream().map(p -> {
            try {
                return tmp.toRealPath().resolve(tmp.relativize(p)).toString();  // links in p stay
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList(), List.of());
    }

    static Resolution resolve(String name) {
        return resolver.resolve(REL, name);
    }

    @Test
    void literalThenZstThenXz() {
        assertEquals(found(fw.resolve("plain.bin")), resolve("plain.bin"));
        assertEquals(found(fw.resolve("comp.bin.zst")), resolve("comp.bin"));
        assertEquals(found(fw.resolve("both.bin")), resolve("both.bin"));
        assertEquals(found(fw.resolve("onlyxz.bin.xz")), resolve("onlyxz.bin"));
        assertEquals(found(fw.resolve("zstxz.bin.zst")), resolve("zstxz.bin"));
        assertEquals(found(fw.resolve("plain.bin")), resolve("/plain.bin"));
        assertEquals(new Resolution("missing", List.of(), List.of()), resolve("missing.bin"));
        assertEquals(new Resolution("missing", List.of(), List.of()), resolve("adir.bin"));  // not a file
    }

    @Test
    void dracutDirectoryOrder() {
        assertEquals(found(fw.resolve("updates/" + REL + "/upd.bin")), resolve("upd.bin"));
        assertEquals(found(fw.resolve("updates/over.bin")), resolve("over.bin"));
        assertEquals(found(fw.resolve(REL + "/rel.bin")), resolve("rel.bin"));
        assertEquals(new Resolution("missing", List.of(), List.of()), resolve("other.bin"));  // another release's
        assertEquals(found(fw2.resolve("only2.bin")), resolve("only2.bin"));
        assertEquals(found(fw.resolve("rel.bin")), resolver.resolve("6.12.1-amd64", "rel.bin"));
    }

    @Test
    void globsExpandWithSuffixesAndStayInTheirDirectory() {
        assertEquals(found(fw.resolve("vendor/a-1.bin"), fw.resolve("vendor/a-2.bin.xz")), resolve("vendor/a-*.bin"));
        assertEquals(found(fw.resolve("vendor/a-1.bin"), fw.resolve("vendor/a-2.bin.xz"), fw.resolve("vendor/b.bin")),
                resolve("vendor/*"));
        assertEquals(found(fw.resolve("vendor/b.bin")), resolve("v?ndor/[b-c].bin"));
        assertEquals(new Resolution("glob-no-match", List.of(), List.of()), resolve("vendor/[xyz].bin"));
        assertEquals(new Resolution("glob-no-match", List.of(), List.of()), resolve("nomatch/*"));
        // a name that exists literally is not a glob
        assertEquals(found(fw.resolve("weird[1].bin")), resolve("weird[1].bin"));
    }

    @Test
    void linksInsideAreFollowedOthersReported() throws IOException {
        assertEquals(found(fw.resolve("link-in.bin")), resolve("link-in.bin"));
        assertEquals(found(fw.resolve("dirlink/b.bin")), resolve("dirlink/b.bin"));
        String root = fw.toRealPath().toString();
        String real = outside.toRealPath().toString();
        assertEquals(new Resolution("missing", List.of(), List.of("link " + root + "/link-out.bin points outside "
                + root + " to " + real)), resolve("link-out.bin"));
        assertEquals(new Resolution("missing", List.of(), List.of("link " + root + "/link-up.bin points outside "
                + root + " to " + real)), resolve("link-up.bin"));
        assertEquals(new Resolution("missing", List.of(), List.of("dangling link " + root + "/dangling.bin")),
                resolve("dangling.bin"));
        assertEquals(new Resolution("glob-no-match", List.of(), List.of("link " + root + "/outlink.bin points outside "
                + root + " to " + real)), resolve("outl*.bin"));
    }
}
