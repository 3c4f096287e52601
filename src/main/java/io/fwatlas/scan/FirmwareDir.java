package io.fwatlas.scan;

import java.io.Serializable;

/**
 * A firmware directory to read in one task: {@code /lib/firmware}, a tree's {@code usr/lib/firmware},
 * an input named {@code firmware} or given with {@code --firmware-dir}.
 *
 * @param location an absolute local path when {@code local}, otherwise a Hadoop URI; also the
 *                 {@code package} and {@code source} of its rows
 */
public record FirmwareDir(String location, boolean local) implements Serializable {
}
