package io.fwatlas.scan;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a scan commits, from what its tasks staged: the kernels written (trees read and kernels the
 * packages held), their manifests, the packages' manifests, the kernels pruned and the firmware
 * inputs replaced or dropped, each written kernel's {@link KernelStats}; then {@link TableStore#commit}
 * makes it live.
 */
final class ScanCommit {
    /** The kernels the commit wrote, and how many it pruned. */
    record Outcome(Set<String> kernels, int pruned) {
    }

    private ScanCommit() {
    }

    static Outcome commit(TableStore store, List<TaskResult> results, Map<String, KernelStats> stats,
                          ScanPlanner.Reads reads, ScanPlanner.Plan plan,
                          Map<String, ReleaseManifest> current, List<PackageInput> packages,
                          List<FirmwareDir> firmwareDirs, Map<String, PackageManifest> storedPackages,
                          Set<String> treeManifests, ScanJob.Options o, PrintWriter log) throws IOException {
        Set<String> kernels = new LinkedHashSet<>();
        Map<String, ReleaseManifest> manifests = new HashMap<>();
        for (Release r : reads.trees()) {
            kernels.add(r.kernel());
            manifests.put(r.kernel(), current.get(r.kernel()));
        }
        Map<String, Set<String>> packageKernels = new HashMap<>();
        for (TaskResult t : results) {
            for (BinResult b : t.bins()) {
                kernels.add(b.kernel());
                if (t.input() != null) {
                    packageKernels.computeIfAbsent(t.input().location(), k -> new TreeSet<>()).add(b.kernel());
                }
            }
        }
        List<PackageManifest> packageManifests = new ArrayList<>();
        for (PackageInput p : reads.packages()) {
            packageManifests.add(new PackageManifest(p.location(), p.size(), p.mtime(), o.maxModuleSize(),
                    List.copyOf(packageKernels.getOrDefault(p.location(), Set.of()))));
        }
        // the plan prunes what no tree holds; a package may hold it still
        Set<String> held = new HashSet<>(kernels);
        reads.skippedPackages().forEach(p -> held.addAll(storedPackages.get(p.location()).kernels()));
        List<String> pruned = new ArrayList<>();
        for (String k : plan.pruned()) {
            if (!held.contains(k)) {
                pruned.add(k);
            }
        }
        ScanPlanner.warnReplaced(kernels, reads, storedPackages, treeManifests, log);
        List<String> commit = new ArrayList<>(kernels);
        commit.addAll(pruned);
        List<String> inputs = new ArrayList<>();
        reads.packages().forEach(p -> inputs.add(p.location()));
        firmwareDirs.forEach(d -> inputs.add(d.location()));
        List<String> dropped = new ArrayList<>();
        List<String> droppedFiles = new ArrayList<>();
        if (o.prune()) {
            // firmware rows of inputs (packages, directories) that no INPUT holds any more
            Set<String> keep = new HashSet<>();
            packages.forEach(p -> keep.add(Tables.inputFile(p.location())));
            firmwareDirs.forEach(d -> keep.add(Tables.inputFile(d.location())));
            for (String f : store.inputFiles()) {
                if (!keep.contains(f)) {
                    droppedFiles.add(f);
                }
            }
            Set<String> given = new HashSet<>();
            packages.forEach(p -> given.add(p.location()));
            for (PackageManifest pm : storedPackages.values()) {
                if (!given.contains(pm.location()) && pm.kernels().isEmpty()) {
                    dropped.add(pm.location()); // a firmware package no input holds any more
                }
            }
        }
        if (!commit.isEmpty() || !packageManifests.isEmpty() || !inputs.isEmpty() || !dropped.isEmpty()
                || !droppedFiles.isEmpty()) {
            long t0 = System.nanoTime();
            for (String k : kernels) {
                if (stats.containsKey(k)) {
                    store.stageStats(k, stats.get(k));
                }
            }
            store.commit(commit, manifests, packageManifests, inputs, dropped, droppedFiles);
            log.printf("fwatlas scan: committed %s and %s in %.1f s%n", Plural.of(commit.size(), "kernel"),
                    Plural.of(inputs.size() + dropped.size() + droppedFiles.size(), "firmware input"),
                    (System.nanoTime() - t0) / 1e9);
            log.flush();
        }
        return new Outcome(kernels, pruned.size());
    }
}
