package io.fwatlas.query;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.fwatlas.module.Fnmatch;
import io.fwatlas.scan.Tables;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * AppStream metainfo for a firmware package, as Debian's firmware packages ship it in
 * {@code /usr/share/metainfo/org.debian.<package with - as _>.metainfo.xml} (firmware-nonfree's
 * {@code debian/bin/gencontrol.py}): a {@code <component type="firmware">} whose
 * {@code <provides>} lists every file and link of the package, then the device aliases of every
 * module that asks for one of them. {@link #export} reads the tables; the rules and the writer
 * below it need no Spark.
 */
public final class AppStream {
    public static final String ID_PREFIX = "org.debian.";
    public static final String METADATA_LICENSE = "CC0-1.0";
    /** How firmware-nonfree's control template opens a long description, and its metainfo template the paragraph. */
    static final String NONFREE_CONTROL = "This package contains the binary firmware for ";
    static final String NONFREE_METAINFO = "Binary firmware for ";

    private AppStream() {
    }

    /** One module file name's firmware names (literal or globs) and device aliases. */
    public record Module(Set<String> firmware, Set<String> alias) {
    }

    /** One block of a description: a paragraph when {@code items} is null, else a bulleted list. */
    public record Block(String paragraph, List<String> items) {
        static Block p(String text) {
            return new Block(text, null);
        }

        static Block ul(List<String> items) {
            return new Block(null, List.copyOf(items));
        }
    }

    /** What one metainfo file says; {@code homepage} null and {@code description} empty leave them out. */
    public record Metainfo(String id, String name, String summary, List<Block> description, String homepage,
            List<String> firmware, List<String> modalias) {
    }

    /** An export's metainfo, with what it came from and the notes for the user. */
    public record Export(String packageName, String version, Metainfo metainfo, List<String> modules,
            List<String> notes) {
    }

    /**
     * The metainfo of {@code packageName} (of {@code version}, or of its only version when null)
     * from the table's firmware packages, with the modules of {@code kernels}. An unknown package,
     * version or kernel, or a package of several versions without {@code version}, is refused (exit 2);
     * a package that could not be read whole too (exit 1): its file list would be short.
     */
    public static Export export(AtlasTables t, String packageName, String version, List<String> kernels,
            boolean literal) {
        Queries.requireKernels(Queries.kernels(t.firmware(), t.modules()), kernels);
        Dataset<Row> packages = t.firmwarePackages();
        List<Row> rows = packages.filter(col("package").equalTo(packageName))
                .select("version", "source", "summary", "description", "homepage", "status", "error")
                .orderBy("version", "source").collectAsList();
        if (rows.isEmpty()) {
            List<String> all = packages.select("package").distinct().orderBy("package").as(Encoders.STRING())
                    .collectAsList();
            throw QueryException.usage("unknown package '" + packageName + "'; packages: "
                    + (all.isEmpty() ? "none (scan firmware packages first)" : String.join(", ", all)));
        }
        Set<String> versions = new TreeSet<>();
        for (Row r : rows) {
            versions.add(r.getString(0));
        }
        if (version == null && versions.size() > 1) {
            throw QueryException.usage("package '" + packageName + "' has versions " + String.join(", ", versions)
                    + ": choose one with --package-version");
        }
        if (version != null && !versions.contains(version)) {
            throw QueryException.usage("package '" + packageName + "' has no version '" + version + "'; versions: "
                    + String.join(", ", versions));
        }
        String v = version != null ? version : versions.iterator().next();
        List<Row> ofVersion = rows.stream().filter(r -> r.getString(0).equals(v)).toList();
        Row p = ofVersion.get(0);
        List<String> notes = new ArrayList<>();
        if (ofVersion.size() > 1) {
            notes.add(packageName + " " + v + " was scanned from " + ofVersion.size() + " sources; using " + p.getString(1));
        }
        if (!Tables.STATUS_OK.equals(p.getString(5))) {
            throw new QueryException(1, packageName + " " + v + " from " + p.getString(1)
                    + " could not be read whole, so its file list is incomplete: " + p.getString(6));
        }
        List<String> names = t.firmwareFiles()
                .filter(col("package").equalTo(packageName).and(col("version").equalTo(v))
                        .and(col("source").equalTo(p.getString(1))).and(col("kind").isin("file", "link")))
                .select("name").distinct().as(Encoders.STRING()).collectAsList();
        Map<String, Module> modules = new HashMap<>();
        for (Row r : moduleFiles(t.modinfo(), kernels).collectAsList()) {
            add(modules, r.getString(0), r.getList(1), r.getList(2));
        }
        Metainfo m = new Metainfo(id(packageName), packageName, p.getString(2), description(p.getString(3)),
                p.getString(4), firmwareList(names), modaliases(names, modules, literal));
        return new Export(packageName, v, m, askingModules(names, modules, literal), notes);
    }

    /**
     * (path, firmware, alias) per module file of {@code kernels} that update-modinfo reads and that
     * has firmware strings: loadable modules below {@code kernel/} (any compression; built-ins are
     * not read), their firmware values and those alias values that hold {@code :}.
     */
    public static Dataset<Row> moduleFiles(Dataset<Row> modinfo, List<String> kernels) {
        Column firmware = col("key").equalTo("firmware");
        Column alias = col("key").equalTo("alias").and(col("value").contains(":"));
        return modinfo.filter(col("kernel").isin(kernels.toArray()))
                .filter(not(col("builtin")).and(col("path").startsWith("kernel/"))
                        .and(col("key").isin("firmware", "alias")))
                .groupBy("kernel", "source", "path")
                .agg(collect_set(when(firmware, col("value"))).as("firmware"),
                        collect_set(when(alias, col("value"))).as("alias"))
                .filter(size(col("firmware")).gt(0))
                .select("path", "firmware", "alias");
    }

    /** The component id: {@code org.debian.} and the package name with every {@code -} as {@code _}. */
    public static String id(String packageName) {
        return ID_PREFIX + packageName.replace('-', '_');
    }

    /** The file Debian installs the metainfo as. */
    public static String fileName(String packageName) {
        return id(packageName) + ".metainfo.xml";
    }

    /** The firmware names, each once, in Python's pathlib order: by path component, then by code point. */
    public static List<String> firmwareList(Collection<String> names) {
        List<String> l = new ArrayList<>(new TreeSet<>(names));
        l.sort(AppStream::comparePaths);
        return l;
    }

    /**
     * The modules that ask for one of {@code names}, by key. A module's firmware string matches a
     * name when equal to it, or, unless {@code literal}, when it is an fnmatch pattern (flags 0)
     * the name matches.
     */
    public static List<String> askingModules(Collection<String> names, Map<String, Module> modules, boolean literal) {
        Set<String> have = new HashSet<>(names);
        List<String> asking = new ArrayList<>();
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            if (asksForAny(e.getValue().firmware(), have, literal)) {
                asking.add(e.getKey());
            }
        }
        asking.sort(AppStream::compareCodePoints);
        return asking;
    }

    /** The aliases of the {@link #askingModules}, each once, by code point. */
    public static List<String> modaliases(Collection<String> names, Map<String, Module> modules, boolean literal) {
        Set<String> aliases = new HashSet<>();
        for (String m : askingModules(names, modules, literal)) {
            aliases.addAll(modules.get(m).alias());
        }
        List<String> l = new ArrayList<>(aliases);
        l.sort(AppStream::compareCodePoints);
        return l;
    }

    private static boolean asksForAny(Set<String> firmware, Set<String> names, boolean literal) {
        for (String f : firmware) {
            if (names.contains(f)) {
                return true;
            }
            if (!literal && (Glob.isGlob(f) || f.indexOf('\\') >= 0)) {
                for (String n : names) {
                    if (Fnmatch.match(f, n)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A package's long description as AppStream blocks. firmware-nonfree's form ("This package
     * contains the binary firmware for X." and maybe a licence paragraph) becomes the one paragraph
     * its metainfo template writes, "Binary firmware for X."; any other text is split at empty lines
     * into paragraphs, lines opening with {@code * }, {@code - } or {@code + } into list items.
     * Whitespace runs become one space.
     */
    public static List<Block> description(String text) {
        List<Block> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        if (text.startsWith(NONFREE_CONTROL)) {
            String first = text.split("\n[ \t]*\n", 2)[0];
            out.add(Block.p(NONFREE_METAINFO + collapse(first.substring(NONFREE_CONTROL.length()))));
            return out;
        }
        StringBuilder para = new StringBuilder();
        List<String> items = new ArrayList<>();
        StringBuilder item = null;
        for (String line : (text + "\n").split("\n", -1)) {
            String t = line.strip();
            boolean bullet = t.length() > 1 && "*-+".indexOf(t.charAt(0)) >= 0 && t.charAt(1) == ' ';
            if (item != null && !t.isEmpty() && !bullet && Character.isWhitespace(line.charAt(0))) {
                item.append(' ').append(t);  // an indented line goes on with the item
                continue;
            }
            if (item != null) {
                items.add(collapse(item.toString()));
                item = null;
            }
            if (t.isEmpty() || bullet) {
                if (!para.isEmpty()) {
                    out.add(Block.p(collapse(para.toString())));
                    para.setLength(0);
                }
            }
            if (!items.isEmpty() && !bullet) {
                out.add(Block.ul(items));
                items.clear();
            }
            if (bullet) {
                item = new StringBuilder(t.substring(2));
            } else if (!t.isEmpty()) {
                para.append(' ').append(t);
            }
        }
        return out;
    }

    /** A file name without {@code .ko} and the compression suffix after it: update-modinfo's key. */
    static String moduleKey(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int ko = name.lastIndexOf(".ko");
        return ko > 0 ? name.substring(0, ko) : name;
    }

    /** Adds one module file's firmware and aliases to its key's entry: the union over files and kernels. */
    static void add(Map<String, Module> modules, String path, Collection<String> firmware, Collection<String> alias) {
        Module m = modules.computeIfAbsent(moduleKey(path), k -> new Module(new HashSet<>(), new HashSet<>()));
        m.firmware().addAll(firmware);
        m.alias().addAll(alias);
    }

    private static String collapse(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    /**
     * The metainfo file's text, laid out as Debian's template lays it out: two-space indent, one
     * element a line, a newline at the end, and the empty line Debian's template leaves before
     * {@code </provides>} (kept so that files compare byte for byte).
     */
    public static String write(Metainfo m) {
        StringWriter s = new StringWriter();
        try {
            // the JDK's own writer, not whichever StAX library the class path brings (Woodstox with Hadoop)
            XMLStreamWriter w = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(s);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("component");
            w.writeAttribute("type", "firmware");
            element(w, 1, "id", null, m.id());
            element(w, 1, "name", null, m.name());
            element(w, 1, "summary", null, m.summary());
            if (!m.description().isEmpty()) {
                indent(w, 1);
                w.writeStartElement("description");
                for (Block b : m.description()) {
                    if (b.items() == null) {
                        element(w, 2, "p", null, b.paragraph());
                        continue;
                    }
                    indent(w, 2);
                    w.writeStartElement("ul");
                    for (String i : b.items()) {
                        element(w, 3, "li", null, i);
                    }
                    indent(w, 2);
                    w.writeEndElement();
                }
                indent(w, 1);
                w.writeEndElement();
            }
            if (m.homepage() != null) {
                element(w, 1, "url", "homepage", m.homepage());
            }
            element(w, 1, "metadata_license", null, METADATA_LICENSE);
            indent(w, 1);
            w.writeStartElement("provides");
            for (String f : m.firmware()) {
                element(w, 2, "firmware", "runtime", f);
            }
            for (String a : m.modalias()) {
                element(w, 2, "modalias", null, a);
            }
            w.writeCharacters("\n");
            indent(w, 1);
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML to a string", e);
        }
        return s.toString();
    }

    private static void indent(XMLStreamWriter w, int depth) throws XMLStreamException {
        w.writeCharacters("\n" + "  ".repeat(depth));
    }

    /** {@code <name type="TYPE">text</name>} on its own line; no type attribute when {@code type} is null. */
    private static void element(XMLStreamWriter w, int depth, String name, String type, String text)
            throws XMLStreamException {
        indent(w, depth);
        w.writeStartElement(name);
        if (type != null) {
            w.writeAttribute("type", type);
        }
        w.writeCharacters(xmlChars(text == null ? "" : text));
        w.writeEndElement();
    }

    /** The text with every character XML 1.0 does not allow (most C0 controls, lone surrogates) as U+FFFD. */
    static String xmlChars(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
            b.appendCodePoint(ok ? c : 0xFFFD);
            i += Character.charCount(c);
        }
        return b.toString();
    }

    /** pathlib's order of relative paths: component by component, a path before its extensions. */
    static int comparePaths(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = compareCodePoints(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** Python's str order: by code point, as {@link DebianModinfo} sorts. */
    static int compareCodePoints(String a, String b) {
        return DebianModinfo.compareCodePoints(a, b);
    }
}
