package io.fwatlas.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;

/**
 * The output directory: three kernel-partitioned tables, a format marker, a lock and the staging
 * area through which every run commits.
 *
 * <pre>
 * OUT/_fwatlas.json                    format marker {"format":"fwatlas-tables","version":1}
 * OUT/_lock                            held by a running scan (run id, pid, host)
 * OUT/{firmware,modinfo,modules}/kernel=RELEASE/part-*.parquet
 * OUT/_staging/RUN/{table}/kernel=...  a run's new partitions, written by Spark
 * OUT/_staging/RUN/_commit.json        the journal: written once staging is complete
 * OUT/_staging/RUN/_old/{table}/...    replaced partitions, deleted after the swap
 * OUT/_manifests/KERNEL.json           the tree a kernel's live partitions were read from
 * OUT/_manifests/_packages/ID.json     a package, and the kernels whose live partitions hold its rows
 * </pre>
 *
 * <p>Protocol: Spark writes the new partitions of all three tables under the run's staging
 * directory. Only then is the journal written (to a temporary name, then renamed: the commit
 * point). The swap then, for each (table, kernel): renames the live partition into {@code _old},
 * renames the staged one into place, and finally deletes the journal and the staging directory.
 * A run killed before the commit point leaves the tables untouched and its staging is deleted at
 * the next start; a run killed after it is rolled forward at the next start from the journal.
 * Each swap step checks what exists, so finishing a swap twice is harmless.
 *
 * <p>Manifests ({@code OUT/_manifests/<kernel>.json}, see {@link ReleaseManifest}) say which
 * inputs a kernel's live partitions were read from; an incremental scan trusts them to skip
 * releases, so one must never describe partitions that are not live. The order that keeps it so:
 * <ol>
 * <li>the manifests of every kernel of the commit are deleted, before the commit point and so
 *     before any partition is touched;</li>
 * <li>the journal, which also carries the new manifests, is written (the commit point);</li>
 * <li>the swap goes kernel by kernel; after a kernel's three partitions are in place its new
 *     manifest is written (temporary name, then rename); a pruned kernel gets none;</li>
 * <li>the journal and staging are deleted.</li>
 * </ol>
 * Killed before 2: recovery discards the staging; the old partitions are intact and their
 * manifests are either still there (killed before 1, still true) or gone (the release is just
 * rescanned next time). Killed after 2: recovery redoes the swap from the journal, then writes
 * the journal's manifests, which now describe the live partitions. At no point does a manifest
 * exist for a kernel whose partitions are half swapped or older than it.
 *
 * <p>Package manifests follow the same rule: before the commit point every package manifest that
 * names a kernel of the commit is deleted (its rows there are being replaced); the journal carries
 * the new ones, which are written once the whole swap is done.
 */
public final class TableStore implements AutoCloseable {
    public static final String MARKER = "_fwatlas.json";
    public static final String FORMAT = "fwatlas-tables";
    public static final int FORMAT_VERSION = 2;
    static final String LOCK = "_lock";
    static final String STAGING = "_staging";
    static final String JOURNAL = "_commit.json";
    static final String OLD = "_old";
    static final String MANIFESTS = "_manifests";
    static final String PACKAGE_MANIFESTS = "_packages";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path out;
    private final String runId;
    private final PrintWriter log;
    private boolean locked;

    private TableStore(FileSystem fs, Path out, String runId, PrintWriter log) {
        this.fs = fs;
        this.out = out;
        this.runId = runId;
        this.log = log;
    }

    /** The output location as a qualified Hadoop path; plain paths are made absolute. */
    public static Path location(String output) {
        if (output.isBlank()) {
            throw ScanException.usage("--output is empty");
        }
        if (Discovery.isLocal(output) && !output.startsWith("file:")) {
            return new Path("file", null, Paths.get(output).toAbsolutePath().normalize().toString());
        }
        return new Path(output);
    }

