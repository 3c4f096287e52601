package io.fwatlas.packages;

import io.fwatlas.module.ArrayByteSource;
import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.Compression;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleError;
import io.fwatlas.module.ModuleNames;
import io.fwatlas.module.ModuleReader;
import io.fwatlas.module.ModuleResult;
import io.fwatlas.module.SizeLimitException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import java.security.MessageDigest;

/** One read of one package: the layers for its format, the walk over its members, the counts. */
final class PackagePass {
    private static final int BUFFER = 256 * 1024;
    /** A member up to this size gets its array at once; a larger one grows as bytes arrive. */
    private static final int FIRST_ARRAY = 16 << 20;
    /** The most bytes a control.tar may expand to: its md5sums list every file of the package. */
    private static final long MAX_CONTROL_TAR = 64L << 20;

    private final ModuleReader modules;
    private final long maxModuleSize;
    private final long maxExpanded;
    private final String name;
    private final long length;
    private final PackageVisitor visitor;

    private PackageFormat format;
    private Meter raw;
    private Meter expanded;
    /** The stream right below the archive reader working now, and what that archive is. */
    private Meter archiveInput;
    private String archiveKind;
    private String member;
    /** The size {@link #member}'s header declares. */
    private long memberSize = -1;
    private long members;
    private long moduleCount;
    private long builtinCount;
    private final SortedSet<String> kernels = new TreeSet<>();
    private final byte[] scratch = new byte[64 * 1024];
    private PackageControl control;
    /** A control.tar member was read (the first one counts). */
    private boolean controlSeen;
    /** A control file that could not be parsed, and its member: reported once the data is read. */
    private PackageException controlFault;
    private String controlMember;
    private final FirmwareMembers firmware;

    PackagePass(ModuleReader modules, long maxModuleSize, long maxExpanded, String name, long length,
                PackageVisitor visitor) {
        this.modules = modules;
        this.maxModuleSize = maxModuleSize;
        this.maxExpanded = maxExpanded;
        this.name = name;
        this.length = length;
        this.visitor = visitor;
        this.firmware = new FirmwareMembers(name);
    }

    PackageSummary run(InputStream in) {
        raw = new Meter(in, "package", Long.MAX_VALUE, true);
        BufferedInputStream buf = new BufferedInputStream(raw, BUFFER);
        PackageException fault = null;
        try {
            byte[] head = peek(buf, PackageFormat.MAGIC_LENGTH);
            format = PackageFormat.detect(head, head.length);
            if (format == null) {
                throw new CorruptPackageException(unknown(head));
            }
            switch (format) {
                case DEB:
                    deb(buf);
                    break;
                case RPM:
                    rpm(buf);
                    break;
                default:
                    tarball(buf);
                    break;
            }
        } catch (PackageException e) {
            fault = e;
        } catch (IOException e) {
            fault = classify(e);
        } catch (RuntimeException e) {
            // commons-compress reports some malformed headers as IllegalArgumentException.
            fault = classify(e);
        }
        boolean readToEnd = fault == null;
        if (fault == null && controlFault != null) {
            fault = controlFault;
            member = controlMember;
        }
        long firmwareCount = 0;
        for (FirmwareFile f : firmware.finish(format != null && format != PackageFormat.DEB
                && format != PackageFormat.RPM, readToEnd)) {
            visitor.firmware(f);
            firmwareCount++;
        }
        PackageError error = null;
        if (fault != null) {
            String where = (format == null ? "" : format.label()) + (member == null ? "" : " member " + member);
            error = new PackageError(name, format, member, fault.kind(),
                    name + ": " + (where.isEmpty() ? "" : where.strip() + ": ") + fault.getMessage());
            visitor.packageError(error);
        }
        return new PackageSummary(name, format, members, moduleCount, builtinCount, new ArrayList<>(kernels),
                raw.position(), expanded == null ? 0 : expanded.position(), error, control, firmwareCount);
    }

    // ---- formats

