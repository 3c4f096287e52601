package io.fwatlas.packages;

/**
 * Where an archive member lies in a kernel release: {@code [./][usr/]lib/modules/<kernel>/<path>}.
 *
 * @param kernel the release directory name
 * @param path   relative to the release directory, as the tree scan's {@code path} column
 */
record ReleasePath(String kernel, String path) {
    static final String BUILTIN_MODINFO = "modules.builtin.modinfo";

    /** The release path of an archive member name, or null for members outside any release. */
    static ReleasePath of(String member) {
        String p = member;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        String rest;
        if (p.startsWith("usr/lib/modules/")) {
            rest = p.substring("usr/lib/modules/".length());
        } else if (p.startsWith("lib/modules/")) {
            rest = p.substring("lib/modules/".length());
        } else {
            return null;
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String kernel = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        if (kernel.equals(".") || kernel.equals("..") || !plain(path)) {
            return null;
        }
        return new ReleasePath(kernel, path);
    }

    /** No empty, "." or ".." segment: such a name cannot be a file of the release as the tree scan sees it. */
    private static boolean plain(String path) {
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                return false;
            }
        }
        return true;
    }

    boolean isBuiltinModinfo() {
        return path.equals(BUILTIN_MODINFO);
    }
}
