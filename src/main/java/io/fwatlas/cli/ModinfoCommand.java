package io.fwatlas.cli;

import io.fwatlas.module.FileByteSource;
import io.fwatlas.module.ModinfoStrings;
import io.fwatlas.module.ModuleException;
import io.fwatlas.module.ModuleImage;
import io.fwatlas.module.ModuleReader;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints module information the way kmod's {@code modinfo} does for module files, byte for byte:
 * the same fields, order, layout and separators. Module strings are copied as raw bytes, since
 * they need not be valid UTF-8. Uses no Spark class, so it starts fast.
 */
@Command(name = "modinfo", mixinStandardHelpOptions = true,
        description = {"Print module information like kmod's modinfo, for module files.",
            "Standard output matches `modinfo [-F field] [-0] FILE...` byte for byte. Unlike kmod, "
                    + "every argument is a file (kmod looks up names without a module suffix "
                    + "as aliases), and .ko.gz is read even where kmod was built without zlib."},
        exitCodeOnExecutionException = 1)
public final class ModinfoCommand implements Callable<Integer> {
    private static final byte[] PARM = ascii("parm");
    private static final byte[] PARMTYPE = ascii("parmtype");

    private long maxModuleSize = ModuleReader.DEFAULT_MAX_SIZE;
    private int threads = Runtime.getRuntime().availableProcessors();
    // The raw descriptor, not System.out: a PrintStream hides write errors such as a closed pipe.
    private OutputStream stdout = new FileOutputStream(FileDescriptor.out);

    @Spec
    CommandSpec spec;

    /** The -F field; null for the full listing. */
    String field;

    // A list so that -F may repeat: kmod takes the last. picocli calls this once per value (first
    // with an empty list), in command-line order with the shorthands below.
    @Option(names = {"-F", "--field"}, paramLabel = "FIELD",
            description = "Print only this field's values, one per line (filename and parm are special, as in kmod).")
    void setField(List<String> fields) {
        if (!fields.isEmpty()) {
            field = fields.get(fields.size() - 1);
        }
    }

    @Option(names = {"-0", "--null"}, description = "End each value with NUL instead of a newline.")
    boolean nul;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Module files (.ko, .ko.xz, .ko.zst, .ko.gz).")
    List<String> files;

    // kmod's shorthands for -F; like kmod, the last of them on the command line wins.
    @Option(names = {"-a", "--author"}, description = "Same as -F author.")
    void author(boolean on) {
        field = "author";
    }

    @Option(names = {"-d", "--description"}, description = "Same as -F description.")
    void description(boolean on) {
        field = "description";
    }

    @Option(names = {"-l", "--license"}, description = "Same as -F license.")
    void license(boolean on) {
        field = "license";
    }

    @Option(names = {"-p", "--parameters"}, description = "Same as -F parm.")
    void parameters(boolean on) {
        field = "parm";
    }

    @Option(names = {"-n", "--filename"}, description = "Same as -F filename.")
    void filename(boolean on) {
        field = "filename";
    }

