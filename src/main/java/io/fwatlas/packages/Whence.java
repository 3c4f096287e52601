package io.fwatlas.packages;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * linux-firmware's {@code WHENCE}: stanzas separated by lines of dashes, each starting with
 * {@code Driver: NAME - text}, naming its files ({@code File:}, {@code RawFile:}) and links
 * ({@code Link: NAME -> TARGET}), and their licence ({@code License:} or {@code Licence:}, which
 * may come before or after the files it covers).
 */
public final class Whence {
    /** The most bytes a WHENCE file may have; linux-firmware's is about 1 MiB. */
    public static final int MAX_SIZE = 32 << 20;

    /** What WHENCE says of one path: its stanza's driver and licence. */
    public record Info(String driver, String license) {
    }

    /** A {@code Link:} line: {@code target} relative to the link's directory. */
    public record Link(String name, String target, Info info) {
    }

    private final Map<String, Info> files;
    private final List<Link> links;

    private Whence(Map<String, Info> files, List<Link> links) {
        this.files = files;
        this.links = links;
    }

    /** Files ({@code File:} and {@code RawFile:}) in the order given, with their stanza's driver and licence. */
    public Map<String, Info> files() {
        return files;
    }

    public List<Link> links() {
        return links;
    }

    /** Driver and licence of {@code path} (with or without a compression suffix), or null when WHENCE does not name it. */
    public Info info(String path) {
        Info i = files.get(path);
        if (i == null) {
            i = files.get(FirmwareFile.name(path));
        }
        if (i == null) {
            for (Link l : links) {
                if (l.name().equals(path) || l.name().equals(FirmwareFile.name(path))) {
                    return l.info();
                }
            }
        }
        return i;
    }

    public static Whence parse(byte[] text) {
        Map<String, Info> files = new LinkedHashMap<>();
        List<Link> links = new ArrayList<>();
        List<String> stanzaFiles = new ArrayList<>();
        List<String[]> stanzaLinks = new ArrayList<>();
        String driver = null;
        String license = null;
        for (String raw : (new String(text, StandardCharsets.UTF_8) + "\n---").split("\n", -1)) {
            String line = raw.stripTrailing();
            if (line.length() >= 3 && line.chars().allMatch(c -> c == '-')) {
                Info info = new Info(driver, license);
                stanzaFiles.forEach(f -> files.putIfAbsent(f, info));
                stanzaLinks.forEach(l -> links.add(new Link(l[0], l[1], info)));
                stanzaFiles.clear();
                stanzaLinks.clear();
                driver = null;
                license = null;
                continue;
            }
            String value;
            if ((value = field(line, "Driver:")) != null) {
                int dash = value.indexOf(" - ");
                driver = (dash < 0 ? value : value.substring(0, dash)).strip();
            } else if ((value = field(line, "File:")) != null || (value = field(line, "RawFile:")) != null) {
                stanzaFiles.add(unquote(value));
            } else if ((value = field(line, "Link:")) != null) {
                int arrow = value.indexOf("->");
                if (arrow > 0) {
                    stanzaLinks.add(new String[] {unquote(value.substring(0, arrow).strip()),
                        unquote(value.substring(arrow + 2).strip())});
                }
            } else if ((value = field(line, "License:")) != null || (value = field(line, "Licence:")) != null) {
                license = value;
            }
        }
        return new Whence(files, links);
    }

    private static String field(String line, String key) {
        return line.startsWith(key) ? line.substring(key.length()).strip() : null;
    }

    /** WHENCE quotes names holding spaces. */
    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\\", "\\").replace("\\\"", "\"");
        }
        return s;
    }
}
