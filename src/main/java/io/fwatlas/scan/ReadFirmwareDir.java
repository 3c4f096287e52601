package io.fwatlas.scan;

import io.fwatlas.module.ErrorKind;
import io.fwatlas.packages.FirmwareFile;
import io.fwatlas.packages.Whence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Executor side of a {@link FirmwareDirTask}: every file and link below the directory, in path
 * order, with its size, compression and SHA-256; links are recorded, not followed. A
 * {@code WHENCE} at the top names drivers and licences. An entry that cannot be read is an error
 * row naming it; the others are kept.
 */
final class ReadFirmwareDir {
    /** Deeper than any firmware tree (linux-firmware's deepest is 5). */
    static final int MAX_DEPTH = 32;
    private static final int BUFFER = 256 * 1024;

    private ReadFirmwareDir() {
    }

    /** One entry as listed: a file with its size, a link with its target, or an entry of another kind. */
    private record Listed(String path, String kind, String target, long size, String problem) {
    }

    static TaskResult run(FirmwareDirTask task, FileSystem fs, Path runDir, String attempt, Configuration conf)
            throws IOException {
        FirmwareDir d = task.dir();
        try (FirmwareWriter out = new FirmwareWriter(fs, runDir, attempt, d.location(), d.location(), d.location(),
                null, conf)) {
            String fault = null;
            TreeMap<String, Listed> listed = new TreeMap<>();
            try {
                if (d.local()) {
                    listLocal(java.nio.file.Path.of(d.location()), listed);
                } else {
                    listHadoop(new Path(d.location()), conf, listed);
                }
            } catch (IOException | RuntimeException e) {
                fault = d.location() + ": cannot list: " + ReleaseLister.describe(e);
            }
            Whence whence = null;
            Listed w = listed.get("WHENCE");
            if (w != null && w.kind().equals(FirmwareFile.FILE) && w.size() <= Whence.MAX_SIZE) {
                try (InputStream in = open(d, w.path(), conf)) {
                    whence = Whence.parse(in.readNBytes(Whence.MAX_SIZE));
                } catch (IOException e) {
                    // the entry's own row says what is wrong with it
                }
            }
            byte[] buf = new byte[BUFFER];
            for (Listed l : listed.values()) {
                FirmwareFile f = entry(d, l, conf, buf);
                Whence.Info info = whence == null ? null : whence.info(l.path());
                out.file(info == null ? f : f.withWhence(info.driver(), info.license()));
            }
            if (fault != null) {
                out.error(null, ErrorKind.IO_ERROR.label(), fault);
            }
            FirmwareResult r = out.commit("dir", fault == null ? null : ErrorKind.IO_ERROR.label(), fault);
            return new TaskResult(List.of(), null, null, r);
        }
    }

    private static FirmwareFile entry(FirmwareDir d, Listed l, Configuration conf, byte[] buf) {
        String where = d.location() + ": " + l.path() + ": ";
        if (l.problem() != null) {
            return FirmwareFile.error(l.path(), l.kind(), ErrorKind.NOT_A_FILE.label(), where + l.problem());
        }
        if (l.kind().equals(FirmwareFile.LINK)) {
            return FirmwareFile.link(l.path(), l.target());
        }
        try (InputStream in = open(d, l.path(), conf)) {
            return FirmwareFile.read(l.path(), in, buf);
        } catch (IOException e) {
            return FirmwareFile.error(l.path(), FirmwareFile.FILE, ErrorKind.IO_ERROR.label(),
                    where + ReleaseLister.describe(e));
        }
    }

    private static InputStream open(FirmwareDir d, String rel, Configuration conf) throws IOException {
        if (d.local()) {
            return Files.newInputStream(Paths.get(d.location()).resolve(rel));
        }
        Path p = new Path(new Path(d.location()), rel);
        return p.getFileSystem(conf).open(p, BUFFER);
    }

    /** The entries below {@code dir}; when it is a link to a directory (--firmware-dir /lib/firmware), below that one. */
    private static void listLocal(java.nio.file.Path dir, TreeMap<String, Listed> out) throws IOException {
        // links below the root are recorded, not followed; the root itself is followed, or the walk
        // would see it as one link
        java.nio.file.Path root = dir.toRealPath();
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(java.nio.file.Path p, BasicFileAttributes a) throws IOException {
                String rel = root.relativize(p).toString();
                if (a.isSymbolicLink()) {
                    out.put(rel, new Listed(rel, FirmwareFile.LINK, Files.readSymbolicLink(p).toString(), 0, null));
                } else if (a.isRegularFile()) {
                    out.put(rel, new Listed(rel, FirmwareFile.FILE, null, a.size(), null));
                } else if (!a.isDirectory()) {
                    out.put(rel, new Listed(rel, FirmwareFile.FILE, null, 0, "neither a regular file nor a link"));
                } else {
                    out.put(rel, new Listed(rel, FirmwareFile.FILE, null, 0, "a directory deeper than " + MAX_DEPTH
                            + " levels"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(java.nio.file.Path p, IOException e) {
                String rel = root.relativize(p).toString();
                out.put(rel, new Listed(rel, FirmwareFile.FILE, null, 0, "cannot read: " + ReleaseLister.describe(e)));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void listHadoop(Path root, Configuration conf, TreeMap<String, Listed> out) throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        String prefix = fs.getFileStatus(root).getPath().toString() + "/";
        List<LocatedFileStatus> all = new ArrayList<>();
        for (RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true); it.hasNext(); ) {
            all.add(it.next());
        }
        for (LocatedFileStatus s : all) {
            String full = s.getPath().toString();
            String rel = full.startsWith(prefix) ? full.substring(prefix.length()) : s.getPath().getName();
            if (s.isSymlink()) {
                out.put(rel, new Listed(rel, FirmwareFile.LINK, s.getSymlink().toString(), 0, null));
            } else {
                out.put(rel, new Listed(rel, FirmwareFile.FILE, null, s.getLen(), null));
            }
        }
    }
}
