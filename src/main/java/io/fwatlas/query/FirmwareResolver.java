package io.fwatlas.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a module's firmware file the way dracut does: in each firmware directory DIR, the
 * candidates {@code DIR/updates/<release>}, {@code DIR/updates}, {@code DIR/<release>},
 * {@code DIR} in that order, and in each the literal name, then {@code .zst}, then {@code .xz}.
 * A name with {@code *}, {@code ?} or {@code [} that does not exist literally is a glob over that
 * directory (with the same suffixes). The first directory with a match wins.
 *
 * <p>Symbolic links are followed, but only inside DIR: a link that leaves DIR (it would point
 * into whatever machine reads the tree) or leads nowhere does not count as found, and is named
 * in the notes.
 */
public final class FirmwareResolver {
    public static final String FOUND = "found";
    public static final String MISSING = "missing";
    public static final String GLOB_NO_MATCH = "glob-no-match";
    private static final List<String> SUFFIXES = List.of("", ".zst", ".xz");

    /** status: found, missing or glob-no-match; files: absolute paths matched; notes: link problems seen. */
    public record Resolution(String status, List<String> files, List<String> notes) {
    }

    private final List<Path> roots;

    /** @param roots the firmware directories, in the order they are searched */
    public FirmwareResolver(List<Path> roots) {
        this.roots = new ArrayList<>();
        for (Path r : roots) {
            try {
                this.roots.add(r.toRealPath());
            } catch (IOException e) {
                throw new UncheckedIOException("firmware directory " + r + ": " + e.getMessage(), e);
            }
        }
    }

    public Resolution resolve(String release, String firmware) {
        Set<String> notes = new LinkedHashSet<>();
        // dracut joins "$dir/$fw": a leading '/' does not make the name absolute
        String name = firmware.replaceFirst("^/+", "");
        boolean glob = Glob.isGlob(name);
        if (!name.isEmpty()) {
            for (Path root : roots) {
                for (Path dir : List.of(root.resolve("updates").resolve(release), root.resolve("updates"),
                        root.resolve(release), root)) {
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    List<String> files = new ArrayList<>();
                    if (glob && !Files.exists(dir.resolve(name))) {  // "-e": follows links
                        TreeSet<String> matched = new TreeSet<>();
                        for (String suffix : SUFFIXES) {
                            for (Path p : expand(dir, name + suffix)) {
                                if (usable(p, root, notes)) {
                                    matched.add(p.toString());
                                }
                            }
                        }
                        files.addAll(matched);
                    } else {
                        for (String suffix : SUFFIXES) {
                            Path p = dir.resolve(name + suffix);
                            if (usable(p, root, notes)) {
                                files.add(p.toString());
                                break;
                            }
                        }
                    }
                    if (!files.isEmpty()) {
                        return new Resolution(FOUND, files, List.copyOf(notes));
                    }
                }
            }
        }
        return new Resolution(glob ? GLOB_NO_MATCH : MISSING, List.of(), List.copyOf(notes));
    }

    /** A regular file, reached (through links, if any) without leaving root. */
    private static boolean usable(Path p, Path root, Set<String> notes) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            notes.add("dangling link " + p);
            return false;
        } catch (IOException e) {
            notes.add("unreadable " + p + ": " + e.getMessage());
            return false;
        }
        if (!real.startsWith(root)) {
            notes.add("link " + p + " points outside " + root + " to " + real);
            return false;
        }
        return Files.isRegularFile(real);
    }

    /** Shell globbing of a relative pattern below dir: wildcards never cross '/'. */
    private static List<Path> expand(Path dir, String pattern) {
        List<Path> current = List.of(dir);
        String[] parts = pattern.split("/+");
        for (String part : parts) {
            List<Path> next = new ArrayList<>();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            for (Path d : current) {
                if (!Glob.isGlob(part)) {
                    Path c = d.resolve(part);
                    if (Files.exists(c, LinkOption.NOFOLLOW_LINKS)) {
                        next.add(c);
                    }
                    continue;
                }
                if (!Files.isDirectory(d)) {
                    continue;
                }
                Pattern re = Glob.compile(part, false);
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(c -> {
                        String n = c.getFileName().toString();
                        // as in the shell, a leading '.' is matched only by a leading '.'
                        return (!n.startsWith(".") || part.startsWith(".")) && re.matcher(n).matches();
                    }).sorted().forEach(next::add);
                } catch (IOException e) {
                    // an unreadable directory matches nothing, as in the shell
                }
            }
            current = next;
        }
        return current;
    }
}
