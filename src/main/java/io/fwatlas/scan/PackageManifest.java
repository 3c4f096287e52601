package io.fwatlas.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a package looked like when the partitions of its releases were last committed:
 * {@code OUT/_manifests/_packages/<id>.json}. An incremental scan skips a package whose size,
 * modification time and module limit are unchanged, and knows from {@code kernels} which
 * partitions it wrote, so a release that also comes from another input is read whole again.
 */
public record PackageManifest(String location, long size, long mtime, long maxModuleSize, List<String> kernels) {
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public PackageManifest {
        kernels = List.copyOf(kernels);
    }

    public boolean unchanged(PackageInput now, long maxModuleSize) {
        return location.equals(now.location()) && size == now.size() && mtime == now.mtime()
                && this.maxModuleSize == maxModuleSize;
    }

    /** The file name of a package's manifest: a digest of its location, which may hold any character. */
    static String fileName(String location) {
        byte[] d = ReleaseManifest.sha256().digest(location.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 16) + ".json";
    }

    ObjectNode toNode() {
        ObjectNode m = JSON.createObjectNode();
        m.put("version", VERSION);
        m.put("location", location);
        m.put("size", size);
        m.put("mtime_ms", mtime);
        m.put("max_module_size", maxModuleSize);
        ArrayNode k = m.putArray("kernels");
        kernels.forEach(k::add);
        return m;
    }

    /** A manifest read back, or null when it is not one this version wrote (then the package is read again). */
    static PackageManifest fromNode(JsonNode m) {
        if (m == null || m.path("version").asInt(-1) != VERSION || !m.path("location").isTextual()
                || !m.path("kernels").isArray()) {
            return null;
        }
        List<String> kernels = new ArrayList<>();
        m.path("kernels").forEach(k -> kernels.add(k.asText()));
        return new PackageManifest(m.path("location").asText(), m.path("size").asLong(-1),
                m.path("mtime_ms").asLong(-1), m.path("max_module_size").asLong(-1), kernels);
    }
}
