package io.fwatlas.scan;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The manifests of the live partitions ({@link ReleaseManifest}, one per kernel) and of the
 * packages read into them ({@link PackageManifest}); see {@link Journal} for when each is written
 * and deleted.
 */
final class Manifests {
    private final TableLayout layout;

    Manifests(TableLayout layout) {
        this.layout = layout;
    }

    /** The manifests of the live partitions, by kernel; unreadable or foreign ones are left out. */
    Map<String, ReleaseManifest> releases() throws IOException {
        Map<String, ReleaseManifest> found = new TreeMap<>();
        for (FileStatus s : layout.listOrEmpty(layout.manifests())) {
            if (!s.isFile() || !s.getPath().getName().endsWith(".json")) {
                continue; // a .tmp of a write that was cut short
            }
            ReleaseManifest m = ReleaseManifest.fromNode(layout.readJson(s.getPath()));
            // by name: a listed path may be qualified differently from ours (an added port, say)
            if (m != null && s.getPath().getName().equals(layout.manifestPath(m.kernel()).getName())) {
                found.put(m.kernel(), m);
            }
        }
        return found;
    }

    /** The manifests of packages whose rows are live, by location; unreadable ones are left out. */
    Map<String, PackageManifest> packages() throws IOException {
        Map<String, PackageManifest> found = new TreeMap<>();
        for (FileStatus s : layout.listOrEmpty(layout.packageManifests())) {
            if (!s.isFile() || !s.getPath().getName().endsWith(".json")) {
                continue;
            }
            PackageManifest m = PackageManifest.fromNode(layout.readJson(s.getPath()));
            if (m != null && s.getPath().getName().equals(PackageManifest.fileName(m.location()))) {
                found.put(m.location(), m);
            }
        }
        return found;
    }

    /** Names of the manifest files there are, so that deleting many costs one listing and the deletes. */
    Set<String> releaseFiles() throws IOException {
        Set<String> names = new HashSet<>();
        for (FileStatus s : layout.listOrEmpty(layout.manifests())) {
            names.add(s.getPath().getName());
        }
        return names;
    }

    void deleteRelease(String kernel) throws IOException {
        layout.delete(layout.manifestPath(kernel), false);
    }

    void writeRelease(ReleaseManifest m) throws IOException {
        layout.writeAtomically(layout.manifestPath(m.kernel()), m.toJson());
    }

    void deletePackage(String location) throws IOException {
        layout.delete(layout.packageManifestPath(location), false);
    }

    void writePackage(PackageManifest m) throws IOException {
        Path p = layout.packageManifestPath(m.location());
        layout.fs.mkdirs(p.getParent());
        layout.writeAtomically(p, TableLayout.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m.toNode()));
    }

    void mkdirs() throws IOException {
        layout.fs.mkdirs(layout.manifests());
    }
}
