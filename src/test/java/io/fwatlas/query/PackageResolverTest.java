package io.fwatlas.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PackageResolver} on a listing of files and links against {@link FirmwareResolver} on the
 * same tree on disk, where the operating system follows the links: trees of files, compressed
 * variants, release and updates directories, relative, absolute, dangling, looping and escaping
 * links, and directory links; names literal and glob.
 */
class PackageResolverTest {
    static final String RELEASE = "6.12.9+deb13-amd64";
    static final String[] DIRS = {"", "intel", "intel/iwlwifi", "ath11k", "ath11k/QCA6390", "updates",
        "updates/" + RELEASE, RELEASE, "rtl_nic"};
    static final String[] BASES = {"a.bin", "b.ucode", "iwlwifi-cc-a0-77.ucode", "fw.bin", ".hidden.bin", "x-1.fw"};

    @TempDir
    Path tmp;

    @Test
    void agreesWithTheDirectoryResolverOnGeneratedTrees() throws IOException {
        Random rnd = new Random(20261202);
        int compared = 0;
        java.util.Map<String, Integer> statuses = new java.util.TreeMap<>();
        for (int tree = 0; tree < 60; tree++) {
            Path root = tmp.resolve("t" + tree).resolve("lib/firmware");
            Files.createDirectories(root);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                String dir = DIRS[rnd.nextInt(DIRS.length)];
                String base = BASES[rnd.nextInt(BASES.length)];
                String name = dir.isEmpty() ? base : dir + "/" + base;
                names.add(name);
                String onDisk = name + List.of("", "", ".xz", ".zst").get(rnd.nextInt(4));
                Path p = root.resolve(onDisk);
                Files.createDirectories(p.getParent());
                if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                int kind = rnd.nextInt(10);
                if (kind < 6) {
                    Files.writeString(p, "x" + i);
                } else {
                    Files.createSymbolicLink(p, Path.of(linkTarget(rnd, p.getParent(), root, names)));
                }
            }
            if (rnd.nextBoolean()) {
                Path dirLink = root.resolve("iwl");
                if (!Files.exists(dirLink, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(dirLink, Path.of("intel/iwlwifi"));
                }
                names.add("iwl/" + BASES[rnd.nextInt(BASES.length)]);
            }
            PackageResolver.Builder b = new PackageResolver.Builder();
            list(root, b);
            PackageResolver packages = b.build();
            FirmwareResolver dirs = new FirmwareResolver(List.of(root));
            List<String> asked = new ArrayList<>(names);
            asked.addAll(List.of("intel/*", "intel/iwlwifi/iwlwifi-cc-a0-*.ucode", "ath11k/*/fw.bin", "*.bin",
                "rtl_nic/x-?.fw", "intel/[ab].*", "nothing/*", "missing.bin", "iwl/*"));
            String real = root.toRealPath().toString() + "/";
            for (String name : asked) {
                FirmwareResolver.Resolution want = dirs.resolve(RELEASE, name);
                PackageResolver.Resolution got = packages.resolve(RELEASE, name);
                List<String> wantFiles = new ArrayList<>();
                want.files().forEach(f -> wantFiles.add(f.substring(real.length())));
                assertEquals(want.status() + " " + wantFiles, got.status() + " " + got.files(),
                        "tree " + tree + ", name " + name);
                assertEquals(want.status().equals(FirmwareResolver.FOUND) ? List.of("pkg_1") : List.of(),
                        got.providers(), "tree " + tree + ", name " + name);
                compared++;
                statuses.merge(got.status(), 1, Integer::sum);
            }
        }
        // every tree asks its 25 names and 9 patterns, plus one through a directory link in some
        org.junit.jupiter.api.Assertions.assertTrue(compared >= 60 * 34, "names compared: " + compared);
        for (String s : List.of(FirmwareResolver.FOUND, FirmwareResolver.MISSING, FirmwareResolver.GLOB_NO_MATCH)) {
            org.junit.jupiter.api.Assertions.assertTrue(statuses.getOrDefault(s, 0) > 20, "too few " + s + ": "
                    + statuses);
        }
    }

    /** Relative to the link's directory, absolute into the root, dangling, escaping or looping. */
    private static String linkTarget(Random rnd, Path dir, Path root, List<String> names) {
        String other = names.get(rnd.nextInt(names.size()));
        String rel = dir.relativize(root).toString();
        String up = rel.isEmpty() ? "" : rel + "/";
        return switch (rnd.nextInt(6)) {
            case 0, 1 -> up + other;
            case 2 -> root.resolve(other).toString();   // absolute: listed as /lib/firmware/...
            case 3 -> up + "does-not-exist.bin";
            case 4 -> up + "../../../etc/passwd";
            default -> up + other + ".xz";
        };
    }

    /** The tree as firmware_files lists it: files, and links with their targets as stored. */
    private static void list(Path root, PackageResolver.Builder b) throws IOException {
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), 32, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path p, BasicFileAttributes a) throws IOException {
                String rel = root.relativize(p).toString();
                if (a.isSymbolicLink()) {
                    String target = Files.readSymbolicLink(p).toString();
                    // an absolute link into the root is what a package stores as /lib/firmware/...
                    if (target.startsWith(root + "/")) {
                        target = "/lib/firmware/" + target.substring(root.toString().length() + 1);
                    }
                    b.add("pkg_1", rel, "link", target);
                } else {
                    b.add("pkg_1", rel, "file", null);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
