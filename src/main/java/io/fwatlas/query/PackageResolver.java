package io.fwatlas.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@link FirmwareResolver}'s dracut rules applied to the files of firmware packages, as
 * {@code firmware_files} records them, without extracting anything: each package is a tree of its
 * own, searched as a firmware directory would be ({@code updates/<release>}, {@code updates},
 * {@code <release>}, the root; the literal name, then {@code .zst}, then {@code .xz}; globs over
 * one directory level per segment). A link is followed only within the package that ships it: a
 * target outside the firmware root, or a chain longer than {@link #MAX_HOPS}, does not count.
 * A package provides a name when its own files satisfy the lookup.
 */
public final class PackageResolver {
    /** As the kernel's limit on nested symbolic links (MAXSYMLINKS). */
    static final int MAX_HOPS = 40;
    private static final List<String> SUFFIXES = List.of("", ".zst", ".xz");
    private static final List<String> ROOTS = List.of("/usr/lib/firmware/", "/lib/firmware/");

    /** status as {@link FirmwareResolver}; files: matched paths, relative to the root; providers: package keys. */
    public record Resolution(String status, List<String> files, List<String> providers, List<String> notes) {
    }

    /** One package's files and links, and the directories they imply. */
    static final class Tree {
        final String key;
        final Set<String> files = new java.util.HashSet<>();
        final Map<String, String> links = new HashMap<>();
        final Map<String, TreeSet<String>> children = new HashMap<>();

        Tree(String key) {
            this.key = key;
            children.put("", new TreeSet<>());
        }

        void add(String path, String target) {
            if (target == null) {
                files.add(path);
            } else {
                links.put(path, target);
            }
            String p = path;
            for (int slash = p.lastIndexOf('/'); ; slash = p.lastIndexOf('/')) {
                String parent = slash < 0 ? "" : p.substring(0, slash);
                children.computeIfAbsent(parent, k -> new TreeSet<>()).add(p.substring(slash + 1));
                if (slash < 0) {
                    break;
                }
                p = parent;
            }
        }

        /** The path a path names once every link in it is followed: a file's, a directory's with a trailing '/', or null. */
        String resolve(String path, Set<String> notes) {
            List<String> todo = new ArrayList<>(List.of(path.split("/")));
            List<String> done = new ArrayList<>();
            int hops = 0;
            while (!todo.isEmpty()) {
                String c = todo.remove(0);
                if (c.isEmpty() || c.equals(".")) {
                    continue;
                }
                if (c.equals("..")) {
                    if (done.isEmpty()) {
                        notes.add(key + ": " + path + " leads outside the firmware root");
                        return null;
                    }
                    done.remove(done.size() - 1);
                    continue;
                }
                done.add(c);
                String p = String.join("/", done);
                String target = links.get(p);
                if (target != null) {
                    if (++hops > MAX_HOPS) {
                        notes.add(key + ": " + path + ": more than " + MAX_HOPS + " links");
                        return null;
                    }
                    done.remove(done.size() - 1);
                    if (target.startsWith("/")) {
                        String rel = null;
                        for (String r : ROOTS) {
                            if (target.startsWith(r)) {
                                rel = target.substring(r.length());
                            }
                        }
                        if (rel == null) {
                            notes.add(key + ": link " + p + " points outside the firmware root to " + target);
                            return null;
                        }
                        done.clear();
                        target = rel;
                    }
                    List<String> next = new ArrayList<>(List.of(target.split("/")));
                    next.addAll(todo);
                    todo = next;
                    continue;
                }
                if (files.contains(p)) {
                    if (!todo.isEmpty() && todo.stream().anyMatch(x -> !x.isEmpty() && !x.equals("."))) {
                        return null; // a file used as a directory
                    }
                    return p;
                }
                if (!children.containsKey(p)) {
                    if (hops > 0) {
                        notes.add(key + ": dangling link " + path);
                    }
                    return null;
                }
            }
            return String.join("/", done) + "/";
        }

        boolean isDir(String path, Set<String> notes) {
            String r = path.isEmpty() ? "/" : resolve(path, notes);
            return r != null && r.endsWith("/");
        }

        /** A regular file, reached through links (if any) without leaving the package. */
        boolean usable(String path, Set<String> notes) {
            if (!files.contains(path) && !links.containsKey(path) && !underLink(path)) {
                return false;
            }
            String r = resolve(path, notes);
            return r != null && !r.endsWith("/");
        }

        private boolean underLink(String path) {
            for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                if (links.containsKey(path.substring(0, slash))) {
                    return true;
                }
            }
            return false;
        }

        /** Shell globbing below {@code dir}, one directory level per segment; leading dots only by leading dots. */
        List<String> expand(String dir, String pattern, Set<String> notes) {
            List<String> current = List.of(dir);
            for (String part : pattern.split("/+")) {
                if (part.isEmpty() || part.equals(".")) {
                    continue;
                }
                List<String> next = new ArrayList<>();
                for (String d : current) {
                    String child = d.isEmpty() ? part : d + "/" + part;
                    if (!Glob.isGlob(part)) {
                        if (files.contains(child) || links.containsKey(child) || children.containsKey(child)
                                || underLink(child)) {
                            next.add(child);
                        }
                        continue;
                    }
                    if (!isDir(d, notes)) {
                        continue;
                    }
                    String real = d.isEmpty() ? "" : resolve(d, notes);
                    real = real == null ? d : (real.endsWith("/") ? real.substring(0, real.length() - 1) : real);
                    Pattern re = Glob.compile(part, false);
                    for (String n : children.getOrDefault(real, new TreeSet<>())) {
                        if ((!n.startsWith(".") || part.startsWith(".")) && re.matcher(n).matches()) {
                            next.add(d.isEmpty() ? n : d + "/" + n);
                        }
                    }
                }
                current = next;
            }
            return current;
        }
    }

    private final List<Tree> trees;

    private PackageResolver(List<Tree> trees) {
        this.trees = trees;
    }

    /** Collects package trees from (key, path, kind, target) entries; kind is {@code file} or {@code link}. */
    public static final class Builder {
        private final Map<String, Tree> trees = new TreeMap<>();

        public Builder add(String key, String path, String kind, String target) {
            Tree t = trees.computeIfAbsent(key, Tree::new);
            t.add(path, "link".equals(kind) ? (target == null ? "" : target) : null);
            return this;
        }

        public PackageResolver build() {
            return new PackageResolver(new ArrayList<>(trees.values()));
        }
    }

    public Resolution resolve(String release, String firmware) {
        Set<String> notes = new LinkedHashSet<>();
        String name = firmware.replaceFirst("^/+", "");
        boolean glob = Glob.isGlob(name);
        TreeSet<String> files = new TreeSet<>();
        List<String> providers = new ArrayList<>();
        if (!name.isEmpty()) {
            for (Tree t : trees) {
                List<String> found = resolveIn(t, release, name, glob, notes);
                if (!found.isEmpty()) {
                    providers.add(t.key);
                    files.addAll(found);
                }
            }
        }
        String status = providers.isEmpty() ? (glob ? FirmwareResolver.GLOB_NO_MATCH : FirmwareResolver.MISSING)
                : FirmwareResolver.FOUND;
        return new Resolution(status, List.copyOf(files), providers, List.copyOf(notes));
    }

    private static List<String> resolveIn(Tree t, String release, String name, boolean glob, Set<String> notes) {
        for (String dir : List.of("updates/" + release, "updates", release, "")) {
            if (!t.isDir(dir, notes)) {
                continue;
            }
            String prefix = dir.isEmpty() ? "" : dir + "/";
            List<String> files = new ArrayList<>();
            if (glob && t.resolve(prefix + name, new LinkedHashSet<>()) == null) { // "-e": follows links
                TreeSet<String> matched = new TreeSet<>();
                for (String suffix : SUFFIXES) {
                    for (String p : t.expand(dir, name + suffix, notes)) {
                        if (t.usable(p, notes)) {
                            matched.add(p);
                        }
                    }
                }
                files.addAll(matched);
            } else {
                for (String suffix : SUFFIXES) {
                    String p = prefix + name + suffix;
                    if (t.usable(p, notes)) {
                        files.add(p);
                        break;
                    }
                }
            }
            if (!files.isEmpty()) {
                return files;
            }
        }
        return List.of();
    }
}