    private void deb(BufferedInputStream buf) throws IOException, PackageException {
        Meter arInput = new Meter(buf, "deb", Long.MAX_VALUE, false);
        active(arInput, "ar");
        ArArchiveInputStream ar = new ArArchiveInputStream(arInput);
        ArArchiveEntry first = ar.getNextEntry();
        if (first == null || !first.getName().equals("debian-binary")) {
            throw new CorruptPackageException("first ar member is " + (first == null ? "missing" : "'" + first.getName()
                    + "'") + ", expected debian-binary");
        }
        member = first.getName();
        memberSize = first.getLength();
        if (first.getLength() > 64) {
            throw new CorruptPackageException("debian-binary of " + first.getLength() + " bytes, expected at most 64");
        }
        byte[] version = new MemberStream(ar, "debian-binary", first.getLength()).readAllBytes();
        String v = new String(version, StandardCharsets.US_ASCII).strip();
        if (!v.startsWith("2.")) {
            throw new CorruptPackageException("debian-binary says '" + v + "', expected format 2.x");
        }
        List<String> seen = new ArrayList<>(List.of(member));
        boolean data = false;
        for (ArArchiveEntry e; (e = ar.getNextEntry()) != null; ) {
            member = e.getName();
            memberSize = e.getLength();
            seen.add(member);
            if (member.startsWith("control.tar") && !controlSeen) {
                controlSeen = true;
                String arName = member;
                MemberStream content = new MemberStream(ar, "ar member " + arName + " (" + e.getLength()
                        + " bytes declared)", e.getLength());
                controlTar(content, arName);
                member = arName;
                content.drain();
                active(arInput, "ar");
                continue;
            }
            if (!member.startsWith("data.tar")) {
                continue; // signatures: the ar reader skips them unread
            }
            if (data) {
                throw new CorruptPackageException("a second data member '" + member + "'");
            }
            data = true;
            String arName = member;
            MemberStream content = new MemberStream(ar, "ar member " + arName + " (" + e.getLength() + " bytes declared)",
                    e.getLength());
            dataTar(content, arName);
            member = arName;
            memberSize = e.getLength();
            content.drain();
            active(arInput, "ar");
        }
        if (!data) {
            throw new CorruptPackageException("no data.tar member (members: " + String.join(", ", seen) + ")");
        }
    }

