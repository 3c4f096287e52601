package io.fwatlas.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs {@code fwatlas modinfo} in-process and kmod's modinfo as a process, capturing their bytes. */
final class CliHarness {
    private CliHarness() {
    }

    record Run(int code, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }

        /** One char per byte, so a comparison failure shows every byte. */
        String latin1() {
            return new String(out, StandardCharsets.ISO_8859_1);
        }
    }

    static Run modinfo(List<String> args) {
        CommandLine cl = Main.commandLine();
        ModinfoCommand command = cl.getSubcommands().get("modinfo").getCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        command.setOutput(out);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        List<String> all = new ArrayList<>();
        all.add("modinfo");
        all.addAll(args);
        int code = cl.execute(all.toArray(new String[0]));
        return new Run(code, out.toByteArray(), err.toString());
    }

    /** Any fwatlas command, through {@link Main}, with its out and err writers captured. */
    static Run fwatlas(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString().getBytes(StandardCharsets.UTF_8), err.toString());
    }

    /** kmod's modinfo: $FWATLAS_KMOD_MODINFO, else the usual places; null when absent. */
    static String kmodModinfo() {
        String configured = System.getenv("FWATLAS_KMOD_MODINFO");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String p : List.of("/usr/sbin/modinfo", "/sbin/modinfo", "/usr/bin/modinfo", "/bin/modinfo")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    /** kmod's build features, e.g. {@code +ZSTD +XZ -ZLIB +LIBCRYPTO}. */
    static String kmodFeatures(String modinfo) throws IOException, InterruptedException {
        Run v = kmod(modinfo, List.of("--version"), null);
        return new String(v.out(), StandardCharsets.ISO_8859_1) + v.err();
    }

    static Run kmod(String modinfo, List<String> args, Path workDir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(modinfo);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Path errFile = Files.createTempFile("kmod-modinfo", ".err");
        try {
            pb.redirectError(errFile.toFile());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("kmod modinfo did not finish: " + cmd);
            }
            return new Run(p.exitValue(), out, Files.readString(errFile, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(errFile);
        }
    }
}
