package io.fwatlas.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;

/**
 * Where everything of one output directory lives, and the few file operations the store needs
 * (a whole small file written under a temporary name and renamed; JSON read back).
 *
 * <pre>
 * OUT/_fwatlas.json                    format marker {"format":"fwatlas-tables","version":2}
 * OUT/_SUCCESS                         the stamp: present while no commit is changing the tables ({@link TableStamp})
 * OUT/_lock                            held by the writing run ({@link TableLock})
 * OUT/{firmware,modinfo,modules}/kernel=RELEASE/part-*.parquet
 * OUT/{firmware_files,firmware_packages}/input-ID.parquet
 * OUT/_staging/RUN/{table}/...         a run's new partitions, written by Spark
 * OUT/_staging/RUN/_commit.json        the journal ({@link Journal})
 * OUT/_staging/RUN/_old/{table}/...    replaced partitions, deleted after the swap
 * OUT/_manifests/KERNEL.json           the tree a kernel's live partitions were read from ({@link Manifests})
 * OUT/_manifests/_packages/ID.json     a package, and the kernels whose live partitions hold its rows
 * </pre>
 */
public final class TableLayout {
    public static final String MARKER = "_fwatlas.json";
    public static final String FORMAT = "fwatlas-tables";
    public static final int FORMAT_VERSION = 2;
    public static final String STAMP = "_SUCCESS";
    static final String LOCK = "_lock";
    static final String STAGING = "_staging";
    static final String JOURNAL = "_commit.json";
    static final String OLD = "_old";
    static final String MANIFESTS = "_manifests";
    static final String PACKAGE_MANIFESTS = "_packages";

    static final ObjectMapper JSON = new ObjectMapper();

    final FileSystem fs;
    final Path out;

    TableLayout(FileSystem fs, Path out) {
        this.fs = fs;
        this.out = out;
    }

    /** The layout of {@code out} on its file system. */
    public static TableLayout of(Path out, Configuration conf) throws IOException {
        return new TableLayout(fileSystem(out, conf), out);
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
     * The file system of {@code p}. The local one is {@link PosixLocalFileSystem}: without .crc
     * side files, which nothing here reads, and without a {@code chmod} process per file.
     */
    public static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        if (fs instanceof LocalFileSystem lfs) {
            FileSystem local = new PosixLocalFileSystem();
            local.initialize(lfs.getRawFileSystem().getUri(), conf);
            return local;
        }
        return fs;
    }

    public FileSystem fs() {
        return fs;
    }

    public Path out() {
        return out;
    }

    /**
     * Checks the output and creates its directory when it is new. Refuses a file, a directory that
     * holds something else, and tables of another format version. The marker is written by
     * {@link #ensureMarker}, under the lock, so that two first runs cannot collide on it. True when
     * this call created the directory.
     */
    boolean prepare(String output) throws IOException {
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
            return true;
        }
        Path marker = new Path(out, MARKER);
        if (!fs.exists(marker) && !firstRunUnderWay(output, marker)) {
            return false;
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
        return false;
    }

    /**
     * Whether a directory without a marker is a table that a concurrent first run is creating, so
     * that the marker should now be read; false when it is empty, or holds only that run's lock.
     * The first run writes the marker before anything else but its lock, so an entry of any other
     * name is foreign unless the marker has appeared meanwhile.
     */
    private boolean firstRunUnderWay(String output, Path marker) throws IOException {
        for (FileStatus s : fs.listStatus(out)) {
            String name = s.getPath().getName();
            if (name.startsWith(LOCK) || name.equals(temp(marker).getName())) {
                continue;
            }
            if (fs.exists(marker)) {
                return true;
            }
            throw ScanException.usage("output " + output + " exists but is not an fwatlas table (no "
                    + MARKER + "); name a new or empty directory");
        }
        return false;
    }