    /**
     * The {@code control} file of a control.tar member, parsed; other files of it are skipped. One
     * that cannot be parsed costs the package its name, not its files: the data member is read all
     * the same, and the control file's fault is the package error once it is (unless another fault
     * ends the read first).
     */
    private void controlTar(MemberStream content, String arName) throws IOException, PackageException {
        BufferedInputStream in = new BufferedInputStream(content, 64 * 1024);
        Compression c = checkedCompression(in, arName, "control.tar");
        try (InputStream d = c == Compression.NONE ? in : DecodedStream.open(c, in, arName)) {
            Meter m = new Meter(d, arName, MAX_CONTROL_TAR, false);
            active(m, "tar");
            CheckedTarInputStream tar = new CheckedTarInputStream(m);
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                String n = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
                if (e.isFile() && n.equals("control") && control == null && controlFault == null) {
                    member = arName + " member " + e.getName();
                    memberSize = e.getSize();
                    try {
                        if (e.getSize() > PackageControl.MAX_CONTROL) {
                            throw new CorruptPackageException("control file of " + e.getSize() + " bytes, more than "
                                    + PackageControl.MAX_CONTROL);
                        }
                        control = PackageControl.debian(bytes(tar, e.getSize()));
                        visitor.control(control);
                    } catch (CorruptPackageException bad) {
                        controlFault = bad;
                        controlMember = member;
                    }
                }
                skipRest(tar);
            }
            m.drain();
        }
    }

    private void dataTar(MemberStream content, String arName) throws IOException, PackageException {
        BufferedInputStream in = new BufferedInputStream(content, 64 * 1024);
        Compression declared = checkedCompression(in, arName, "data.tar");
        if (declared == Compression.NONE) {
            tar(in, arName);
            return;
        }
        try (DecodedStream d = DecodedStream.open(declared, in, arName)) {
            tar(d, arName);
        }
    }

    /** The compression a member's name declares, once its magic is checked to agree. */
    private static Compression checkedCompression(BufferedInputStream in, String arName, String base)
            throws IOException, PackageException {
        byte[] head = peek(in, Compression.MAGIC_LENGTH);
        Compression actual = Compression.detect(head, head.length);
        Compression declared = compressionOf(arName, base);
        if (actual != declared) {
            throw new CorruptPackageException(arName + " starts with " + (actual == Compression.NONE ? "no compression magic"
                    : actual.label() + " data") + ", not " + declared.label() + " as its name says");
        }
        return declared;
    }

    private static Compression compressionOf(String arName, String base) throws CorruptPackageException {
        String suffix = arName.substring(base.length());
        switch (suffix) {
            case "":
                return Compression.NONE;
            case ".xz":
                return Compression.XZ;
            case ".zst":
                return Compression.ZSTD;
            case ".gz":
                return Compression.GZIP;
            default:
                throw new CorruptPackageException(base + " member '" + arName + "' is compressed in a way not supported"
                        + " (" + base + ", " + base + ".xz, " + base + ".zst, " + base + ".gz)");
        }
    }

    private void rpm(BufferedInputStream buf) throws IOException, PackageException {
        RpmHeader h = RpmHeader.read(buf, length);
        if (h.control() != null) {
            control = h.control();
            visitor.control(control);
        }
        if (!h.format().equals("cpio")) {
            throw new CorruptPackageException("payload format '" + h.format() + "' (tag 1124), expected cpio");
        }
        Compression declared;
        switch (h.compressor()) {
            case "xz":
                declared = Compression.XZ;
                break;
            case "zstd":
                declared = Compression.ZSTD;
                break;
            case "gzip":
                declared = Compression.GZIP;
                break;
            default:
                throw new CorruptPackageException("payload compressor '" + h.compressor()
                        + "' (tag 1125) is not supported (xz, zstd, gzip)");
        }
        byte[] head = peek(buf, Compression.MAGIC_LENGTH);
        Compression actual = Compression.detect(head, head.length);
        if (actual != declared) {
            throw new CorruptPackageException("header says the payload at offset " + h.payloadOffset() + " is "
                    + declared.label() + "-compressed, but it starts with " + (actual == Compression.NONE
                    ? "no compression magic" : actual.label() + " magic"));
        }
        String what = "payload (" + h.compressor() + " cpio at offset " + h.payloadOffset() + ")";
        try (DecodedStream d = DecodedStream.open(declared, buf, what)) {
            expanded = new Meter(new BufferedInputStream(d, BUFFER), what, maxExpanded, false);
            active(expanded, "cpio");
            CpioArchiveInputStream cpio = new CpioArchiveInputStream(new CpioGuard(expanded, what));
            // Of a set of hard links only the last carries the bytes; the others (size 0) are skipped.
            walk(cpio, e -> e.isRegularFile() && !(e.getNumberOfLinks() > 1 && e.getSize() == 0));
            firmware.endOfHardLinks();
            expanded.drain();
        }
    }

    private void tarball(BufferedInputStream buf) throws IOException, PackageException {
        Compression c = format.compression();
        if (c == Compression.NONE) {
            tar(buf, "tar");
            return;
        }
        try (DecodedStream d = DecodedStream.open(c, buf, c.label() + " stream")) {
            tar(d, "tar");
        }
    }

    private void tar(InputStream decoded, String what) throws IOException, PackageException {
        expanded = new Meter(new BufferedInputStream(decoded, BUFFER), what, maxExpanded, false);
        active(expanded, "tar");
        CheckedTarInputStream tar = new CheckedTarInputStream(expanded);
        // Hard links, symbolic links, directories and devices are not module files of their own.
        walk(tar, e -> e.isFile() && !e.isLink() && !e.isSymbolicLink());
        // To the end of the compressed stream, so that a damaged or cut tail is noticed.
        expanded.drain();
    }

    // ---- members

    private <E extends ArchiveEntry> void walk(ArchiveInputStream<E> archive, Predicate<E> regular)
            throws IOException, PackageException {
        for (E e; (e = archive.getNextEntry()) != null; ) {
            members++;
            member = e.getName();
            memberSize = e.getSize();
            boolean isRegular = regular.test(e);
            ReleasePath rp = isRegular ? ReleasePath.of(member) : null;
            if (rp != null && ModuleNames.isModuleFileName(rp.path())) {
                module(archive, e.getSize(), rp);
            } else if (rp != null && rp.isBuiltinModinfo()) {
                builtin(archive, e.getSize(), rp);
            } else if (rp == null) {
                firmware(archive, e, isRegular);
            }
            skipRest(archive);
        }
    }

    /** A member that may be firmware or a WHENCE file: handed to {@link FirmwareMembers} as a file, link or hard link. */
    private void firmware(InputStream archive, ArchiveEntry e, boolean isRegular) throws IOException, PackageException {
        FirmwareMembers.Place place = firmware.place(member, format == PackageFormat.DEB || format == PackageFormat.RPM);
        if (place == null) {
            return;
        }
        if (e instanceof TarArchiveEntry t && t.isSymbolicLink()) {
            firmware.link(place, t.getLinkName());
        } else if (e instanceof TarArchiveEntry t && t.isLink()) {
            firmware.hardLink(place, t.getLinkName());
        } else if (e instanceof CpioArchiveEntry c && c.isSymbolicLink()) {
            if (c.getSize() > FirmwareMembers.MAX_LINK_TARGET) {
                firmware.error(place, FirmwareFile.LINK, ErrorKind.BAD_PACKAGE, "cpio symbolic link of "
                        + c.getSize() + " bytes, more than " + FirmwareMembers.MAX_LINK_TARGET);
                return;
            }
            firmware.link(place, new String(bytes(archive, c.getSize()), StandardCharsets.UTF_8));
        } else if (e instanceof CpioArchiveEntry c && c.isRegularFile() && c.getNumberOfLinks() > 1 && c.getSize() == 0) {
            firmware.cpioHardLink(place, c.getInode());
        } else if (isRegular) {
            if (place.whence() && e.getSize() <= Whence.MAX_SIZE) {
                byte[] text = bytes(archive, e.getSize());
                firmware.whence(place, text);
                if (place.listed()) {
                    firmware.file(place, text);
                }
                return;
            }
            if (!place.listed()) {
                return;
            }
            firmware.file(place, archive, e.getSize(), scratch,
                    e instanceof CpioArchiveEntry c && c.getNumberOfLinks() > 1 ? c.getInode() : -1);
        }
    }

    /** Reads what is left of the current entry into one reused buffer (the readers' own skip allocates as it goes). */
    private void skipRest(InputStream archive) throws IOException {
        while (archive.read(scratch, 0, scratch.length) >= 0) {
            // counted and limited below
        }
    }

    private void module(InputStream archive, long size, ReleasePath rp) throws IOException, PackageException {
        ModuleResult r;
        if (size > maxModuleSize) {
            // Not buffered: the archive reader skips the member's bytes on the way to the next header.
            r = new ModuleError(rp.path(), ModuleNames.fromPath(rp.path()), size, false, null, ErrorKind.SIZE_LIMIT,
                    rp.path() + ": " + new SizeLimitException("package member", maxModuleSize, size).getMessage());
        } else {
            r = modules.read(rp.path(), new ArrayByteSource(bytes(archive, size)));
        }
        moduleCount++;
        kernels.add(rp.kernel());
        visitor.module(rp.kernel(), rp.path(), r);
    }

    private void builtin(InputStream archive, long size, ReleasePath rp) throws IOException, PackageException {
        builtinCount++;
        kernels.add(rp.kernel());
        if (size > maxModuleSize) {
            visitor.builtinError(rp.kernel(), rp.path(), ErrorKind.SIZE_LIMIT,
                    rp.path() + ": " + new SizeLimitException("package member", maxModuleSize, size).getMessage());
            return;
        }
        visitor.builtin(rp.kernel(), rp.path(), BuiltinModinfo.parse(rp.path(), bytes(archive, size)));
    }

    /** The current member's {@code size} bytes ({@code size} is at most the module cap). */
    private byte[] bytes(InputStream archive, long size) throws IOException, PackageException {
        byte[] b = new byte[(int) Math.min(size, FIRST_ARRAY)];
        int got = 0;
        while (got < size) {
            if (got == b.length) {
                b = Arrays.copyOf(b, (int) Math.min(size, 2L * b.length));
            }
            int n;
            try {
                n = archive.read(b, got, b.length - got);
            } catch (IOException | RuntimeException e) {
                if (Fault.find(e) == null && archiveInput.ended()) {
                    n = -1;
                } else {
                    throw e;
                }
            }
            if (n < 0) {
                throw new TruncatedPackageException(archiveInput.what() + ": " + archiveKind + " entry " + member,
                        size, got);
            }
            got += n;
        }
        return b;
    }

    // ---- helpers

    private void active(Meter input, String kind) {
        archiveInput = input;
        archiveKind = kind;
    }

    /** An archive reader's own IOException: truncation when its input had run dry, bad structure otherwise. */
    private PackageException classify(Exception e) {
        Fault f = Fault.find(e);
        if (f != null) {
            return f.exception();
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (archiveInput == null) {
            return new CorruptPackageException("unexpected reader failure at byte " + raw.position() + ": " + e);
        }
        if (archiveInput.ended()) {
            String declared = memberSize < 0 ? "" : ", the last entry declaring " + memberSize + " bytes";
            return new TruncatedPackageException(archiveInput.what() + ": " + archiveKind + " archive (" + why + declared
                    + ")", -1, archiveInput.position());
        }
        return new CorruptPackageException(archiveInput.what() + ": " + archiveKind + " archive is malformed at byte "
                + archiveInput.position() + ": " + why);
    }

    private static byte[] peek(BufferedInputStream in, int n) throws IOException {
        in.mark(n);
        byte[] head = in.readNBytes(n);
        in.reset();
        return head;
    }

    private static String unknown(byte[] head) {
        if (head.length == 0) {
            return "not a package: empty";
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return "bzip2-compressed tarballs are not supported (tar, tar.xz, tar.zst, tar.gz)";
        }
        StringBuilder s = new StringBuilder("not a deb, rpm or tar package: first bytes");
        for (int i = 0; i < Math.min(8, head.length); i++) {
            s.append(String.format(Locale.ROOT, " %02x", head[i] & 0xff));
        }
        return s.toString();
    }
}
