package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the reader with Jazzer, on demand: {@code jobs/fuzz-reader} seeds the
 * corpus with the fixtures and runs it with JAZZER_FUZZ=1. The name does not end in "Test", so the
 * normal suite leaves it out (the Jazzer agent adds half a minute); ReaderFuzzTest runs there instead.
 */
class ReaderJazzerFuzz {
    private static final ModuleReader READER = new ModuleReader(4L << 20);

    @FuzzTest(maxDuration = "2m")
    void reader(byte[] data) {
        ModuleResult r = READER.read("fuzz.ko", new ArrayByteSource(data));
        assertNotNull(r);
        if (r instanceof ModuleError e) {
            assertFalse(e.message().contains("unexpected reader failure"), e.message());
            assertTrue(e.kind() != ErrorKind.IO_ERROR, e.message());
        }
    }
}