    @Option(names = "--threads", paramLabel = "N",
            description = "Files read at once (output order is unchanged). Default: the number of CPUs.")
    void setThreads(int n) {
        if (n < 1) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--threads': " + n + " (must be at least 1)");
        }
        threads = n;
    }

    @Option(names = "--max-module-size", paramLabel = "BYTES",
            description = "Largest decompressed module or .modinfo section to accept; suffixes K/KiB, M/MiB, G/GiB. "
                    + "Default: 512M.")
    void setMaxModuleSize(String value) {
        long n;
        try {
            n = ModuleSize.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        maxModuleSize = n;
    }

    /** Where the module bytes go; standard output unless a caller (a test) redirects it. */
    public void setOutput(OutputStream out) {
        this.stdout = out;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Charset pathCharset = pathCharset();
        byte sep = nul ? (byte) 0 : (byte) '\n';
        byte[] fieldBytes = field == null ? null : field.getBytes(pathCharset);
        boolean failed;
        OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
        try {
            failed = printAll(out, err, pathCharset, sep, fieldBytes);
            out.flush();
        } catch (IOException e) {
            // Reading errors are handled per file inside, so this is the output failing.
            if ("Broken pipe".equals(e.getMessage())) {
                return 141; // the reader went away (| head): quiet, with the status kmod dying of SIGPIPE has
            }
            err.println("modinfo: ERROR: cannot write output: " + e.getMessage());
            failed = true;
        } finally {
            err.flush();
        }
        return failed ? 1 : 0;
    }

    /**
     * Prints every file in the order given; true when any failed. Files are read ahead on a few
     * threads (decompressing xz dominates), but output and messages come out as if read one by one.
     * Throws only when writing the output fails.
     */
    private boolean printAll(OutputStream out, PrintWriter err, Charset pathCharset, byte sep, byte[] fieldBytes)
            throws IOException {
        String cwd = currentDir();
        boolean failed = false;
        int n = Math.min(threads, files.size());
        if (n <= 1) {
            for (String file : files) {
                failed |= !print(out, err, load(file, cwd, pathCharset), sep, fieldBytes);
            }
            return failed;
        }
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "modinfo-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<Loaded>> ahead = new ArrayDeque<>();
            Iterator<String> next = files.iterator();
            while (next.hasNext() || !ahead.isEmpty()) {
                // a bounded window keeps at most a few decompressed modules in memory
                while (next.hasNext() && ahead.size() < 2 * n) {
                    String file = next.next();
                    ahead.add(pool.submit(() -> load(file, cwd, pathCharset)));
                }
                failed |= !print(out, err, await(ahead.poll()), sep, fieldBytes);
            }
        } finally {
            pool.shutdownNow();
        }
        return failed;
    }

    private static Loaded await(Future<Loaded> f) throws IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("module reader failed", e.getCause()); // load catches everything
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading modules");
        }
    }

    /**
     * One argument, read: {@code statProblem} set when kmod would not even take it as a module file,
     * else the absolute name and either the strings or {@code readProblem}.
     */
    private record Loaded(String file, String statProblem, byte[] filename, List<byte[][]> entries,
                          String readProblem) {
    }

    private Loaded load(String file, String cwd, Charset pathCharset) {
        Path path;
        BasicFileAttributes attrs;
        try {
            path = Path.of(file);
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return new Loaded(file, "no such file", null, null, null);
        } catch (InvalidPathException | IOException e) {
            return new Loaded(file, "cannot stat: " + e.getMessage(), null, null, null);
        }
        if (!attrs.isRegularFile()) {
            return new Loaded(file, attrs.isDirectory() ? "is a directory" : "is not a regular file", null, null, null);
        }
        // kmod prints cwd + "/" + path for a relative path, without normalising it
        byte[] filename = (file.startsWith("/") ? file : cwd + "/" + file).getBytes(pathCharset);
        if ("filename".equals(field)) {
            return new Loaded(file, null, filename, List.of(), null); // kmod prints the name without opening the file
        }
        try {
            return new Loaded(file, null, filename, read(path), null);
        } catch (ModuleException e) {
            return new Loaded(file, null, filename, null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return new Loaded(file, null, filename, null, "read failed: " + e);
        }
    }

    /** Prints one file as kmod would; false (after a message on stderr) when it could not be read. */
    private boolean print(OutputStream out, PrintWriter err, Loaded m, byte sep, byte[] fieldBytes)
            throws IOException {
        if (m.statProblem() != null) {
            return fail(err, m.file(), m.statProblem());
        }
        if ("filename".equals(field)) {
            out.write(m.filename());
            out.write(sep);
            return true;
        }
        if (field == null) {
            // printf("%-16s%s%c", "filename:", ...) comes before kmod reads the module
            out.write(padRight("filename:", 16));
            out.write(m.filename());
            out.write(sep);
        }
        if (m.readProblem() != null) {
            return fail(err, m.file(), m.readProblem());
        }
        if (field == null) {
            printListing(out, err, m.entries(), sep);
        } else if (field.equals("parm")) {
            printParms(out, err, m.entries(), sep, false);
        } else {
            for (byte[][] kv : m.entries()) {
                if (Arrays.equals(kv[0], fieldBytes)) {
                    out.write(kv[1]);
                    out.write(sep);
                }
            }
        }
        return true;
    }

    /** The {@code .modinfo} strings as key, value byte pairs in section order, then kmod's signature strings. */
    private List<byte[][]> read(Path path) throws IOException, ModuleException {
        try (FileByteSource src = FileByteSource.open(path);
                ModuleImage image = ModuleImage.open(src, maxModuleSize)) {
            byte[] modinfo = image.modinfo(maxModuleSize);
            int[] b = ModinfoStrings.bounds(modinfo, 0, modinfo.length);
            List<byte[][]> entries = new ArrayList<>(b.length / 2 + 5);
            for (int k = 0; k < b.length; k += 2) {
                int eq = ModinfoStrings.equalsAt(modinfo, b[k], b[k + 1]);
                // a string without '=' is a key with an empty value
                int keyEnd = eq < 0 ? b[k + 1] : eq;
                int valueStart = eq < 0 ? b[k + 1] : eq + 1;
                entries.add(new byte[][] {
                    Arrays.copyOfRange(modinfo, b[k], keyEnd),
                    Arrays.copyOfRange(modinfo, valueStart, b[k + 1])});
            }
            entries.addAll(KmodSignature.entries(image.signature()));
            return entries;
        }
    }

    /** kmod without -F: {@code key:} padded to 16 columns, parm/parmtype merged and printed last. */
    private static void printListing(OutputStream out, PrintWriter err, List<byte[][]> entries, byte sep)
            throws IOException {
        for (byte[][] kv : entries) {
            byte[] key = kv[0];
            if (Arrays.equals(key, PARM) || Arrays.equals(key, PARMTYPE)) {
                continue;
            }
            out.write(key);
            if (sep == 0) {
                out.write('=');
            } else {
                out.write(':');
                // printf("%s:%-*s", key, 15 - strlen(key), ""): a negative width pads to |width|
                spaces(out, Math.abs(15 - key.length));
            }
            out.write(kv[1]);
            out.write(sep);
        }
        printParms(out, err, entries, sep, true);
    }

    /**
     * kmod merges {@code parm=name:desc} and {@code parmtype=name:type} by name; a later string
     * replaces an earlier one's part, and names come out newest first (kmod prepends to a list).
     */
    private static void printParms(OutputStream out, PrintWriter err, List<byte[][]> entries, byte sep,
                                   boolean withLabel) throws IOException {
        List<byte[][]> params = new ArrayList<>(); // name, description, type
        for (byte[][] kv : entries) {
            boolean isParm = Arrays.equals(kv[0], PARM);
            if (!isParm && !Arrays.equals(kv[0], PARMTYPE)) {
                continue;
            }
            byte[] value = kv[1];
            int colon = indexOf(value, (byte) ':');
            if (colon < 0) {
                err.println("modinfo: ERROR: Found invalid \"" + text(kv[0]) + "=" + text(value)
                        + "\": missing ':'");
                continue;
            }
            byte[] name = Arrays.copyOf(value, colon);
            byte[] rest = Arrays.copyOfRange(value, colon + 1, value.length);
            byte[][] p = null;
            for (byte[][] q : params) {
                if (Arrays.equals(q[0], name)) {
                    p = q;
                    break;
                }
            }
            if (p == null) {
                p = new byte[3][];
                p[0] = name;
                params.add(p);
            }
            p[isParm ? 1 : 2] = rest;
        }
        for (int i = params.size() - 1; i >= 0; i--) {
            byte[][] p = params.get(i);
            byte[] name = p[0];
            byte[] desc = p[1];
            byte[] type = p[2];
            if (withLabel) {
                out.write(padRight("parm:", 16));
            }
            out.write(name);
            out.write(':');
            if (desc == null) {
                // kmod differs here between -F parm ("name: (type)") and the full listing ("name:type")
                if (withLabel) {
                    out.write(type);
                } else {
                    out.write(' ');
                    out.write('(');
                    out.write(type);
                    out.write(')');
                }
            } else {
                out.write(desc);
                if (type != null) {
                    out.write(' ');
                    out.write('(');
                    out.write(type);
                    out.write(')');
                }
            }
            out.write(sep);
        }
    }

    private static boolean fail(PrintWriter err, String file, String problem) {
        err.println("modinfo: ERROR: " + file + ": " + problem);
        err.flush();
        return false;
    }

    /**
     * The directory kmod's path_make_absolute_cwd uses: glibc's get_current_dir_name, which trusts
     * $PWD when it names the current directory (so a path through a symlink stays as typed).
     */
    static String currentDir() {
        String dot = System.getProperty("user.dir");
        String pwd = System.getenv("PWD");
        if (pwd != null && pwd.startsWith("/")) {
            try {
                if (Files.isSameFile(Path.of(pwd), Path.of(dot))) {
                    return pwd;
                }
            } catch (IOException | InvalidPathException e) {
                // fall back to getcwd, as glibc does
            }
        }
        return dot;
    }

    /** The charset the JVM decoded argv with, so a name encodes back to the bytes the user gave. */
    private static Charset pathCharset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static void spaces(OutputStream out, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            out.write(' ');
        }
    }

    private static byte[] padRight(String s, int width) {
        byte[] b = Arrays.copyOf(ascii(s), Math.max(width, s.length()));
        Arrays.fill(b, s.length(), b.length, (byte) ' ');
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
