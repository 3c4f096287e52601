package io.fwatlas.scan;

import java.io.Serializable;

/**
 * What one firmware input gave: its package name and version, and its rows in {@code firmware_files}.
 *
 * @param location the input's location, which names its files in the tables
 * @param errors   error rows (entries and a fault that ended the read)
 */
public record FirmwareResult(String location, String packageName, String version, long files, long links,
                             long errors) implements Serializable {
}
