package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.fwatlas.cli.CliHarness.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Opt-in: runs kmod's modinfo and ours over every module under real trees and fails on the first
 * file whose output differs. Set {@code -Dfwatlas.parity.dir=DIR[:DIR...]} (or FWATLAS_PARITY_DIR).
 * {@code -Dfwatlas.parity.fields=firmware,vermagic,...} picks the -F fields (default firmware,
 * vermagic, name, alias, parm); an empty name stands for the full listing without -F, which is
 * included unless {@code -Dfwatlas.parity.full=false}.
 */
class KmodParityTest {
    private static final int BATCH = 100;

    @Test
    void sameOutputAsKmodOnRealTrees() throws Exception {
        String dirs = System.getProperty("fwatlas.parity.dir", System.getenv("FWATLAS_PARITY_DIR"));
        Assumptions.assumeTrue(dirs != null && !dirs.isBlank(), "set -Dfwatlas.parity.dir to run");
        String kmod = CliHarness.kmodModinfo();
        assertNotNull(kmod, "fwatlas.parity.dir is set but kmod's modinfo is not installed");
        boolean gzip = kmodSupportsGzip(kmod);

        List<String> files = new ArrayList<>();
        for (String d : dirs.split(":")) {
            if (d.isBlank()) {
                continue;
            }
            Path dir = Path.of(d).toAbsolutePath();
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(Files::isRegularFile)
                        .map(Path::toString)
                        .filter(p -> p.endsWith(".ko") || p.endsWith(".ko.xz") || p.endsWith(".ko.zst")
                                || gzip && p.endsWith(".ko.gz"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        assertFalse(files.isEmpty(), "no modules under " + dirs);

        List<List<String>> optionSets = new ArrayList<>();
        for (String f : System.getProperty("fwatlas.parity.fields", "firmware,vermagic,name,alias,parm").split(",")) {
            if (!f.isBlank()) {
                optionSets.add(List.of("-F", f.strip()));
            }
        }
        if (Boolean.parseBoolean(System.getProperty("fwatlas.parity.full", "true"))) {
            optionSets.add(List.of());
        }

        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (List<String> options : optionSets) {
                compare(kmod, options, files, pool);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Compares batch by batch (one kmod process per batch); a differing batch is narrowed to its file. */
    private static void compare(String kmod, List<String> options, List<String> files, ExecutorService pool)
            throws Exception {
        AtomicLong kmodNanos = new AtomicLong();
        AtomicLong ourNanos = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < files.size(); i += BATCH) {
            List<String> batch = files.subList(i, Math.min(files.size(), i + BATCH));
            results.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                Run theirs = CliHarness.kmod(kmod, args(options, batch), null);
                long t1 = System.nanoTime();
                Run ours = CliHarness.modinfo(args(options, batch));
                long t2 = System.nanoTime();
                kmodNanos.addAndGet(t1 - t0);
                ourNanos.addAndGet(t2 - t1);
                bytes.addAndGet(theirs.out().length);
                if (Arrays.equals(theirs.out(), ours.out()) && (theirs.code() == 0) == (ours.code() == 0)) {
                    return null;
                }
                return narrow(kmod, options, batch);
            }));
        }
        for (Future<String> f : results) {
            String difference = f.get();
            if (difference != null) {
                fail(difference);
            }
        }
        System.out.printf(Locale.ROOT, "modinfo %-12s %5d modules identical, %8d bytes; wall %.1f s, "
                        + "kmod %.1f s, fwatlas %.1f s (summed over threads)%n",
                options.isEmpty() ? "(full)" : String.join(" ", options), files.size(), bytes.get(),
                (System.nanoTime() - start) / 1e9, kmodNanos.get() / 1e9, ourNanos.get() / 1e9);
    }

    private static String narrow(String kmod, List<String> options, List<String> batch) throws Exception {
        for (String file : batch) {
            Run theirs = CliHarness.kmod(kmod, args(options, List.of(file)), null);
            Run ours = CliHarness.modinfo(args(options, List.of(file)));
            if (!Arrays.equals(theirs.out(), ours.out()) || (theirs.code() == 0) != (ours.code() == 0)) {
                return "modinfo " + String.join(" ", options) + " differs on " + file
                        + "\n--- kmod (exit " + theirs.code() + ")\n" + show(theirs)
                        + "\n--- fwatlas (exit " + ours.code() + ")\n" + show(ours);
            }
        }
        return "modinfo " + String.join(" ", options) + " differs on the batch starting at " + batch.get(0)
                + " but on no single file of it";
    }

    private static String show(Run r) {
        String out = new String(r.out(), StandardCharsets.ISO_8859_1);
        return (out.length() > 4000 ? out.substring(0, 4000) + "..." : out) + "\n[stderr] " + r.err();
    }

    private static List<String> args(List<String> options, List<String> files) {
        return Stream.concat(options.stream(), files.stream()).collect(Collectors.toList());
    }

    private static boolean kmodSupportsGzip(String kmod) throws IOException, InterruptedException {
        return CliHarness.kmodFeatures(kmod).contains("+ZLIB");
    }
}
