package io.fwatlas.packages;

import java.util.List;

/**
 * What one package read found.
 *
 * @param format        null when the bytes were no package this reader knows
 * @param members       archive members seen (entries of the data tar, or of the rpm's cpio)
 * @param modules       module results delivered, errors included
 * @param builtins      {@code modules.builtin.modinfo} files delivered, errors included
 * @param kernels       releases with a module or builtin file, sorted
 * @param packageBytes  bytes read from the package stream
 * @param expandedBytes bytes the archive layer decompressed to (the limit counts these)
 * @param error         the fault that ended the read early, or null when it reached the end (a .deb
 *                      read to its end has its control file's fault here when that could not be parsed)
 * @param control       what the package says about itself, or null (a tarball, or none was read)
 * @param firmware      files and links below a firmware root, delivered through {@link PackageVisitor#firmware}
 */
public record PackageSummary(String packageName, PackageFormat format, long members, long modules, long builtins,
                             List<String> kernels, long packageBytes, long expandedBytes, PackageError error,
                             PackageControl control, long firmware)
        implements java.io.Serializable {

    public PackageSummary(String packageName, PackageFormat format, long members, long modules, long builtins,
                          List<String> kernels, long packageBytes, long expandedBytes, PackageError error) {
        this(packageName, format, members, modules, builtins, kernels, packageBytes, expandedBytes, error, null, 0);
    }

    public PackageSummary {
        kernels = List.copyOf(kernels);
    }

    public boolean complete() {
        return error == null;
    }
}
