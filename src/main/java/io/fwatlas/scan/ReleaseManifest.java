package io.fwatlas.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What a release's inputs looked like when its partitions were last committed:
 * {@code OUT/_manifests/<kernel>.json}, written by {@link TableStore} after the swap of that
 * kernel. An incremental scan skips a release whose manifest equals the fingerprint of this run's
 * listing.
 *
 * <p>The fingerprint comes from the stage-1 listing alone (no file is opened): the number of
 * listed files, their total bytes, the newest modification time, and {@code listing}, a SHA-256
 * over every (path, size, mtime) so renames and an older mtime are seen too. {@code digest} is
 * optional (--digest): a SHA-256 over every (path, size, bytes), computed on executors by
 * {@link ReleaseDigest}. The scan settings that change rows ({@code max_module_size}) are part of
 * it, so a run with another limit rescans.
 *
 * <p>The manifest a run records is the fingerprint of its own listing, taken before the files are
 * read: a file changed while the run read it has a newer time than the manifest holds, so the next
 * incremental run reads the release again rather than keeping rows of a half-seen change.
 *
 * @param listErrors listing problems (unreadable directories, files that cannot be stat'ed); a
 *                   release with any is never skipped, as its listing is not a complete picture of
 *                   its inputs. A dangling link is not one: it is listed (size -1) and hashed.
 * @param digest     hex SHA-256 of the contents, or null when not computed
 */
public record ReleaseManifest(String kernel, long files, long bytes, long newestMtime, String listing,
                              int listErrors, long maxModuleSize, String digest) implements java.io.Serializable {
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fingerprint of one release's listed files (tasks of other kernels are ignored). */
    public static ReleaseManifest of(String kernel, List<FileTask> tasks, long maxModuleSize, String digest) {
        List<FileTask> mine = new ArrayList<>();
        for (FileTask t : tasks) {
            if (t.kernel().equals(kernel)) {
                mine.add(t);
            }
        }
        mine.sort(Comparator.comparing(FileTask::path).thenComparing(t -> t.kind().name()));
        MessageDigest sha = sha256();
        long files = 0;
        long bytes = 0;
        long newest = -1;
        int errors = 0;
        for (FileTask t : mine) {
            sha.update((t.kind().name() + "\0" + t.path() + "\0").getBytes(StandardCharsets.UTF_8));
            sha.update(ByteBuffer.allocate(16).putLong(t.size()).putLong(t.mtime()).array());
            if (t.kind() == FileTask.Kind.LIST_ERROR) {
                errors++;
                continue;
            }
            files++;
            // a dangling link (size -1) is in the listing hash, so its target appearing is a change
            bytes += Math.max(0, t.size());
            newest = Math.max(newest, t.mtime());
        }
        return new ReleaseManifest(kernel, files, bytes, newest, HexFormat.of().formatHex(sha.digest()), errors,
                maxModuleSize, digest);
    }

    /**
     * True when a release whose inputs now give {@code current} needs no rescan. With
     * {@code useDigest}, both sides must carry a digest and it must match as well.
     */
    public boolean unchanged(ReleaseManifest current, boolean useDigest) {
        if (current.listErrors > 0 || listErrors > 0) {
            return false;
        }
        boolean same = kernel.equals(current.kernel) && files == current.files && bytes == current.bytes
                && newestMtime == current.newestMtime && listing.equals(current.listing)
                && maxModuleSize == current.maxModuleSize;
        if (!useDigest) {
            return same;
        }
        return same && digest != null && Objects.equals(digest, current.digest);
    }

    public byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toNode());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode toNode() {
        ObjectNode m = JSON.createObjectNode();
        m.put("version", VERSION);
        m.put("kernel", kernel);
        m.put("files", files);
        m.put("bytes", bytes);
        m.put("newest_mtime_ms", newestMtime);
        m.put("listing_sha256", listing);
        m.put("list_errors", listErrors);
        m.put("max_module_size", maxModuleSize);
        if (digest != null) {
            m.put("content_sha256", digest);
        } else {
            m.putNull("content_sha256");
        }
        return m;
    }

    /** A manifest read back, or null when it is not one this version wrote (then the release is rescanned). */
    static ReleaseManifest fromNode(JsonNode m) {
        if (m == null || m.path("version").asInt(-1) != VERSION || !m.path("kernel").isTextual()
                || !m.path("listing_sha256").isTextual()) {
            return null;
        }
        JsonNode d = m.path("content_sha256");
        return new ReleaseManifest(m.path("kernel").asText(), m.path("files").asLong(-1), m.path("bytes").asLong(-1),
                m.path("newest_mtime_ms").asLong(-1), m.path("listing_sha256").asText(),
                m.path("list_errors").asInt(1), m.path("max_module_size").asLong(-1),
                d.isTextual() ? d.asText() : null);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
