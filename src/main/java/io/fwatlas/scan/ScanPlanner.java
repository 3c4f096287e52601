package io.fwatlas.scan;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The driver's decisions, from the releases' summaries and the stored manifests only: which
 * releases and packages a run reads ({@link #plan}, {@link Reads}), and which kernels lose rows
 * of inputs it did not read ({@link #warnReplaced}).
 */
final class ScanPlanner {
    private ScanPlanner() {
    }

    /**
     * What happens to each release: {@code scan} lists the releases to read (new and rescanned);
     * kernels are sorted within each list.
     */
    record Plan(List<Release> scan, List<String> skipped, List<String> rescanned, List<String> added,
                       List<String> pruned) {
        public ScanSummary.Releases counts() {
            return new ScanSummary.Releases(skipped.size(), rescanned.size(), added.size(), pruned.size());
        }
    }

    /**
     * Decides, on the driver, which releases to read: {@code current} holds this run's fingerprint
     * of each release, {@code stored} the manifests of the output, {@code inOutput} every kernel
     * the output holds (partitions or manifests). Without incremental every release is read.
     */
    static Plan plan(List<Release> releases, Map<String, ReleaseManifest> current,
                            Map<String, ReleaseManifest> stored, Set<String> inOutput, ScanJob.Options o) {
        List<Release> scan = new ArrayList<>();
        Set<String> skipped = new TreeSet<>();
        Set<String> rescanned = new TreeSet<>();
        Set<String> added = new TreeSet<>();
        Set<String> found = new HashSet<>();
        for (Release r : releases) {
            String k = r.kernel();
            found.add(k);
            ReleaseManifest old = stored.get(k);
            if (o.incremental() && old != null && old.unchanged(current.get(k), o.digest())) {
                skipped.add(k);
                continue;
            }
            scan.add(r);
            (inOutput.contains(k) ? rescanned : added).add(k);
        }
        Set<String> pruned = new TreeSet<>();
        if (o.prune()) {
            for (String k : inOutput) {
                if (!found.contains(k)) {
                    pruned.add(k);
                }
            }
        }
        return new Plan(scan, List.copyOf(skipped), List.copyOf(rescanned), List.copyOf(added), List.copyOf(pruned));
    }

    /**
     * Says which kernels this run rewrites lose rows of inputs it did not read (packages named by
     * their manifests, a tree by its kernel's manifest): a full run given only some of a release's
     * inputs replaces the rows of the others.
     */
    static void warnReplaced(Set<String> kernels, Reads reads, Map<String, PackageManifest> storedPackages,
                             Set<String> treeManifests, PrintWriter log) {
        Set<String> read = new HashSet<>();
        reads.packages().forEach(p -> read.add(p.location()));
        Set<String> treesRead = new HashSet<>();
        reads.trees().forEach(r -> treesRead.add(r.kernel()));
        Map<String, Set<String>> lost = new TreeMap<>();
        for (PackageManifest pm : storedPackages.values()) {
            if (!read.contains(pm.location())) {
                for (String k : pm.kernels()) {
                    if (kernels.contains(k)) {
                        String name = pm.location().substring(pm.location().lastIndexOf('/') + 1);
                        lost.computeIfAbsent(k, x -> new TreeSet<>()).add(name);
                    }
                }
            }
        }
        for (String k : kernels) {
            if (treeManifests.contains(k) && !treesRead.contains(k)) {
                lost.computeIfAbsent(k, x -> new TreeSet<>()).add("its release tree");
            }
        }
        lost.forEach((k, from) -> log.printf("fwatlas scan: %s: the rows read earlier from %s are replaced; this "
                + "run's inputs do not include %s%n", k, String.join(", ", from), from.size() == 1 ? "it" : "them"));
        log.flush();
    }

    /**
     * Which trees and packages a run reads. Starts from the plan (trees) and the package
     * manifests (a package is skipped when unchanged); {@link #close} then adds every skipped
     * input that holds rows of a kernel being written, since the kernel's partition is replaced whole.
     */
    static final class Reads {
        private final List<Release> trees = new ArrayList<>();
        private final List<Release> skippedTrees = new ArrayList<>();
        private final List<PackageInput> packages = new ArrayList<>();
        private final List<PackageInput> skippedPackages = new ArrayList<>();
        private final Map<String, PackageManifest> stored;
        private int reopened;

        Reads(List<Release> releases, Plan plan, List<PackageInput> inputs, Map<String, PackageManifest> stored,
              ScanJob.Options o) {
            this.stored = stored;
            Set<String> scanned = new HashSet<>();
            plan.scan().forEach(r -> scanned.add(r.kernel()));
            for (Release r : releases) {
                (scanned.contains(r.kernel()) ? trees : skippedTrees).add(r);
            }
            for (PackageInput p : inputs) {
                PackageManifest m = stored.get(p.location());
                boolean same = o.incremental() && m != null && m.unchanged(p, o.maxModuleSize());
                (same ? skippedPackages : packages).add(p);
            }
        }

        /** Kernels known to be written: those of the trees read, and those the packages read held last time. */
        Set<String> touched() {
            Set<String> t = new HashSet<>();
            trees.forEach(r -> t.add(r.kernel()));
            for (PackageInput p : packages) {
                PackageManifest m = stored.get(p.location());
                if (m != null) {
                    t.addAll(m.kernels());
                }
            }
            return t;
        }

        /** Moves every skipped input that holds rows of a kernel in {@code kernels} to the reads, transitively. */
        void close(Set<String> kernels) {
            Set<String> touched = new HashSet<>(kernels);
            boolean changed = true;
            while (changed) {
                changed = false;
                for (java.util.Iterator<Release> it = skippedTrees.iterator(); it.hasNext(); ) {
                    Release r = it.next();
                    if (touched.contains(r.kernel())) {
                        it.remove();
                        trees.add(r);
                        reopened++;
                        changed = true;
                    }
                }
                for (java.util.Iterator<PackageInput> it = skippedPackages.iterator(); it.hasNext(); ) {
                    PackageInput p = it.next();
                    List<String> held = stored.get(p.location()).kernels();
                    if (held.stream().anyMatch(touched::contains)) {
                        it.remove();
                        packages.add(p);
                        touched.addAll(held);
                        changed = true;
                    }
                }
            }
        }

        List<Release> trees() {
            return trees;
        }

        List<PackageInput> packages() {
            return packages;
        }

        List<PackageInput> skippedPackages() {
            return skippedPackages;
        }

        /** Trees the plan skipped that are read after all. */
        int reopened() {
            return reopened;
        }
    }

}