    /** Writes the marker of a new table; called with the lock held. */
    void ensureMarker() throws IOException {
        if (!fs.exists(new Path(out, MARKER))) {
            writeMarker();
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

    Path lock() {
        return new Path(out, LOCK);
    }

    Path stamp() {
        return new Path(out, STAMP);
    }

    Path staging() {
        return new Path(out, STAGING);
    }

    Path runDir(String run) {
        return new Path(staging(), run);
    }

    Path journal(String run) {
        return new Path(runDir(run), JOURNAL);
    }

    public Path table(String table) {
        return new Path(out, table);
    }

    /** The live directory (or file) of one partition; an empty partition names the whole table. */
    Path live(String table, String partition) {
        return partition.isEmpty() ? table(table) : new Path(table(table), partition);
    }

    Path staged(String run, String table, String partition) {
        Path t = new Path(runDir(run), table);
        return partition.isEmpty() ? t : new Path(t, partition);
    }

    Path old(String run, String table, String partition) {
        Path t = new Path(new Path(runDir(run), OLD), table);
        return partition.isEmpty() ? t : new Path(t, partition);
    }

    public static String partition(String kernel) {
        return ExternalCatalogUtils.getPartitionPathString(Tables.PARTITION_COLUMN, kernel);
    }

    Path manifests() {
        return new Path(out, MANIFESTS);
    }

    Path manifestPath(String kernel) {
        return new Path(manifests(), ExternalCatalogUtils.escapePathName(kernel) + ".json");
    }

    Path packageManifests() {
        return new Path(manifests(), PACKAGE_MANIFESTS);
    }

    Path packageManifestPath(String location) {
        return new Path(packageManifests(), PackageManifest.fileName(location));
    }

    /** Kernels that have a partition in some table. */
    Set<String> partitionKernels() throws IOException {
        Set<String> found = new TreeSet<>();
        for (String t : Tables.NAMES) {
            found.addAll(partitionTimes(fs, table(t)).keySet());
        }
        return found;
    }

    /** Per kernel partition directory of the table at {@code dir}, its modification time; none when it is missing. */
    public static Map<String, Long> partitionTimes(FileSystem fs, Path dir) throws IOException {
        Map<String, Long> found = new TreeMap<>();
        String prefix = Tables.PARTITION_COLUMN + "=";
        FileStatus[] listed;
        try {
            listed = fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return found;
        }
        for (FileStatus s : listed) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.startsWith(prefix)) {
                found.put(ExternalCatalogUtils.unescapePathName(name.substring(prefix.length())),
                        s.getModificationTime());
            }
        }
        return found;
    }

    /** The files of the firmware tables ({@link Tables#inputFile}), one per input they hold rows of. */
    Set<String> inputFiles() throws IOException {
        Set<String> found = new TreeSet<>();
        for (String t : Tables.INPUT_TABLES) {
            for (FileStatus s : listOrEmpty(table(t))) {
                if (s.isFile() && s.getPath().getName().startsWith("input-")) {
                    found.add(s.getPath().getName());
                }
            }
        }
        return found;
    }

    /** The entries of {@code dir}; none when it does not exist. */
    FileStatus[] listOrEmpty(Path dir) throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }

    /** Where {@link #writeAtomically} writes {@code target} before renaming it into place. */
    private static Path temp(Path target) {
        return new Path(target.getParent(), target.getName() + ".tmp");
    }

    /** Writes a small file whole: readers see the old content or the new one, never a part. */
    void writeAtomically(Path target, byte[] body) throws IOException {
        Path tmp = temp(target);
        try (OutputStream o = fs.create(tmp, true)) {
            o.write(body);
        }
        fs.delete(target, false);
        rename(tmp, target);
    }

    void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename " + from + " -> " + to + " failed");
        }
    }

    void delete(Path p, boolean recursive) throws IOException {
        fs.delete(p, recursive);
        if (fs.exists(p)) {
            throw new IOException("cannot delete " + p);
        }
    }

    /** A JSON file's content; null when it is missing or unreadable. */
    JsonNode readJson(Path p) {
        try (InputStream in = fs.open(p)) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }
}
