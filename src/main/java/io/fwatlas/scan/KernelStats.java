package io.fwatlas.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One kernel's line of {@code fwatlas query kernels}, recorded by the scan that wrote the kernel:
 * {@code modules/kernel=K/_stats.json}, inside the partition it describes, so the commit's swap
 * puts it live with the rows and no reader sees the one without the other. Spark, pyarrow and
 * Trino skip files whose names start with an underscore.
 *
 * @param modules              modules rows with a module name (files and built-ins, failed ones included)
 * @param modulesWithFirmware  distinct (path, module) of the firmware rows
 * @param firmwareRows         firmware rows
 * @param distinctFirmware     distinct firmware names
 * @param builtinFirmwareRows  firmware rows of built-in modules
 * @param errors               modules rows with status error
 */
public record KernelStats(long modules, long modulesWithFirmware, long firmwareRows, long distinctFirmware,
                          long builtinFirmwareRows, long errors) {
    public static final String FILE = "_stats.json";
    static final int VERSION = 1;

    /** Writes the stats of one partition directory. */
    void write(FileSystem fs, Path partition) throws IOException {
        ObjectNode j = TableLayout.JSON.createObjectNode();
        j.put("version", VERSION);
        j.put("modules", modules);
        j.put("modules_with_firmware", modulesWithFirmware);
        j.put("firmware_rows", firmwareRows);
        j.put("distinct_firmware", distinctFirmware);
        j.put("builtin_firmware_rows", builtinFirmwareRows);
        j.put("errors", errors);
        try (OutputStream o = fs.create(new Path(partition, FILE), true)) {
            o.write(TableLayout.JSON.writeValueAsBytes(j));
        }
    }

    /**
     * The stats of the partition directory {@code partition}; null when it has none (a table
     * written before they were recorded) or they are not of this version.
     */
    public static KernelStats read(FileSystem fs, Path partition) throws IOException {
        JsonNode j;
        try (InputStream in = fs.open(new Path(partition, FILE))) {
            j = TableLayout.JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
        if (j == null || j.path("version").asInt(-1) != VERSION) {
            return null;
        }
        String[] names = {"modules", "modules_with_firmware", "firmware_rows", "distinct_firmware",
            "builtin_firmware_rows", "errors"};
        long[] v = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            JsonNode n = j.get(names[i]);
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
                return null;
            }
            v[i] = n.asLong();
        }
        return new KernelStats(v[0], v[1], v[2], v[3], v[4], v[5]);
    }
}
