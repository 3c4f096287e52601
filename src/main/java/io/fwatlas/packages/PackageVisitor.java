package io.fwatlas.packages;

import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleResult;

/**
 * Receives what {@link PackageReader#read} finds, in archive order, on the reading thread. Results
 * are handed over as soon as each member is read, so everything before a fault has been delivered
 * when {@link #packageError} arrives; nothing follows it.
 */
public interface PackageVisitor {
    /**
     * A module file ({@code *.ko}, {@code *.ko.xz}, {@code *.ko.zst}, {@code *.ko.gz}) below
     * {@code lib/modules/<kernel>/} or {@code usr/lib/modules/<kernel>/}.
     *
     * @param path   relative to the release directory, as the tree scan's {@code path} column
     * @param result as {@link io.fwatlas.module.ModuleReader#read} gives it for the member's bytes,
     *               or a {@code size_limit} error for a member larger than the module cap
     */
    void module(String kernel, String path, ModuleResult result);

    /** A release's {@code modules.builtin.modinfo}, parsed. */
    void builtin(String kernel, String path, BuiltinModinfo.Result result);

    /** A {@code modules.builtin.modinfo} that could not be read (larger than the module cap). */
    void builtinError(String kernel, String path, ErrorKind kind, String message);

    /** What the package says about itself (a .deb's control file, an .rpm's header); before any member. */
    default void control(PackageControl control) {
    }

    /**
     * A file or link below a firmware root ({@code lib/firmware/}, {@code usr/lib/firmware/}, or the
     * top directory of a linux-firmware source tarball). Delivered once the archive has been read to
     * its end or to a fault, in archive order, with WHENCE's driver and licence when the package holds one.
     */
    default void firmware(FirmwareFile file) {
    }

    /**
     * The package could not be read on from here, or (a .deb read to its end) its control file
     * could not be parsed; called at most once, last.
     */
    void packageError(PackageError error);
}
