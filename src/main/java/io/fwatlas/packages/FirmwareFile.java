package io.fwatlas.packages;


/**
 * One file or link below a firmware root ({@code lib/firmware/}, {@code usr/lib/firmware/}, a
 * firmware directory), as a package ships it.
 *
 * @param path        relative to the firmware root, compression suffix included
 * @param compression {@code none}, {@code xz}, {@code zstd} (by magic) for files; null for links
 * @param kind        {@link #FILE} or {@link #LINK}
 * @param target      a link's target as stored; null for files
 * @param size        bytes as shipped; null for links
 * @param sha256      of the bytes as shipped, lower-case hex; null for links
 * @param driver      the {@code Driver:} of the WHENCE stanza naming the file, or null
 * @param license     its {@code License:}/{@code Licence:}, or null
 * @param errorKind   why the entry could not be read whole ({@link io.fwatlas.module.ErrorKind} label), or null
 * @param error       the message naming the package and member, or null
 */
public record FirmwareFile(String path, String compression, String kind, String target, Long size, String sha256,
                           String driver, String license, String errorKind, String error) {
    public static final String FILE = "file";
    public static final String LINK = "link";

    /** The firmware name a path serves: without a {@code .xz} or {@code .zst} suffix. */
    public static String name(String path) {
        // the suffixes the kernel's loader and dracut append: lower case only
        if (path.endsWith(".xz") && path.length() > 3) {
            return path.substring(0, path.length() - 3);
        }
        if (path.endsWith(".zst") && path.length() > 4) {
            return path.substring(0, path.length() - 4);
        }
        return path;
    }

    public String name() {
        return name(path);
    }

    public static FirmwareFile file(String path, String compression, long size, String sha256) {
        return new FirmwareFile(path, compression, FILE, null, size, sha256, null, null, null, null);
    }

    public static FirmwareFile link(String path, String target) {
        return new FirmwareFile(path, null, LINK, target, null, null, null, null, null, null);
    }

    public static FirmwareFile error(String path, String kind, String errorKind, String error) {
        return new FirmwareFile(path, null, kind, null, null, null, null, null, errorKind, error);
    }

    public boolean ok() {
        return errorKind == null;
    }

    public FirmwareFile withWhence(String driver, String license) {
        return new FirmwareFile(path, compression, kind, target, size, sha256, driver, license, errorKind, error);
    }

    /**
     * The path of a member below a firmware root ({@code [./][/][usr/]lib/firmware/REST}), or null
     * for members elsewhere and for names with an empty, {@code .} or {@code ..} segment.
     */
    public static String underRoot(String member) {
        String p = memberPath(member);
        String rest;
        if (p.startsWith("usr/lib/firmware/")) {
            rest = p.substring("usr/lib/firmware/".length());
        } else if (p.startsWith("lib/firmware/")) {
            rest = p.substring("lib/firmware/".length());
        } else {
            return null;
        }
        return plain(rest) ? rest : null;
    }

    /** An archive member's name without its leading {@code ./} and {@code /}. */
    static String memberPath(String member) {
        String p = member;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        return p;
    }

    /**
     * Reads {@code in} to its end, once: a file row with the bytes' count, their compression by
     * magic and their SHA-256. {@code buf} is the caller's reused buffer.
     */
    public static FirmwareFile read(String path, java.io.InputStream in, byte[] buf) throws java.io.IOException {
        java.security.MessageDigest sha = FirmwareMembers.sha256();
        byte[] head = new byte[io.fwatlas.module.Compression.MAGIC_LENGTH];
        int headLen = 0;
        long got = 0;
        for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
            if (headLen < head.length) {
                int k = Math.min(n, head.length - headLen);
                System.arraycopy(buf, 0, head, headLen, k);
                headLen += k;
            }
            sha.update(buf, 0, n);
            got += n;
        }
        return file(path, io.fwatlas.module.Compression.detect(head, headLen).label(), got,
                java.util.HexFormat.of().formatHex(sha.digest()));
    }

    /** Non-empty, and no empty, "." or ".." segment (a trailing '/' of a directory member makes one). */
    static boolean plain(String path) {
        if (path.isEmpty()) {
            return false;
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