    /**
     * Checks the output, creates it (with its marker) when new, takes the lock and finishes or
     * removes what an interrupted run left behind.
     */
    public static TableStore open(String output, Configuration conf, PrintWriter log) {
        Path out = location(output);
        FileSystem fs;
        try {
            fs = fileSystem(out, conf);
        } catch (IOException | RuntimeException e) {
            throw new ScanException(ScanException.FAILURE, "cannot open the file system of output " + output
                    + ": " + e.getMessage(), e);
        }
        String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        TableStore store = new TableStore(fs, out, run, log);
        try {
            store.prepare(output);
            store.lock();
            store.recover();
        } catch (IOException e) {
            store.close();
            throw new ScanException(ScanException.FAILURE, "cannot use output " + output + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The file system of {@code p}; the local one without .crc side files, which nothing here reads. */
    static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        return fs instanceof LocalFileSystem lfs ? lfs.getRawFileSystem() : fs;
    }

    private void prepare(String output) throws IOException {
        FileStatus st;
        try {
            st = fs.getFileStatus(out);
        } catch (FileNotFoundException e) {
            st = null;
        }
        if (st != null && !st.isDirectory()) {
            throw ScanException.usage("output " + output + " is a file, not an fwatlas table directory");
        }
        if (st == null) {
            try {
                if (!fs.mkdirs(out)) {
                    throw new ScanException(ScanException.FAILURE, "cannot create output directory " + output);
                }
            } catch (IOException e) {
                throw new ScanException(ScanException.FAILURE, "cannot create output directory " + output + ": "
                        + e.getMessage(), e);
            }
            writeMarker();
            return;
        }
        Path marker = new Path(out, MARKER);
        if (!fs.exists(marker)) {
            if (fs.listStatus(out).length > 0) {
                throw ScanException.usage("output " + output + " exists but is not an fwatlas table (no " + MARKER
                        + "); name a new or empty directory");
            }
            writeMarker();
            return;
        }
        JsonNode m;
        try (InputStream in = fs.open(marker)) {
            m = JSON.readTree(in);
        } catch (IOException e) {
            throw ScanException.usage("output " + output + " has an unreadable " + MARKER + ": " + e.getMessage());
        }
        if (m == null || !FORMAT.equals(m.path("format").asText()) || !m.path("version").isInt()) {
            throw ScanException.usage("output " + output + " has a " + MARKER + " that is not an fwatlas marker");
        }
        if (m.path("version").asInt() != FORMAT_VERSION) {
            throw ScanException.usage("output " + output + " holds tables of format version "
                    + m.path("version").asInt() + "; this fwatlas writes version " + FORMAT_VERSION);
        }
    }

    private void writeMarker() throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", FORMAT);
        m.put("version", FORMAT_VERSION);
        m.put("partitioned_by", Tables.PARTITION_COLUMN);
        ArrayNode t = m.putArray("tables");
        Tables.NAMES.forEach(t::add);
        Tables.INPUT_TABLES.forEach(t::add);
        writeAtomically(new Path(out, MARKER), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    }

    private void lock() throws IOException {
        Path lock = new Path(out, LOCK);
        ObjectNode l = JSON.createObjectNode();
        l.put("run", runId);
        l.put("pid", ProcessHandle.current().pid());
        l.put("host", host());
        byte[] body = JSON.writeValueAsBytes(l);
        for (int attempt = 0; attempt < 2; attempt++) {
            try (OutputStream o = fs.create(lock, false)) {
                o.write(body);
                locked = true;
                return;
            } catch (FileAlreadyExistsException e) {
                JsonNode held = readJson(lock);
                long pid = held == null ? -1 : held.path("pid").asLong(-1);
                String h = held == null ? "?" : held.path("host").asText("?");
                boolean dead = held != null && h.equals(host())
                        && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
                if (!dead) {
                    throw ScanException.usage("another scan is writing " + out + " (" + LOCK + " held by pid " + pid
                            + " on " + h + "); if that run is gone, delete " + new Path(out, LOCK));
                }
                log.println("fwatlas scan: taking over the lock of dead run " + held.path("run").asText());
                fs.delete(lock, false);
            }
        }
        throw new IOException("could not take " + lock);
    }

    /** Finishes journaled swaps and removes unfinished staging left by killed runs. */
    void recover() throws IOException {
        Path staging = new Path(out, STAGING);
        if (!fs.exists(staging)) {
            return;
        }
        for (FileStatus s : fs.listStatus(staging)) {
            if (!s.isDirectory() || s.getPath().getName().equals(runId)) {
                continue;
            }
            Path runDir = s.getPath();
            Path journal = new Path(runDir, JOURNAL);
            if (fs.exists(journal)) {
                JsonNode j = readJson(journal);
                if (j == null) {
                    throw new IOException("unreadable journal " + journal + "; inspect it by hand");
                }
                swap(runDir, entries(j), manifests(j), false);
                for (JsonNode pm : j.path("package_manifests")) {
                    PackageManifest m = PackageManifest.fromNode(pm);
                    if (m != null) {
                        writePackageManifest(m);
                    }
                }
                fs.delete(journal, false);
                log.println("fwatlas scan: finished the interrupted commit of run " + runDir.getName());
            } else {
                log.println("fwatlas scan: removed the unfinished staging of run " + runDir.getName()
                        + " (its tables were never touched)");
            }
            fs.delete(runDir, true);
        }
    }

    public String runId() {
        return runId;
    }

    public Path output() {
        return out;
    }

    public Path runDir() {
        return new Path(new Path(out, STAGING), runId);
    }

    /** Where Spark writes the new partitions of {@code table}. */
    public Path staging(String table) {
        return new Path(runDir(), table);
    }

    public Path table(String table) {
        return new Path(out, table);
    }

    /** Removes what failed task attempts left in the staging; the bins' committed files stay. */
    void discardTasks() throws IOException {
        fs.delete(new Path(runDir(), BinWriter.TASKS), true);
    }

    /** A journal entry: one partition directory of one table, and whether the run staged it. */
    record Entry(String table, String partition, boolean staged) {
    }

    /**
     * Makes the staged partitions of {@code kernels} live and records their manifests; kernels with
     * nothing staged lose their old rows, and kernels without a manifest in {@code manifests}
     * (pruned ones) end with none. See the class comment for the order.
     */
    public void commit(List<String> kernels, Map<String, ReleaseManifest> manifests) throws IOException {
        commit(kernels, manifests, List.of());
    }

    /** As {@link #commit(List, Map)}, also recording the manifests of the packages this run read. */
    public void commit(List<String> kernels, Map<String, ReleaseManifest> manifests, List<PackageManifest> packages)
            throws IOException {
        commit(kernels, manifests, packages, List.of(), List.of(), List.of());
    }

    /**
     * As {@link #commit(List, Map, List)}; also replaces the rows of each firmware input in
     * {@code inputs} (by location) in the {@link Tables#INPUT_TABLES} with what the run staged for it
     * (none: its rows go), forgets the packages in {@code dropped} (their manifests and firmware
     * rows) and removes the firmware rows in the files {@code droppedFiles} ({@link #inputFiles}).
     */
    public void commit(List<String> kernels, Map<String, ReleaseManifest> manifests, List<PackageManifest> packages,
                       List<String> inputs, List<String> dropped, List<String> droppedFiles) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Set<String> inputFiles = new java.util.LinkedHashSet<>();
        inputs.forEach(l -> inputFiles.add(Tables.inputFile(l)));
        dropped.forEach(l -> inputFiles.add(Tables.inputFile(l)));
        inputFiles.addAll(droppedFiles);
        for (String f : inputFiles) {
            for (String t : Tables.INPUT_TABLES) {
                entries.add(new Entry(t, f, fs.exists(new Path(staging(t), f))));
            }
        }
        for (String k : kernels) {
            String part = partition(k);
            for (String t : Tables.NAMES) {
                entries.add(new Entry(t, part, fs.exists(new Path(staging(t), part))));
            }
        }
        for (String k : kernels) {
            deleteManifest(k);
        }
        Set<String> committing = new HashSet<>(kernels);
        for (PackageManifest pm : packageManifests().values()) {
            if (pm.kernels().stream().anyMatch(committing::contains)) {
                deletePackageManifest(pm.location());
            }
        }
        for (PackageManifest pm : packages) {
            deletePackageManifest(pm.location());
        }
        for (String l : dropped) {
            deletePackageManifest(l);
        }
        ObjectNode j = JSON.createObjectNode();
        j.put("run", runId);
        ArrayNode a = j.putArray("entries");
        for (Entry e : entries) {
            a.addObject().put("table", e.table()).put("partition", e.partition()).put("staged", e.staged());
        }
        ArrayNode m = j.putArray("manifests");
        Map<String, ReleaseManifest> byPartition = new HashMap<>();
        for (String k : kernels) {
            ReleaseManifest rm = manifests.get(k);
            if (rm != null) {
                m.add(rm.toNode());
                byPartition.put(partition(k), rm);
            }
        }
        ArrayNode pa = j.putArray("package_manifests");
        packages.forEach(pm -> pa.add(pm.toNode()));
        writeAtomically(new Path(runDir(), JOURNAL), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(j));
        swap(runDir(), entries, byPartition, true);
        for (PackageManifest pm : packages) {
            writePackageManifest(pm);
        }
        fs.delete(new Path(runDir(), JOURNAL), false);
        fs.delete(runDir(), true);
        Path staging = new Path(out, STAGING);
        if (fs.exists(staging) && fs.listStatus(staging).length == 0) {
            fs.delete(staging, false);
        }
    }

    /** The files of the firmware tables ({@link Tables#inputFile}), one per input they hold rows of. */
    public Set<String> inputFiles() throws IOException {
        Set<String> found = new TreeSet<>();
        for (String t : Tables.INPUT_TABLES) {
            Path dir = table(t);
            if (fs.exists(dir)) {
                for (FileStatus s : fs.listStatus(dir)) {
                    if (s.isFile() && s.getPath().getName().startsWith("input-")) {
                        found.add(s.getPath().getName());
                    }
                }
            }
        }
        return found;
    }

    static String partition(String kernel) {
        return ExternalCatalogUtils.getPartitionPathString(Tables.PARTITION_COLUMN, kernel);
    }

    Path manifestPath(String kernel) {
        return new Path(new Path(out, MANIFESTS), ExternalCatalogUtils.escapePathName(kernel) + ".json");
    }

    private void deleteManifest(String kernel) throws IOException {
        Path p = manifestPath(kernel);
        fs.delete(p, false);
        if (fs.exists(p)) {
            throw new IOException("cannot delete " + p);
        }
    }

    private void writeManifest(ReleaseManifest m) throws IOException {
        fs.mkdirs(new Path(out, MANIFESTS));
        writeAtomically(manifestPath(m.kernel()), m.toJson());
    }

    private Path packageManifestPath(String location) {
        return new Path(new Path(new Path(out, MANIFESTS), PACKAGE_MANIFESTS), PackageManifest.fileName(location));
    }

    private void deletePackageManifest(String location) throws IOException {
        Path p = packageManifestPath(location);
        fs.delete(p, false);
        if (fs.exists(p)) {
            throw new IOException("cannot delete " + p);
        }
    }

    private void writePackageManifest(PackageManifest m) throws IOException {
        Path p = packageManifestPath(m.location());
        fs.mkdirs(p.getParent());
        writeAtomically(p, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m.toNode()));
    }

