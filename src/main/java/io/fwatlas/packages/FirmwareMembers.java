package io.fwatlas.packages;

import io.fwatlas.module.Compression;
import io.fwatlas.module.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The firmware entries of one package read, gathered as the members pass and handed out at the end,
 * when a WHENCE file, wherever it came in the archive, can name each entry's driver and licence.
 *
 * <p>Entries below {@code lib/firmware/} or {@code usr/lib/firmware/} are the package's firmware.
 * A tarball without such entries may be linux-firmware's source: then its top directory (named
 * {@code linux-firmware...}) is the
 * firmware root, and what it installs is what that directory's {@code WHENCE} names ({@code File:},
 * {@code RawFile:}, {@code Link:}), as {@code copy-firmware.sh} installs it. Only a summary of each
 * entry is held (no contents), at most {@link #MAX_ENTRIES} of them.
 */
final class FirmwareMembers {
    /** Real firmware packages hold a few thousand entries. */
    static final int MAX_ENTRIES = 250_000;
    /** Longer than any path the kernel's firmware loader takes (PATH_MAX). */
    static final int MAX_LINK_TARGET = 4096;
    /** The top directory of linux-firmware's release tarballs and of its git archives: linux-firmware-VERSION. */
    static final String SOURCE_TOP = "linux-firmware";

    /**
     * Where a member lies: {@code root} true below a firmware root, false below a source tarball's
     * top directory; {@code whence} for a WHENCE file; {@code listed} when it is an entry itself;
     * {@code member} is its archive name without a leading {@code ./} or {@code /}.
     */
    record Place(String path, boolean root, boolean whence, boolean listed, String member) {
    }

    private final String packageName;
    private final List<FirmwareFile> rooted = new ArrayList<>();
    private final List<FirmwareFile> source = new ArrayList<>();
    /** Files by archive name (normalised), for tar hard links; cpio hard links by inode. */
    private final Map<String, FirmwareFile> byMember = new HashMap<>();
    private final Map<Long, FirmwareFile> byInode = new HashMap<>();
    private final Map<Long, List<Integer>> pendingInodes = new HashMap<>();
    private Whence whence;
    private Whence sourceWhence;
    private String sourceTop;

    FirmwareMembers(String packageName) {
        this.packageName = packageName;
    }

    /**
     * Where {@code member} lies, or null when it is neither firmware nor a WHENCE file.
     *
     * @param packaged a .deb or .rpm: only firmware roots count, and WHENCE where it documents the package
     */
    Place place(String member, boolean packaged) {
        String rel = FirmwareFile.underRoot(member);
        String p = normalise(member);
        if (rel != null) {
            return new Place(rel, true, rel.equals("WHENCE"), true, p);
        }
        if (packaged) {
            // Fedora ships linux-firmware's WHENCE as a licence file
            boolean doc = (p.startsWith("usr/share/licenses/") || p.startsWith("usr/share/doc/")) && p.endsWith("/WHENCE");
            return doc ? new Place(p, true, true, false, p) : null;
        }
        int slash = p.indexOf('/');
        if (slash <= 0 || slash == p.length() - 1) {
            return null;
        }
        String top = p.substring(0, slash);
        String rest = p.substring(slash + 1);
        if (!top.startsWith(SOURCE_TOP) || !FirmwareFile.plain(rest) || (sourceTop != null && !sourceTop.equals(top))) {
            return null;
        }
        sourceTop = top;
        return new Place(rest, false, rest.equals("WHENCE"), !rest.equals("WHENCE"), p);
    }

    void whence(Place at, byte[] text) {
        if (at.root()) {
            if (whence == null) {
                whence = Whence.parse(text);
            }
        } else if (sourceWhence == null) {
            sourceWhence = Whence.parse(text);
        }
    }

    void link(Place at, String target) throws PackageException {
        add(at, FirmwareFile.link(at.path(), target));
    }

    void error(Place at, String kind, ErrorKind errorKind, String message) throws PackageException {
        add(at, FirmwareFile.error(at.path(), kind, errorKind.label(), packageName + ": " + at.path() + ": " + message));
    }

    /** A tar hard link: a file with the bytes of the member it names, when that one came earlier. */
    void hardLink(Place at, String linkName) throws PackageException {
        FirmwareFile to = byMember.get(normalise(linkName));
        if (to == null) {
            error(at, FirmwareFile.FILE, ErrorKind.BAD_PACKAGE, "hard link to " + linkName
                    + ", which is no earlier firmware file of the package");
            return;
        }
        add(at, FirmwareFile.file(at.path(), to.compression(), to.size(), to.sha256()));
    }

    /** A cpio hard link without data: its bytes come with the last member of the same inode. */
    void cpioHardLink(Place at, long inode) throws PackageException {
        FirmwareFile known = byInode.get(inode);
        if (known != null) {
            add(at, FirmwareFile.file(at.path(), known.compression(), known.size(), known.sha256()));
            return;
        }
        List<FirmwareFile> list = at.root() ? rooted : source;
        add(at, FirmwareFile.error(at.path(), FirmwareFile.FILE, ErrorKind.BAD_PACKAGE.label(), packageName + ": "
                + at.path() + ": cpio hard link whose data never came"));
        pendingInodes.computeIfAbsent(inode, k -> new ArrayList<>()).add((at.root() ? 1 : -1) * list.size());
    }

    /** Cpio ends: nothing more to wait for. */
    void endOfHardLinks() {
        pendingInodes.clear();
    }

    /** A regular file read whole already (a WHENCE file). */
    void file(Place at, byte[] bytes) throws PackageException {
        add(at, FirmwareFile.file(at.path(), Compression.detect(bytes, Math.min(bytes.length, Compression.MAGIC_LENGTH))
                .label(), bytes.length, HexFormat.of().formatHex(sha256().digest(bytes))));
    }

    /** A regular file: its size, its compression by magic and the SHA-256 of its bytes, read once. */
    void file(Place at, InputStream archive, long size, byte[] scratch, long inode)
            throws IOException, PackageException {
        FirmwareFile f = FirmwareFile.read(at.path(), archive, scratch);
        if (f.size() != size) {
            throw new TruncatedPackageException("firmware member " + at.path(), size, f.size());
        }
        add(at, f);
        if (inode >= 0) {
            byInode.put(inode, f);
            List<Integer> waiting = pendingInodes.remove(inode);
            if (waiting != null) {
                for (int i : waiting) {
                    List<FirmwareFile> list = i > 0 ? rooted : source;
                    int idx = Math.abs(i) - 1;
                    FirmwareFile w = list.get(idx);
                    list.set(idx, FirmwareFile.file(w.path(), f.compression(), f.size(), f.sha256()));
                }
            }
        }
    }

    private void add(Place at, FirmwareFile f) throws PackageException {
        List<FirmwareFile> list = at.root() ? rooted : source;
        if (rooted.size() + source.size() >= MAX_ENTRIES) {
            throw new CorruptPackageException("more than " + MAX_ENTRIES + " firmware entries");
        }
        list.add(f);
        if (f.kind().equals(FirmwareFile.FILE) && f.ok()) {
            byMember.put(at.member(), f);
        }
    }

    /**
     * The entries to deliver: those below a firmware root, or, for a tarball with none, what its
     * top directory's WHENCE installs; each with WHENCE's driver and licence when there is one.
     *
     * @param readToEnd false when a fault ended the read: a file WHENCE names that did not come is
     *                  then left out (the package error says where the read broke off), not an
     *                  error row saying the tarball does not hold it
     */
    List<FirmwareFile> finish(boolean tarball, boolean readToEnd) {
        List<FirmwareFile> out = new ArrayList<>();
        if (!rooted.isEmpty()) {
            for (FirmwareFile f : rooted) {
                out.add(annotate(f, whence));
            }
            return out;
        }
        if (!tarball || sourceWhence == null) {
            return out;
        }
        Map<String, FirmwareFile> files = new HashMap<>();
        for (FirmwareFile f : source) {
            files.put(f.path(), f);
        }
        for (Map.Entry<String, Whence.Info> w : sourceWhence.files().entrySet()) {
            FirmwareFile f = files.get(w.getKey());
            if (f == null && !readToEnd) {
                continue;
            }
            if (f == null) {
                f = FirmwareFile.error(w.getKey(), FirmwareFile.FILE, ErrorKind.BAD_PACKAGE.label(), packageName + ": "
                        + sourceTop + "/WHENCE names " + w.getKey() + ", which the tarball does not hold");
            }
            out.add(f.withWhence(w.getValue().driver(), w.getValue().license()));
        }
        for (Whence.Link l : sourceWhence.links()) {
            out.add(FirmwareFile.link(l.name(), l.target()).withWhence(l.info().driver(), l.info().license()));
        }
        out.sort(java.util.Comparator.comparing(FirmwareFile::path));
        return out;
    }

    private static FirmwareFile annotate(FirmwareFile f, Whence w) {
        if (w == null) {
            return f;
        }
        Whence.Info i = w.info(f.path());
        return i == null ? f : f.withWhence(i.driver(), i.license());
    }

    private static String normalise(String member) {
        return FirmwareFile.memberPath(member);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
