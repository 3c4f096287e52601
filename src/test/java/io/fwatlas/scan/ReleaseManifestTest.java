package io.fwatlas.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fingerprint rules and the plan, without Spark. */
class ReleaseManifestTest {
    static final Release K = new Release("k", "/r/k", true);
    static final Release OTHER = new Release("other", "/r/other", true);
    static final long MAX = 1 << 20;

    static ReleaseManifest of(String digest, FileTask... tasks) {
        return ReleaseManifest.of("k", List.of(tasks), MAX, digest);
    }

    @Test
    void countsBytesAndNewestTimeOfItsOwnKernelOnly() {
        ReleaseManifest m = ReleaseManifest.of("k", List.of(FileTask.module(K, "a.ko", 10, 100),
                FileTask.builtin(K, "modules.builtin.modinfo", 5, 300), FileTask.module(OTHER, "b.ko", 99, 999)),
                MAX, null);
        assertEquals(2, m.files());
        assertEquals(15, m.bytes());
        assertEquals(300, m.newestMtime());
        assertEquals(0, m.listErrors());
    }

    @Test
    void aRenameOrAnOlderTimeIsAChange() {
        ReleaseManifest m = of(null, FileTask.module(K, "a.ko", 10, 100), FileTask.module(K, "b.ko", 10, 200));
        assertTrue(m.unchanged(of(null, FileTask.module(K, "b.ko", 10, 200), FileTask.module(K, "a.ko", 10, 100)),
                false), "listing order must not matter");
        assertFalse(m.unchanged(of(null, FileTask.module(K, "c.ko", 10, 100), FileTask.module(K, "b.ko", 10, 200)),
                false), "a renamed module");
        assertFalse(m.unchanged(of(null, FileTask.module(K, "a.ko", 10, 50), FileTask.module(K, "b.ko", 10, 200)),
                false), "an older mtime, same newest");
        assertFalse(m.unchanged(ReleaseManifest.of("k", List.of(FileTask.module(K, "a.ko", 10, 100),
                FileTask.module(K, "b.ko", 10, 200)), MAX / 2, null), false), "another --max-module-size");
    }

    @Test
    void aListingWithProblemsIsNeverUnchanged() {
        ReleaseManifest m = of(null, FileTask.module(K, "a.ko", 10, 100), FileTask.listError(K, "d", "denied"));
        assertEquals(1, m.listErrors());
        assertFalse(m.unchanged(m, false));
        // A dangling link is a stable part of the listing; its target appearing is a change.
        ReleaseManifest dangling = of(null, FileTask.module(K, "a.ko", -1, -1));
        assertEquals(0, dangling.listErrors());
        assertTrue(dangling.unchanged(of(null, FileTask.module(K, "a.ko", -1, -1)), false));
        assertFalse(dangling.unchanged(of(null, FileTask.module(K, "a.ko", 0, 5)), false));
    }

    @Test
    void digestIsComparedOnlyWhenAskedAndMustBeRecorded() {
        FileTask a = FileTask.module(K, "a.ko", 10, 100);
        ReleaseManifest stored = of("aa", a);
        assertTrue(stored.unchanged(of("bb", a), false));
        assertFalse(stored.unchanged(of("bb", a), true));
        assertTrue(stored.unchanged(of("aa", a), true));
        assertFalse(of(null, a).unchanged(of("aa", a), true), "no recorded digest to compare with");
    }

    @Test
    void jsonRoundTrip() throws Exception {
        ReleaseManifest m = of("ab", FileTask.module(K, "a.ko", 10, 100));
        assertEquals(m, ReleaseManifest.fromNode(new ObjectMapper().readTree(m.toJson())));
        ReleaseManifest none = of(null, FileTask.module(K, "a.ko", 10, 100));
        assertEquals(none, ReleaseManifest.fromNode(new ObjectMapper().readTree(none.toJson())));
        assertNull(ReleaseManifest.fromNode(new ObjectMapper().readTree("{\"version\":99,\"kernel\":\"k\"}")));
    }

    @Test
    void planSortsReleasesIntoSkippedRescannedNewAndPruned() {
        Release a = new Release("a", "/r/a", true);
        Release b = new Release("b", "/r/b", true);
        Release c = new Release("c", "/r/c", true);
        FileTask fa = FileTask.module(a, "x.ko", 1, 1);
        FileTask fb = FileTask.module(b, "x.ko", 1, 1);
        FileTask fc = FileTask.module(c, "x.ko", 1, 1);
        Map<String, ReleaseManifest> current = Map.of(
                "a", ReleaseManifest.of("a", List.of(fa), MAX, null),
                "b", ReleaseManifest.of("b", List.of(fb), MAX, null),
                "c", ReleaseManifest.of("c", List.of(fc), MAX, null));
        Map<String, ReleaseManifest> stored = Map.of(
                "a", ReleaseManifest.of("a", List.of(fa), MAX, null),
                "b", ReleaseManifest.of("b", List.of(FileTask.module(b, "x.ko", 2, 1)), MAX, null),
                "gone", ReleaseManifest.of("gone", List.of(), MAX, null));
        Set<String> inOutput = Set.of("a", "b", "gone", "orphan");

        ScanPlanner.Plan p = ScanPlanner.plan(List.of(a, b, c), current, stored, inOutput,
                new ScanJob.Options(MAX, true, true, false));
        assertEquals(List.of(b, c), p.scan());
        assertEquals(List.of("a"), p.skipped());
        assertEquals(List.of("b"), p.rescanned());
        assertEquals(List.of("c"), p.added());
        assertEquals(List.of("gone", "orphan"), p.pruned());

        ScanPlanner.Plan full = ScanPlanner.plan(List.of(a, b, c), current, stored, inOutput, ScanJob.Options.full(MAX));
        assertEquals(List.of(a, b, c), full.scan());
        assertEquals(List.of(), full.skipped());
        assertEquals(List.of(), full.pruned());
        assertNotEquals(p.counts(), full.counts());
    }
}
