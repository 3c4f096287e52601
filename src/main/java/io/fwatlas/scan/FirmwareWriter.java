package io.fwatlas.scan;

import io.fwatlas.packages.FirmwareFile;
import io.fwatlas.packages.PackageControl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Executor side: the rows of one firmware input (package or directory) in the two
 * {@link Tables#INPUT_TABLES}. {@code firmware_files} rows are written as they come into the
 * attempt's directory; {@link #commit} adds the input's one {@code firmware_packages} row and moves
 * both files to {@code TABLE/}{@link Tables#inputFile} in the run's staging.
 */
final class FirmwareWriter implements AutoCloseable {
    private final FileSystem fs;
    private final Path runDir;
    private final Path attemptDir;
    private final String location;
    private final String source;
    private final Configuration conf;
    private ParquetRows files;
    private String packageName;
    private String version;
    private PackageControl control;
    private long fileCount;
    private long linkCount;
    private long errors;

    /**
     * @param location the input's location: names its files
     * @param source   the {@code source} column
     * @param name     the package name until a control record says otherwise
     * @param version  the version until a control record says otherwise (may be null)
     */
    FirmwareWriter(FileSystem fs, Path runDir, String attempt, String location, String source, String name,
                   String version, Configuration conf) {
        this.fs = fs;
        this.runDir = runDir;
        this.attemptDir = new Path(new Path(new Path(runDir, BinWriter.TASKS), attempt), "firmware-"
                + Tables.inputFile(location).replace(".parquet", ""));
        this.location = location;
        this.source = source;
        this.packageName = name;
        this.version = version;
        this.conf = conf;
    }

    void control(PackageControl c) {
        control = c;
        packageName = c.name();
        version = c.version();
    }

    boolean wrote() {
        return files != null;
    }

    void file(FirmwareFile f) {
        if (!f.ok()) {
            errors++;
        } else if (f.kind().equals(FirmwareFile.LINK)) {
            linkCount++;
        } else {
            fileCount++;
        }
        write(new Object[] {packageName, version, source, f.path(), f.path() == null ? null : f.name(),
            f.compression(), f.kind(), f.target(), f.size(), f.sha256(), f.driver(), f.license(),
            f.ok() ? Tables.STATUS_OK : Tables.STATUS_ERROR, f.errorKind(), f.error()});
    }

    /** An input that could not be read on: one error row naming where it stopped. */
    void error(String path, String errorKind, String message) {
        errors++;
        write(new Object[] {packageName, version, source, path, null, null, null, null, null, null, null, null,
            Tables.STATUS_ERROR, errorKind, message});
    }

    private void write(Object[] row) {
        try {
            if (files == null) {
                files = ParquetRows.create(fs, temp(Tables.FIRMWARE_FILES), Tables.schema(Tables.FIRMWARE_FILES), conf);
            }
            files.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write firmware_files of " + source + ": " + e.getMessage(), e);
        }
    }

    private Path temp(String table) {
        return new Path(attemptDir, table + ".parquet");
    }

    /**
     * Writes the package row and moves both files into the staging.
     *
     * @param format    the input's format label (deb, rpm, tar..., dir)
     * @param errorKind the fault that ended the read, or null
     */
    FirmwareResult commit(String format, String errorKind, String error) throws IOException {
        if (files != null) {
            files.close();
            files = null;
        }
        Path pkgTemp = temp(Tables.FIRMWARE_PACKAGES);
        try (ParquetRows w = ParquetRows.create(fs, pkgTemp, Tables.schema(Tables.FIRMWARE_PACKAGES),
                conf)) {
            w.write(new Object[] {packageName, version, source, format,
                control == null ? null : control.summary(), control == null ? null : control.description(),
                control == null ? null : control.homepage(), fileCount, linkCount,
                errorKind == null ? Tables.STATUS_OK : Tables.STATUS_ERROR, errorKind, error});
        }
        String name = Tables.inputFile(location);
        for (String t : Tables.INPUT_TABLES) {
            Path from = temp(t);
            if (!fs.exists(from)) {
                continue;
            }
            Path dir = new Path(runDir, t);
            Path target = new Path(dir, name);
            fs.mkdirs(dir);
            fs.delete(target, false);
            if (!fs.rename(from, target)) {
                throw new IOException("rename " + from + " -> " + target + " failed");
            }
        }
        fs.delete(attemptDir, true);
        return new FirmwareResult(location, Objects.requireNonNullElse(packageName, source), version, fileCount,
                linkCount, errors);
    }

    @Override
    public void close() {
        try {
            if (files != null) {
                files.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // the attempt failed already; its files go either way
        }
        try {
            fs.delete(attemptDir, true);
        } catch (IOException ignored) {
            // removed with the run's staging
        }
    }
}
