package io.fwatlas.scan;

import io.fwatlas.module.ModuleNames;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Executor side of stage 1 ({@link ScanExecution}): lists the module files of one release. Children are visited in name
 * order, so the result, and which of two names of one file wins, is deterministic.
 *
 * <p>Local trees use java.nio, and symbolic links are handled by what they are named and where
 * they lead ("inside" means below the real path of the release directory, which may itself be a
 * link, as {@code lib/modules/<release>} is on Nix and Guix systems):
 * <ul>
 * <li>A module-named link (a name {@link ModuleNames#isModuleFileName} accepts, or
 *     {@code modules.builtin.modinfo} at the top) is followed wherever it leads, so a release made
 *     of links into a store or a deduplicated mirror is listed in full. It is listed under its own
 *     name (its path inside the release), with the size and modification time of its target. A
 *     link to nothing is listed with size -1 and a link to a directory, FIFO or device with size 0;
 *     the reader turns both into error rows ({@code io_error}, {@code not_a_file}). A module-named
 *     link is never walked as a directory.</li>
 * <li>A link to a directory inside the release is walked, under the link's name.</li>
 * <li>A link to a directory outside the release is never followed, whatever its name, be it
 *     Debian's {@code build} and {@code source} or a Nix-style {@code kernel} link into a store:
 *     what lies below it is not this release's. It is counted in
 *     {@link Listing#linksNotFollowed}, as is a link of another name that leads nowhere or cannot
 *     be resolved (a link loop, a directory without permission), since it may have been one.
 *     Other links (to a file of another name) are ignored like such files.</li>
 * </ul>
 * Every directory and every regular file is visited once per release, by file key: this ends link
 * loops, and a file with two names in one release (a link, or a hard link, to another file of the
 * release; two links to one store file) is listed once, under the first name met. The sets are
 * per release, so releases that share files through links each list all of theirs.
 *
 * <p>Other file systems use {@code listStatus} recursion, which never touches permissions, bounded
 * by {@link #MAX_DEPTH}; they have no links to count. Sizes and modification times come from the
 * same attributes (java.nio's, or the FileStatus length and time), so an incremental scan's
 * fingerprint costs no extra pass.
 */
public final class ReleaseLister {
    static final int MAX_DEPTH = 32;
    static final String BUILTIN_MODINFO = "modules.builtin.modinfo";

    private ReleaseLister() {
    }

    /**
     * Lists one release: with java.nio when it is local, else through Hadoop with {@code conf}
     * (which may be null for a local release). Never throws: a release that cannot be listed at
     * all is one {@link FileTask.Kind#LIST_ERROR} task.
     */
    public static Listing list(Release release, Configuration conf) {
        if (release.local()) {
            return localListing(release);
        }
        List<FileTask> files;
        try {
            files = listHadoop(release, conf);
        } catch (IOException e) {
            files = List.of(FileTask.listError(release, "", "cannot list release directory: " + describe(e)));
        }
        return new Listing(files, 0);
    }

    /** The files of {@link #list} for a local release. */
    public static List<FileTask> listLocal(Release release) {
        return localListing(release).files();
    }

    private static Listing localListing(Release release) {
        List<FileTask> out = new ArrayList<>();
        Path root = Paths.get(release.root());
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            out.add(FileTask.listError(release, "", "cannot list release directory: " + describe(e)));
            return new Listing(out, 0);
        }
        LocalWalk w = new LocalWalk(release, realRoot, out);
        w.walk(root, "");
        return new Listing(out, w.linksNotFollowed);
    }

    private static final class LocalWalk {
        final Release release;
        final Path realRoot;
        final List<FileTask> out;
        final Set<Object> dirs = new HashSet<>();
        final Set<Object> files = new HashSet<>();
        int linksNotFollowed;

        LocalWalk(Release release, Path realRoot, List<FileTask> out) {
            this.release = release;
            this.realRoot = realRoot;
            this.out = out;
        }

        void walk(Path dir, String relDir) {
            List<Path> children = new ArrayList<>();
            try {
                if (!dirs.add(key(dir, Files.readAttributes(dir, BasicFileAttributes.class)))) {
                    return;
                }
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    for (Path p : ds) {
                        children.add(p);
                    }
                }
            } catch (IOException e) {
                out.add(FileTask.listError(release, relDir, "cannot list directory: " + describe(e)));
                return;
            }
            children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            for (Path child : children) {
                String name = child.getFileName().toString();
                String rel = relDir.isEmpty() ? name : relDir + "/" + name;
                boolean wanted = ModuleNames.isModuleFileName(name)
                        || (relDir.isEmpty() && name.equals(BUILTIN_MODINFO));
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    if (wanted) {
                        out.add(FileTask.listError(release, rel, "cannot stat: " + describe(e)));
                    }
                    continue;
                }
                if (attrs.isSymbolicLink() && wanted) {
                    moduleLink(child, rel, name);
                } else if (attrs.isSymbolicLink()) {
                    otherLink(child, rel);
                } else if (attrs.isDirectory()) {
                    walk(child, rel);
                } else if (wanted) {
                    file(child, rel, name, attrs);
                }
            }
        }

        /** A module-named link: followed wherever it leads (a stat, no realpath), listed as {@code rel}. */
        private void moduleLink(Path link, String rel, String name) {
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(link, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                add(rel, -1, -1, name); // dangling: the reader reports it
                return;
            } catch (IOException e) {
                out.add(FileTask.listError(release, rel, "cannot follow link: " + describe(e)));
                return;
            }
            file(link, rel, name, attrs); // a directory or FIFO is the reader's error row
        }

        /** Any other link: walked if it leads to a directory inside the release, else maybe counted. */
        private void otherLink(Path link, String rel) {
            Path target;
            BasicFileAttributes attrs;
            try {
                target = link.toRealPath();
                attrs = Files.readAttributes(target, BasicFileAttributes.class);
            } catch (IOException e) {
                linksNotFollowed++; // leads nowhere, or cannot be resolved: it may have been a directory
                return;
            }
            if (!attrs.isDirectory()) {
                return; // a file of another name, ignored as such files are
            }
            if (target.startsWith(realRoot)) {
                walk(target, rel);
            } else {
                linksNotFollowed++; // out of the release: build, source, a store
            }
        }

        /** A module-named entry that is not a directory, or a module-named link's target. */
        private void file(Path p, String rel, String name, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && !files.add(key(p, attrs))) {
                return; // a second name of a file already listed
            }
            add(rel, attrs.isRegularFile() ? attrs.size() : 0, attrs.lastModifiedTime().toMillis(), name);
        }

        private void add(String rel, long size, long mtime, String name) {
            boolean builtin = !rel.contains("/") && name.equals(BUILTIN_MODINFO);
            out.add(builtin ? FileTask.builtin(release, rel, size, mtime) : FileTask.module(release, rel, size, mtime));
        }

        private static Object key(Path p, BasicFileAttributes attrs) {
            Object k = attrs.fileKey();
            if (k != null) {
                return k;
            }
            try {
                return p.toRealPath().toString();
            } catch (IOException e) {
                return p.toAbsolutePath().normalize().toString();
            }
        }
    }

    public static List<FileTask> listHadoop(Release release, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(release.root());
        FileSystem fs = root.getFileSystem(conf);
        List<FileTask> out = new ArrayList<>();
        walkHadoop(fs, release, root, "", 0, new HashSet<>(), out);
        return out;
    }

    private static void walkHadoop(FileSystem fs, Release release, org.apache.hadoop.fs.Path dir, String relDir,
                                   int depth, Set<String> seen, List<FileTask> out) {
        if (!seen.add(dir.toUri().getPath())) {
            return;
        }
        if (depth > MAX_DEPTH) {
            out.add(FileTask.listError(release, relDir, "directories nested deeper than " + MAX_DEPTH
                    + " levels (a link loop?); not listed"));
            return;
        }
        FileStatus[] children;
        try {
            children = fs.listStatus(dir);
        } catch (IOException e) {
            out.add(FileTask.listError(release, relDir, "cannot list directory: " + describe(e)));
            return;
        }
        java.util.Arrays.sort(children, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
        for (FileStatus s : children) {
            String name = s.getPath().getName();
            String rel = relDir.isEmpty() ? name : relDir + "/" + name;
            if (s.isDirectory()) {
                walkHadoop(fs, release, s.getPath(), rel, depth + 1, seen, out);
            } else if (relDir.isEmpty() && name.equals(BUILTIN_MODINFO)) {
                out.add(FileTask.builtin(release, rel, s.getLen(), s.getModificationTime()));
            } else if (ModuleNames.isModuleFileName(name)) {
                out.add(FileTask.module(release, rel, s.getLen(), s.getModificationTime()));
            }
        }
    }

    static String describe(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
