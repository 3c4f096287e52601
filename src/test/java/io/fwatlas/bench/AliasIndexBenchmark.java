package io.fwatlas.bench;

import io.fwatlas.fixtures.DeviceStrings;
import io.fwatlas.fixtures.KernelAliases;
import io.fwatlas.module.AliasIndex;
import io.fwatlas.module.Modalias;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link AliasIndex} over one kernel's aliases: building it, and looking up 10,000 device
 * modaliases (reported per device), half made from the aliases, half near misses. The aliases
 * come from a modules.alias file with {@code -p aliases=PATH} (depmod writes one; its
 * {@code alias PATTERN MODULE} lines are read), else about 27,000 are generated with the bus mix
 * of Debian's 6.12 amd64 kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
public class AliasIndexBenchmark {
    private static final int DEVICES = 10_000;

    @Param("")
    public String aliases;

    private String[] aliasStrings;
    private String[] devices;
    private AliasIndex index;
    private long sink;
    private final IntConsumer count = id -> sink += id + 1;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        List<KernelAliases.Alias> list = aliases.isEmpty()
                ? KernelAliases.generate(new Random(42), 27_000)
                : KernelAliases.read(Path.of(aliases));
        aliasStrings = new String[list.size()];
        for (int i = 0; i < aliasStrings.length; i++) {
            aliasStrings[i] = list.get(i).alias();
        }
        Random r = new Random(7);
        List<String> d = new ArrayList<>(DEVICES);
        while (d.size() < DEVICES) {
            String a = aliasStrings[r.nextInt(aliasStrings.length)];
            String device = d.size() % 2 == 0 ? DeviceStrings.instantiate(a, r) : DeviceStrings.miss(a, r);
            if (Modalias.normalize(device) != null) {
                d.add(device);
            }
        }
        devices = d.toArray(new String[0]);
        index = build();
        int matched = 0;
        long hits = 0;
        for (String device : devices) {
            long[] n = {0};
            index.lookup(device, id -> n[0]++);
            matched += n[0] > 0 ? 1 : 0;
            hits += n[0];
        }
        System.out.printf("%n%s: %d aliases (%d stored), %d devices, %d matched, %.2f matches per device%n",
                aliases.isEmpty() ? "generated" : aliases, aliasStrings.length, index.size(), devices.length, matched,
                (double) hits / devices.length);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public AliasIndex build() {
        AliasIndex.Builder b = new AliasIndex.Builder();
        for (int i = 0; i < aliasStrings.length; i++) {
            b.add(aliasStrings[i], i);
        }
        return b.build();
    }

    /** Time per device: normalizing it, walking the trie, fnmatch on the candidate patterns. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(DEVICES)
    public long lookup() {
        for (String device : devices) {
            index.lookup(device, count);
        }
        return sink;
    }
}
