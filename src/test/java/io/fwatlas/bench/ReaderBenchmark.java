package io.fwatlas.bench;

import io.fwatlas.fixtures.Compressors;
import io.fwatlas.fixtures.ElfBuilder;
import io.fwatlas.module.ModuleInfo;
import io.fwatlas.module.ModuleReader;
import io.fwatlas.module.ModuleResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Time of {@link ModuleReader#readFile} on one plain, one xz and one zstd module (page cache warm).
 * Real modules can be named with {@code -p plainModule=... -p xzModule=... -p zstdModule=...};
 * otherwise a module of about 300 KB shaped like a real one is generated.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReaderBenchmark {
    @Param({"plain", "xz", "zstd"})
    public String kind;

    @Param("")
    public String plainModule;

    @Param("")
    public String xzModule;

    @Param("")
    public String zstdModule;

    private final ModuleReader reader = new ModuleReader();
    private Path tempDir;
    private Path module;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String given = switch (kind) {
            case "plain" -> plainModule;
            case "xz" -> xzModule;
            case "zstd" -> zstdModule;
            default -> throw new IllegalArgumentException("kind " + kind);
        };
        if (!given.isEmpty()) {
            module = Path.of(given);
        } else {
            tempDir = Files.createTempDirectory("fwatlas-bench");
            byte[] elf = realisticModule(300 * 1024);
            byte[] data = switch (kind) {
                case "xz" -> Compressors.xz(elf);
                case "zstd" -> Compressors.zstd(elf);
                default -> elf;
            };
            module = Files.write(tempDir.resolve("bench.ko" + (kind.equals("xz") ? ".xz" : kind.equals("zstd") ? ".zst" : "")), data);
        }
        ModuleResult r = reader.readFile(module);
        if (!(r instanceof ModuleInfo)) {
            throw new IllegalStateException("cannot read the benchmark module: " + r);
        }
        System.out.printf("%n%s: %s, %d bytes%n", kind, module, Files.size(module));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (tempDir != null) {
            try (Stream<Path> walk = Files.walk(tempDir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Benchmark
    public ModuleResult readFile() {
        return reader.readFile(module);
    }

    /**
     * About {@code size} bytes with the layout of a real module: code first, {@code .modinfo} at
     * about 15 %, more sections after, the section table at the end. The code is drawn from a small
     * vocabulary of instruction-like words so it compresses about 4:1, as real modules do.
     */
    static byte[] realisticModule(int size) {
        Random random = new Random(42);
        List<String> strings = new ArrayList<>();
        strings.add("version=1.2.3");
        strings.add("license=GPL");
        strings.add("description=A generated driver shaped like a real one");
        strings.add("author=fwatlas benchmark");
        for (int i = 0; i < 12; i++) {
            strings.add("firmware=vendor/device" + i + "/fw-" + Integer.toHexString(random.nextInt()) + ".bin");
        }
        for (int i = 0; i < 8; i++) {
            strings.add("parm=param" + i + ":Parameter number " + i + " of the generated driver");
            strings.add("parmtype=param" + i + ":int");
        }
        for (int i = 0; i < 120; i++) {
            strings.add(String.format("alias=pci:v00008086d%08Xsv*sd*bc*sc*i*", random.nextInt(0x10000)));
        }
        strings.add("depends=");
        strings.add("retpoline=Y");
        strings.add("intree=Y");
        strings.add("name=bench");
        strings.add("vermagic=6.1.0-56-amd64 SMP preempt mod_unload modversions ");
        byte[][] words = new byte[256][];
        for (int i = 0; i < words.length; i++) {
            words[i] = new byte[2 + random.nextInt(7)];
            random.nextBytes(words[i]);
        }
        return ElfBuilder.x86_64()
                .section(".text", code(random, words, size * 15 / 100))
                .modinfo(strings.toArray(new String[0]))
                .section(".rodata", code(random, words, size * 25 / 100))
                .section(".debug_info", code(random, words, size * 55 / 100))
                .section(".data", new byte[size * 5 / 100])
                .build();
    }

    private static byte[] code(Random random, byte[][] words, int length) {
        byte[] out = new byte[length];
        int pos = 0;
        while (pos < length) {
            byte[] w = words[(int) Math.abs(random.nextGaussian() * 40) % words.length];
            int n = Math.min(w.length, length - pos);
            System.arraycopy(w, 0, out, pos, n);
            pos += n;
        }
        return out;
    }
}
