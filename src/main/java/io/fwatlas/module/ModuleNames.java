package io.fwatlas.module;

/** Module names derived from paths, as kmod derives them. */
public final class ModuleNames {
    private ModuleNames() {
    }

    /** The basename up to its first '.', with every '-' turned into '_'. */
    public static String fromPath(String path) {
        int slash = path.lastIndexOf('/');
        String base = path.substring(slash + 1);
        int dot = base.indexOf('.');
        if (dot >= 0) {
            base = base.substring(0, dot);
        }
        return base.replace('-', '_');
    }

    /** True for the file names kmod accepts as modules: .ko, .ko.gz, .ko.xz, .ko.zst. */
    public static boolean isModuleFileName(String name) {
        return name.endsWith(".ko") || name.endsWith(".ko.xz") || name.endsWith(".ko.zst")
                || name.endsWith(".ko.gz");
    }
}
