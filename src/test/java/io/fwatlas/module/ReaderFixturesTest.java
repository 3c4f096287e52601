package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.fixtures.ReaderFixtures;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed fixture files are exactly what ReaderFixtures generates (run jobs/make-reader-fixtures). */
class ReaderFixturesTest {

    @Test
    void committedFilesEqualGeneratedBytes() {
        Map<String, byte[]> generated = ReaderFixtures.all();
        assertEquals(new ArrayList<>(generated.keySet()), Fixtures.names(),
                "fixture files differ from the generator's list; run jobs/make-reader-fixtures -o");
        long total = 0;
        for (Map.Entry<String, byte[]> e : generated.entrySet()) {
            byte[] onDisk = Fixtures.bytes(e.getKey());
            assertArrayEquals(e.getValue(), onDisk, e.getKey() + " differs from the generator; run jobs/make-reader-fixtures -o");
            total += onDisk.length;
        }
        assertTrue(total < 256 * 1024, "fixtures should stay tiny, they take " + total + " bytes");
    }

    @Test
    void bothKindsArePresent() {
        long hostile = Fixtures.names().stream().filter(Fixtures::isHostile).count();
        long good = Fixtures.names().size() - hostile;
        assertTrue(hostile >= 40, "hostile fixtures: " + hostile);
        assertTrue(good >= 15, "good fixtures: " + good);
    }
}
