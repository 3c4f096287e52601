package io.fwatlas.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What {@code OUT/resolved} was resolved against and when: {@code OUT/resolved/_fwatlas-resolved.json},
 * written with the table's rows and swapped in with them (Spark's readers skip names starting with
 * {@code _}). Tables resolved before it existed have none.
 *
 * @param at      when resolve ran
 * @param against {@link #DIRECTORIES} or {@link #PACKAGES}
 * @param sources the firmware directories, or the package_version of each package and directory scanned
 */
public record ResolvedInfo(Instant at, String against, List<String> sources) {
    public static final String FILE = "_fwatlas-resolved.json";
    public static final String DIRECTORIES = "directories";
    public static final String PACKAGES = "packages";
    private static final ObjectMapper JSON = new ObjectMapper();

    void write(Path table, Configuration conf) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("resolved_at", at.toString());
        n.put("against", against);
        sources.forEach(n.putArray("sources")::add);
        try (OutputStream o = table.getFileSystem(conf).create(new Path(table, FILE), true)) {
            o.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        }
    }

    /** The info of the table at {@code table}, or null when it has none or it cannot be read. */
    static ResolvedInfo read(FileSystem fs, Path table) {
        try (InputStream in = fs.open(new Path(table, FILE))) {
            JsonNode n = JSON.readTree(in);
            List<String> sources = new ArrayList<>();
            n.path("sources").forEach(s -> sources.add(s.asText()));
            return new ResolvedInfo(Instant.parse(n.path("resolved_at").asText()), n.path("against").asText(),
                    List.copyOf(sources));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
