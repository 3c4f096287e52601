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
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Executor side of stage 1: lists the module files of one release. Children are visited in name
 * order, so the result, and which of two names of one file wins, is deterministic.
 *
 * <p>Local trees use java.nio. Links are followed when their target lies inside the release
 * (Debian's {@code build} and {@code source} links point outside and are skipped); every directory
 * and every file is visited once, by file key, which also ends link loops. A module-named link to
 * nothing is listed anyway, so the reader turns it into an error row. Other file systems use
 * {@code listStatus} recursion, which never touches permissions, bounded by {@link #MAX_DEPTH}.
 * Sizes and modification times come from the same attributes (java.nio's, or the FileStatus
 * length and time), so an incremental scan's fingerprint costs no extra pass.
 */
public final class ReleaseLister implements FlatMapFunction<Release, FileTask> {
    private static final long serialVersionUID = 1L;
    static final int MAX_DEPTH = 32;
    static final String BUILTIN_MODINFO = "modules.builtin.modinfo";

    /** Null when every release is local. */
    private final Broadcast<SerializableConfiguration> hadoopConf;

    public ReleaseLister(Broadcast<SerializableConfiguration> hadoopConf) {
        this.hadoopConf = hadoopConf;
    }

    @Override
    public Iterator<FileTask> call(Release release) throws IOException {
        if (release.local()) {
            return listLocal(release).iterator();
        }
        return listHadoop(release, hadoopConf.value().value()).iterator();
    }

    public static List<FileTask> listLocal(Release release) {
        List<FileTask> out = new ArrayList<>();
        Path root = Paths.get(release.root());
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            out.add(FileTask.listError(release, "", "cannot list release directory: " + describe(e)));
            return out;
        }
        new LocalWalk(release, realRoot, out).walk(root, "");
        return out;
    }

    private static final class LocalWalk {
        final Release release;
        final Path realRoot;
        final List<FileTask> out;
        final Set<Object> dirs = new HashSet<>();
        final Set<Object> files = new HashSet<>();

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
                    if (attrs.isSymbolicLink()) {
                        Path target;
                        try {
                            target = child.toRealPath();
                        } catch (NoSuchFileException e) {
                            if (wanted) {
                                add(rel, -1, -1, name);  // dangling: the reader reports it
                            }
                            continue;
                        }
                        if (!target.startsWith(realRoot)) {
                            continue; // points out of the release (build, source)
                        }
                        attrs = Files.readAttributes(child, BasicFileAttributes.class);
                    }
                } catch (IOException e) {
                    if (wanted) {
                        out.add(FileTask.listError(release, rel, "cannot stat: " + describe(e)));
                    }
                    continue;
                }
                if (attrs.isDirectory()) {
                    walk(child, rel);
                } else if (wanted) {
                    if (attrs.isRegularFile() && !files.add(key(child, attrs))) {
                        continue; // a second name of a file already listed
                    }
                    add(rel, attrs.isRegularFile() ? attrs.size() : 0, attrs.lastModifiedTime().toMillis(), name);
                }
            }
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
