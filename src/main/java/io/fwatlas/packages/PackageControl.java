package io.fwatlas.packages;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a package says about itself: from a .deb's {@code control} file or an .rpm's header.
 *
 * @param name        {@code Package:} or rpm NAME
 * @param version     {@code Version:} or rpm {@code [EPOCH:]VERSION-RELEASE}
 * @param summary     the first line of {@code Description:} or rpm SUMMARY
 * @param description the rest of {@code Description:} (see {@link #longDescription}), or rpm
 *                    DESCRIPTION; null when there is none
 * @param homepage    {@code Homepage:} or rpm URL; null when there is none
 */
public record PackageControl(String name, String version, String summary, String description, String homepage)
        implements Serializable {
    /** The most bytes a control file may have; real ones are a few KiB. */
    static final int MAX_CONTROL = 1 << 20;

    /** {@code name_version}, as the providers of a firmware name are listed. */
    public String key() {
        return name + "_" + version;
    }

    /** Parses a Debian control file (deb-control(5)): one stanza of fields, continuation lines indented. */
    public static PackageControl debian(byte[] control) throws CorruptPackageException {
        Map<String, StringBuilder> fields = new LinkedHashMap<>();
        StringBuilder current = null;
        String text = new String(control, StandardCharsets.UTF_8);
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                if (!fields.isEmpty()) {
                    break; // one stanza only
                }
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (current == null) {
                    throw new CorruptPackageException("control file line " + lineNo + ": continuation before any field");
                }
                current.append('\n').append(line);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new CorruptPackageException("control file line " + lineNo + ": no field name before ':'");
            }
            current = new StringBuilder(line.substring(colon + 1).strip());
            fields.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), current);
        }
        String name = value(fields, "package");
        String version = value(fields, "version");
        if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
            throw new CorruptPackageException("control file has no " + (name == null || name.isEmpty() ? "Package"
                    : "Version") + " field");
        }
        String summary = null;
        String description = null;
        String d = value(fields, "description");
        if (d != null) {
            int nl = d.indexOf('\n');
            summary = (nl < 0 ? d : d.substring(0, nl)).strip();
            description = nl < 0 ? null : longDescription(d.substring(nl + 1));
        }
        return new PackageControl(name, version, summary, description, value(fields, "homepage"));
    }

    /**
     * The extended description as text: each line without the one leading space that marks it as a
     * continuation, a {@code .} line as an empty one; verbatim lines keep their further indent.
     */
    private static String longDescription(String body) {
        StringBuilder out = new StringBuilder();
        for (String raw : body.split("\n")) {
            String line = raw.isEmpty() ? raw : raw.substring(1);
            if (line.strip().equals(".")) {
                line = "";
            }
            out.append(line.stripTrailing()).append('\n');
        }
        String s = out.toString().replaceFirst("^\n+", "").stripTrailing();
        return s.isEmpty() ? null : s;
    }

    private static String value(Map<String, StringBuilder> fields, String key) {
        StringBuilder v = fields.get(key);
        return v == null ? null : v.toString();
    }
}