    /** The manifests of packages whose rows are live, by location; unreadable ones are left out. */
    public Map<String, PackageManifest> packageManifests() throws IOException {
        Map<String, PackageManifest> found = new TreeMap<>();
        Path dir = new Path(new Path(out, MANIFESTS), PACKAGE_MANIFESTS);
        if (!fs.exists(dir)) {
            return found;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            if (!s.isFile() || !s.getPath().getName().endsWith(".json")) {
                continue;
            }
            PackageManifest m = PackageManifest.fromNode(readJson(s.getPath()));
            if (m != null && s.getPath().getName().equals(PackageManifest.fileName(m.location()))) {
                found.put(m.location(), m);
            }
        }
        return found;
    }

    /** The manifests of the live partitions, by kernel; unreadable or foreign ones are left out. */
    public Map<String, ReleaseManifest> manifests() throws IOException {
        Map<String, ReleaseManifest> found = new TreeMap<>();
        Path dir = new Path(out, MANIFESTS);
        if (!fs.exists(dir)) {
            return found;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            if (!s.isFile() || !s.getPath().getName().endsWith(".json")) {
                continue; // a .tmp of a write that was cut short
            }
            ReleaseManifest m = ReleaseManifest.fromNode(readJson(s.getPath()));
            // by name: a listed path may be qualified differently from ours (an added port, say)
            if (m != null && s.getPath().getName().equals(manifestPath(m.kernel()).getName())) {
                found.put(m.kernel(), m);
            }
        }
        return found;
    }

