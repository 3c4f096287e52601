package io.fwatlas.module;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The committed fixture files and small helpers the reader tests share. */
final class Fixtures {
    static final Path DIR = Path.of("src/test/resources/fixtures");
    /** The cap the hostile tests use: the small bombs decompress to twice this. */
    static final long SMALL_CAP = 1L << 20;

    private Fixtures() {
    }

    static Path path(String name) {
        return DIR.resolve(name);
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fixture file name, sorted. */
    static List<String> names() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isHostile(String name) {
        return name.contains("-fail.");
    }

    static ModuleInfo info(ModuleResult r) {
        if (r instanceof ModuleError e) {
            throw new AssertionError("expected module info, got " + e.kind() + ": " + e.message());
        }
        return assertInstanceOf(ModuleInfo.class, r);
    }

    /** Bytes allocated so far by the calling thread (HotSpot's per-thread counter). */
    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
