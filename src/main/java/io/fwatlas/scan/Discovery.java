package io.fwatlas.scan;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import io.fwatlas.module.ModuleNames;

/**
 * Finds kernel release directories under the inputs, on the driver. Looks only at directory
 * entries near the top of each input; the files inside a release are listed on executors.
 *
 * <p>Rules, applied from each input root downwards (at most {@link #MAX_DEPTH} levels):
 * a directory that holds {@code kernel/}, a {@code modules.*} file or a module file is a release
 * named after itself; otherwise every directory below its {@code lib/modules/} and
 * {@code usr/lib/modules/} is a release; otherwise its subdirectories are searched the same way.
 * An input named {@code firmware}, and the {@code lib/firmware/} and {@code usr/lib/firmware/} of a
 * searched directory, are firmware directories.
 */
public final class Discovery {
    static final int MAX_DEPTH = 4;
    /** An input directory of this name is a firmware directory. */
    static final String FIRMWARE = "firmware";
    static final String LOOKED_FOR = "lib/modules/<release>/, usr/lib/modules/<release>/, a directory holding "
            + "kernel/, modules.* files or *.ko, *.ko.xz, *.ko.zst, *.ko.gz files, package files "
            + "(.deb, .rpm, .tar, .tar.xz, .tar.zst, .tar.gz), or lib/firmware/, usr/lib/firmware/";
    private static final Pattern KERNEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]*");

    private Discovery() {
    }

    /** What the inputs hold: release trees and package files, each in input order. */
    public record Found(List<Release> releases, List<PackageInput> packages, List<FirmwareDir> firmwareDirs) {
        public Found(List<Release> releases, List<PackageInput> packages) {
            this(releases, packages, List.of());
        }

        public boolean isEmpty() {
            return releases.isEmpty() && packages.isEmpty() && firmwareDirs.isEmpty();
        }
    }

    /** A child of a directory: name, location and whether it is a directory (links followed). */
    record Entry(String name, String location, boolean dir, boolean file) {
    }

    /** The little the search needs from a file system. */
    interface Tree {
        /** The entries of a directory, sorted by name; null when {@code location} is not a directory. */
        List<Entry> list(String location) throws IOException;

        /** An identity for loop detection. */
        Object key(String location) throws IOException;

        /** A file as a package input (size and modification time). */
        PackageInput packageAt(String location) throws IOException;

        boolean local();
    }

    /** Releases of every input, in input order; refuses inputs that are missing or hold no release. */
    public static List<Release> find(List<String> inputs, String kernel, Configuration conf) {
        Found f = findAll(inputs, kernel, conf);
        if (!f.packages().isEmpty()) {
            throw ScanException.usage("the inputs hold package files (" + f.packages().get(0).location()
                    + "); this command reads trees only");
        }
        return f.releases();
    }

    /**
     * Releases and packages of every input, in input order; refuses inputs that are missing or hold
     * neither. A package file may be an input itself, or lie in a directory the search visits.
     */
    public static Found findAll(List<String> inputs, String kernel, Configuration conf) {
        if (inputs.isEmpty()) {
            throw ScanException.usage("no INPUT given: name at least one kernel tree, package file or firmware "
                    + "directory, or give --firmware-dir DIR");
        }
        if (kernel != null && !KERNEL_NAME.matcher(kernel).matches()) {
            throw ScanException.usage("--kernel '" + kernel + "' is not a kernel release name "
                    + "(letters, digits and . _ + ~ -, starting with a letter or digit)");
        }
        Map<String, Release> byKernel = new LinkedHashMap<>();
        Map<String, String> realRoots = new LinkedHashMap<>();
        Map<String, PackageInput> packages = new LinkedHashMap<>();
        Map<String, FirmwareDir> firmwareDirs = new LinkedHashMap<>();
        for (String input : inputs) {
            Found one = findOne(input, conf);
            one.packages().forEach(p -> packages.putIfAbsent(p.location(), p));
            one.firmwareDirs().forEach(d -> firmwareDirs.putIfAbsent(realLocation(d.location(), d.local()), d));
            for (Release r : one.releases()) {
                String real = realLocation(r);
                Release seen = byKernel.get(r.kernel());
                if (seen != null) {
                    if (realRoots.get(r.kernel()).equals(real)) {
                        continue; // the same directory reached twice (lib -> usr/lib)
                    }
                    throw ScanException.usage("release " + r.kernel() + " found twice: " + seen.root() + " and "
                            + r.root() + "; scan them in separate runs or name one with --kernel");
                }
                byKernel.put(r.kernel(), r);
                realRoots.put(r.kernel(), real);
            }
        }
        List<Release> out = new ArrayList<>(byKernel.values());
        if (kernel != null && !packages.isEmpty()) {
            throw ScanException.usage("--kernel names a single tree, but the inputs hold package files, which name "
                    + "their releases themselves (" + packages.keySet().iterator().next() + ")");
        }
        if (kernel != null) {
            if (out.size() != 1) {
                List<String> names = new ArrayList<>(byKernel.keySet());
                throw ScanException.usage("--kernel " + kernel + " names a single tree, but the inputs hold "
                        + out.size() + " releases: " + String.join(", ", names));
            }
            Release only = out.get(0);
            out = List.of(new Release(kernel, only.root(), only.local(), only.source()));
        }
        return new Found(out, List.copyOf(packages.values()), List.copyOf(firmwareDirs.values()));
    }

    /** Releases and packages under one input. */
    public static Found findOne(String input, Configuration conf) {
        Tree tree = treeFor(input, conf);
        String root = rootOf(input);
        List<Entry> top = listInput(tree, root, input, "input");
        if (top == null) {
            if (!PackageInput.isPackageName(name(root))) {
                throw ScanException.usage("input is neither a directory nor a package file (" + String.join(", ",
                        PackageInput.SUFFIXES) + "): " + input);
            }
            try {
                return new Found(List.of(), List.of(tree.packageAt(root)));
            } catch (IOException e) {
                throw ScanException.usage("input not readable: " + input + " (" + e.getMessage() + ")");
            }
        }
        if (name(root).equals(FIRMWARE)) {
            return new Found(List.of(), List.of(), List.of(new FirmwareDir(root, tree.local())));
        }
        List<Release> found = new ArrayList<>();
        List<PackageInput> packages = new ArrayList<>();
        List<FirmwareDir> firmware = new ArrayList<>();
        search(tree, root, root, name(root), top, 0, new HashSet<>(), found, packages, firmware);
        if (found.isEmpty() && packages.isEmpty() && firmware.isEmpty()) {
            throw ScanException.usage("no kernel release found in " + input + ": looked for " + LOOKED_FOR);
        }
        return new Found(found, packages, firmware);
    }

    /** A directory given as a firmware directory (--firmware-dir): it must be one. */
    public static FirmwareDir firmwareDir(String input, Configuration conf) {
        Tree tree = treeFor(input, conf);
        String root = rootOf(input);
        List<Entry> top = listInput(tree, root, input, "--firmware-dir");
        if (top == null) {
            throw ScanException.usage("--firmware-dir is not a directory: " + input);
        }
        return new FirmwareDir(root, tree.local());
    }

    /** The entries of an input's top directory, null for a file; refuses what is missing or unreadable. */
    private static List<Entry> listInput(Tree tree, String root, String input, String what) {
        try {
            return tree.list(root);
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw ScanException.usage(what + " not found: " + input);
        } catch (IOException | RuntimeException e) {
            if (!tree.local()) {
                throw StoreErrors.input(input, e); // credentials, an unreachable store
            }
            throw local(input, e);
        }
    }

    private static ScanException local(String input, Exception e) {
        if (e instanceof AccessDeniedException) {
            return ScanException.usage("input not readable: " + input + " (permission denied)");
        }
        return ScanException.usage("input not readable: " + input + " (" + e.getMessage() + ")");
    }

    private static void search(Tree tree, String source, String dir, String dirName, List<Entry> children,
                               int depth, Set<Object> visited, List<Release> found, List<PackageInput> packages,
                               List<FirmwareDir> firmware) {
        try {
            if (!visited.add(tree.key(dir))) {
                return; // a link loop, or a directory reached twice
            }
        } catch (IOException e) {
            return;
        }
        if (looksLikeRelease(children)) {
            found.add(new Release(dirName, dir, tree.local(), source));
            return;
        }
        for (Entry e : children) {
            if (e.file() && PackageInput.isPackageName(e.name())) {
                try {
                    packages.add(tree.packageAt(e.location()));
                } catch (IOException ignored) {
                    // vanished since listed
                }
            }
        }
        boolean any = false;
        for (String base : List.of("lib/firmware", "usr/lib/firmware")) {
            String fw = child(tree, dir, base);
            if (listQuietly(tree, fw) != null) {
                firmware.add(new FirmwareDir(fw, tree.local()));
                any = true;
            }
        }
        for (String base : List.of("lib/modules", "usr/lib/modules")) {
            List<Entry> releases = listQuietly(tree, child(tree, dir, base));
            if (releases == null) {
                continue;
            }
            for (Entry e : releases) {
                if (e.dir()) {
                    found.add(new Release(e.name(), e.location(), tree.local(), source));
                    any = true;
                }
            }
        }
        if (any || depth >= MAX_DEPTH) {
            return;
        }
        for (Entry e : children) {
            if (e.dir()) {
                List<Entry> grand = listQuietly(tree, e.location());
                if (grand != null) {
                    search(tree, source, e.location(), e.name(), grand, depth + 1, visited, found, packages, firmware);
                }
            }
        }
    }

    static boolean looksLikeRelease(List<Entry> children) {
        for (Entry e : children) {
            if (e.dir() && e.name().equals("kernel")) {
                return true;
            }
            if (e.file() && (e.name().startsWith("modules.") || ModuleNames.isModuleFileName(e.name()))) {
                return true;
            }
        }
        return false;
    }

    private static List<Entry> listQuietly(Tree tree, String location) {
        try {
            return tree.list(location);
        } catch (IOException e) {
            return null;
        }
    }

    private static String child(Tree tree, String dir, String rel) {
        if (tree.local()) {
            return Paths.get(dir).resolve(rel).toString();
        }
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(dir), rel).toString();
    }

    private static String name(String root) {
        String s = root.endsWith("/") && root.length() > 1 ? root.substring(0, root.length() - 1) : root;
        return s.substring(s.lastIndexOf('/') + 1);
    }

    private static String realLocation(Release r) {
        return realLocation(r.root(), r.local());
    }

    private static String realLocation(String location, boolean local) {
        if (!local) {
            return location;
        }
        try {
            return Paths.get(location).toRealPath().toString();
        } catch (IOException e) {
            return location;
        }
    }

    /** True when an input names the local file system: a plain path or a file: URI. */
    public static boolean isLocal(String input) {
        return input.startsWith("file:") || !input.contains("://");
    }

    /** The normalized root location: an absolute local path, or a Hadoop URI. */
    public static String rootOf(String input) {
        if (input.startsWith("file:")) {
            try {
                return Paths.get(java.net.URI.create(input)).toAbsolutePath().normalize().toString();
            } catch (IllegalArgumentException e) {
                throw ScanException.usage("not a usable file: URI: " + input + " (" + e.getMessage() + ")");
            }
        }
        if (isLocal(input)) {
            return Paths.get(input).toAbsolutePath().normalize().toString();
        }
        return new org.apache.hadoop.fs.Path(input).toString();
    }

    static Tree treeFor(String input, Configuration conf) {
        if (isLocal(input)) {
            return new LocalTree();
        }
        org.apache.hadoop.fs.Path p;
        try {
            p = new org.apache.hadoop.fs.Path(input);
        } catch (IllegalArgumentException e) {
            throw ScanException.usage("input " + input + " is not a usable URI (" + e.getMessage() + ")");
        }
        try {
            return new HadoopTree(p.getFileSystem(conf));
        } catch (IOException | RuntimeException | LinkageError e) {
            throw StoreErrors.input(input, e);
        }
    }

    /** java.nio; links are followed, which is why loops are tracked by file key. */
    static final class LocalTree implements Tree {
        @Override
        public List<Entry> list(String location) throws IOException {
            Path dir = Paths.get(location);
            if (!Files.exists(dir)) {
                throw new NoSuchFileException(location);
            }
            if (!Files.isDirectory(dir)) {
                return null;
            }
            List<Entry> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    out.add(new Entry(p.getFileName().toString(), p.toString(), Files.isDirectory(p),
                            Files.isRegularFile(p)));
                }
            }
            out.sort(Comparator.comparing(Entry::name));
            return out;
        }

        @Override
        public PackageInput packageAt(String location) throws IOException {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(Paths.get(location),
                    java.nio.file.attribute.BasicFileAttributes.class);
            return new PackageInput(location, true, a.size(), a.lastModifiedTime().toMillis());
        }

        @Override
        public Object key(String location) throws IOException {
            Object k = Files.readAttributes(Paths.get(location), java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
            return k != null ? k : Paths.get(location).toRealPath().toString();
        }

        @Override
        public boolean local() {
            return true;
        }
    }

    /** Hadoop listStatus only: no listFiles, no permission or owner lookups. */
    static final class HadoopTree implements Tree {
        private final FileSystem fs;

        HadoopTree(FileSystem fs) {
            this.fs = fs;
        }

        @Override
        public List<Entry> list(String location) throws IOException {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
            FileStatus st = fs.getFileStatus(p);
            if (!st.isDirectory()) {
                return null;
            }
            List<Entry> out = new ArrayList<>();
            for (FileStatus s : fs.listStatus(p)) {
                out.add(new Entry(s.getPath().getName(), s.getPath().toString(), s.isDirectory(), s.isFile()));
            }
            out.sort(Comparator.comparing(Entry::name));
            return out;
        }

        @Override
        public Object key(String location) {
            return location;
        }

        @Override
        public PackageInput packageAt(String location) throws IOException {
            FileStatus s = fs.getFileStatus(new org.apache.hadoop.fs.Path(location));
            return new PackageInput(s.getPath().toString(), false, s.getLen(), s.getModificationTime());
        }

        @Override
        public boolean local() {
            return false;
        }
    }
}
