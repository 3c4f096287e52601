package io.fwatlas.scan;

import java.io.Serializable;

/**
 * One file of a release to read on an executor.
 *
 * @param source  the input the release was found under (the {@code source} column)
 * @param path    relative to the release root, '/'-separated; also the {@code path} column
 * @param size    bytes as listed, or -1 when unknown (a dangling link)
 * @param mtime   modification time in milliseconds as listed, or -1 when unknown; feeds the
 *                release's {@link ReleaseManifest}, never the tables
 * @param kind    what the file is
 * @param problem for {@link Kind#LIST_ERROR}, why listing failed
 */
public record FileTask(String kernel, String root, boolean local, String source, String path, long size, long mtime,
                       Kind kind, String problem) implements Serializable {

    public enum Kind { MODULE, BUILTIN_MODINFO, LIST_ERROR }

    public static FileTask module(Release r, String path, long size) {
        return module(r, path, size, -1);
    }

    public static FileTask module(Release r, String path, long size, long mtime) {
        return new FileTask(r.kernel(), r.root(), r.local(), r.source(), path, size, mtime, Kind.MODULE, null);
    }

    public static FileTask builtin(Release r, String path, long size, long mtime) {
        return new FileTask(r.kernel(), r.root(), r.local(), r.source(), path, size, mtime, Kind.BUILTIN_MODINFO,
                null);
    }

    public static FileTask listError(Release r, String path, String problem) {
        return new FileTask(r.kernel(), r.root(), r.local(), r.source(), path, 0, -1, Kind.LIST_ERROR, problem);
    }
}
