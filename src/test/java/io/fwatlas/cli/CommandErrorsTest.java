package io.fwatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fwatlas.scan.TableStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every command ends a mistake the same way: one line on stderr naming the command and the
 * problem, exit 2 for what the user must change and 1 for what failed, nothing on stdout, and
 * never a stack trace, whether the cause is an option, a master, an exception or an {@link Error}.
 */
class CommandErrorsTest {
    static final String MIRROR = Paths.get("data-samples", "mirror").toAbsolutePath().toString();

    @TempDir
    Path tmp;

    @BeforeAll
    static void register() {
        System.setProperty(StoreErrorsTest.IMPL, RefusingFileSystem.class.getName());
    }

    @AfterAll
    static void unregister() {
        System.clearProperty(StoreErrorsTest.IMPL);
    }

    private static void assertOneLine(int code, String command, CliHarness.Run r, String... parts) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith(command + ": "), r.err());
        for (String p : parts) {
            assertTrue(r.err().contains(p), "want '" + p + "' in: " + r.err());
        }
        assertEquals("", r.text(), "stdout");
    }

    /** Every command and subcommand, as the words that call it. */
    static Stream<List<String>> commands() {
        List<List<String>> all = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), all);
        return all.stream();
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> all) {
        all.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, p, all);
        });
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandPrintsTheVersionOfFwatlas(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("-V");
        CliHarness.Run r = CliHarness.fwatlas(args.toArray(new String[0]));
        String want = String.join("\n", Main.commandLine().getCommandSpec().version());
        assertEquals(0, r.code(), r.err());
        assertEquals(want, r.text().strip(), String.join(" ", command) + " -V");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void anUnknownOptionIsNamedOnOneLine(List<String> command) {
        List<String> args = new ArrayList<>(command);
        args.add("--no-such-option");
        CliHarness.Run r = CliHarness.fwatlas(args.toArray(new String[0]));
        String name = String.join(" ", Stream.concat(Stream.of("fwatlas"), command.stream()).toList());
        assertOneLine(2, name, r, "unknown option '--no-such-option'", "see '" + name + " --help'");
    }

    @Test
    void aMisspeltRequiredOptionIsNamedRatherThanTheMissingOne() {
        CliHarness.Run r = CliHarness.fwatlas("scan", "--outptu", tmp.resolve("o").toString(), MIRROR);
        assertOneLine(2, "fwatlas scan", r, "unknown option '--outptu'");
        assertFalse(Files.exists(tmp.resolve("o")));
    }

    @Test
    void aMissingRequiredOptionIsOneLine() {
        CliHarness.Run r = CliHarness.fwatlas("query", "kernels");
        assertOneLine(2, "fwatlas query kernels", r, "missing required option: '--table=OUT'");
    }

    @Test
    void aMasterThatIsNoURLIsRefusedByEveryCommandThatStartsSpark() throws Exception {
        Path table = tmp.resolve("t");
        TableStore.open(table.toString(), new Configuration(), new PrintWriter(new StringWriter())).close();
        List<String[]> runs = List.of(
                new String[] {"scan", "--master", "nonsense", "-o", tmp.resolve("new").toString(), MIRROR},
                new String[] {"query", "--master", "nonsense", "-t", table.toString(), "kernels"},
                new String[] {"export", "--master", "nonsense", "-t", table.toString(), "debian-modinfo", "k"},
                new String[] {"report", "--master", "nonsense", "-t", table.toString(), "--out",
                    tmp.resolve("r.html").toString()},
                new String[] {"resolve", "--master", "nonsense", "-t", table.toString()});
        for (String[] args : runs) {
            CliHarness.Run r = CliHarness.fwatlas(args);
            String name = "fwatlas " + args[0] + (args[0].equals("query") ? " kernels"
                    : args[0].equals("export") ? " debian-modinfo" : "");
            assertOneLine(2, name, r, "--master 'nonsense' is not a Spark master URL");
        }
        assertFalse(Files.exists(tmp.resolve("new")), "scan created its output for a refused master");
    }

    @Test
    void anOutOfMemoryErrorIsOneLineThatSaysWhatToRaise() {
        CliHarness.Run r = CliHarness.fwatlas("scan", "--master", "local[1]", "-o", "fwdeny://oom/atlas", MIRROR);
        assertOneLine(1, "fwatlas scan", r, "out of memory (Java heap space)", "FWATLAS_JAVA_OPTS=-Xmx8g");
        CliHarness.Run q = CliHarness.fwatlas("query", "-t", "fwdeny://oom/atlas", "kernels");
        assertOneLine(1, "fwatlas query kernels", q, "out of memory (Java heap space)");
    }

    @Test
    void aMissingClassIsOneLineThatSaysToRebuild() {
        CliHarness.Run r = CliHarness.fwatlas("report", "-t", "fwdeny://noclass/atlas", "--out",
                tmp.resolve("r.html").toString());
        assertOneLine(1, "fwatlas report", r, "a class could not be loaded",
                "NoClassDefFoundError: org/apache/hadoop/fs/s3a/S3AFileSystem", "rebuild");
    }
}