    /** Kernels that have a partition in some table or a manifest: what the output holds. */
    public Set<String> kernels() throws IOException {
        Set<String> found = new TreeSet<>(manifests().keySet());
        String prefix = Tables.PARTITION_COLUMN + "=";
        for (String t : Tables.NAMES) {
            Path dir = table(t);
            if (!fs.exists(dir)) {
                continue;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.startsWith(prefix)) {
                    found.add(ExternalCatalogUtils.unescapePathName(name.substring(prefix.length())));
                }
            }
        }
        return found;
    }

    /** After a failed run: drops its staging unless the commit point was passed (then recovery finishes it). */
    public void abandon() {
        try {
            if (!fs.exists(new Path(runDir(), JOURNAL))) {
                fs.delete(runDir(), true);
            }
        } catch (IOException e) {
            log.println("fwatlas scan: could not remove " + runDir() + ": " + e.getMessage());
        }
    }

    /** Swaps entries in order; a kernel's manifest is written once its last entry is in place. */
    private void swap(Path runDir, List<Entry> entries, Map<String, ReleaseManifest> manifests, boolean hooks)
            throws IOException {
        boolean first = true;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            swapOne(runDir, e);
            boolean lastOfKernel = i + 1 == entries.size() || !entries.get(i + 1).partition().equals(e.partition());
            if (lastOfKernel && manifests.containsKey(e.partition())) {
                writeManifest(manifests.get(e.partition()));
            }
            if (hooks && first) {
                first = false;
            }
        }
    }

    private void swapOne(Path runDir, Entry e) throws IOException {
        Path target = new Path(new Path(out, e.table()), e.partition());
        Path staged = new Path(new Path(runDir, e.table()), e.partition());
        Path old = new Path(new Path(new Path(runDir, OLD), e.table()), e.partition());
        if (e.staged() && !fs.exists(staged)) {
            return; // moved in already
        }
        if (fs.exists(target)) {
            fs.mkdirs(old.getParent());
            rename(target, old);
        }
        if (e.staged()) {
            fs.mkdirs(target.getParent());
            rename(staged, target);
        }
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename " + from + " -> " + to + " failed");
        }
    }

    /** The journal's manifests by partition; a journal of an older version has none. */
    private static Map<String, ReleaseManifest> manifests(JsonNode j) {
        Map<String, ReleaseManifest> found = new HashMap<>();
        for (JsonNode m : j.path("manifests")) {
            ReleaseManifest rm = ReleaseManifest.fromNode(m);
            if (rm != null) {
                found.put(partition(rm.kernel()), rm);
            }
        }
        return found;
    }

    private static List<Entry> entries(JsonNode j) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : j.path("entries")) {
            out.add(new Entry(e.path("table").asText(), e.path("partition").asText(), e.path("staged").asBoolean()));
        }
        return out;
    }

    private void writeAtomically(Path target, byte[] body) throws IOException {
        Path tmp = new Path(target.getParent(), target.getName() + ".tmp");
        try (OutputStream o = fs.create(tmp, true)) {
            o.write(body);
        }
        fs.delete(target, false);
        rename(tmp, target);
    }

    private JsonNode readJson(Path p) {
        try (InputStream in = fs.open(p)) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Releases the lock; the staging of an unfinished run stays for the next start to clean. */
    @Override
    public void close() {
        if (!locked) {
            return;
        }
        try {
            fs.delete(new Path(out, LOCK), false);
        } catch (IOException e) {
            log.println("fwatlas scan: could not remove " + new Path(out, LOCK) + ": " + e.getMessage());
        }
        locked = false;
    }
}
