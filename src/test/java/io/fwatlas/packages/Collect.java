package io.fwatlas.packages;

import io.fwatlas.module.BuiltinModinfo;
import io.fwatlas.module.ErrorKind;
import io.fwatlas.module.ModuleResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A visitor that keeps everything it is given, in order, and checks the call protocol. */
final class Collect implements PackageVisitor {
    record Module(String kernel, String path, ModuleResult result) {
    }

    record Builtin(String kernel, String path, BuiltinModinfo.Result result, ErrorKind kind, String message) {
    }

    final List<Module> modules = new ArrayList<>();
    final List<Builtin> builtins = new ArrayList<>();
    final List<PackageError> errors = new ArrayList<>();
    final List<FirmwareFile> firmware = new ArrayList<>();
    final List<PackageControl> controls = new ArrayList<>();
    PackageSummary summary;

    @Override
    public void control(PackageControl control) {
        noMoreAfterError();
        if (!modules.isEmpty() || !builtins.isEmpty() || !firmware.isEmpty()) {
            throw new AssertionError("control " + control + " after the first member");
        }
        controls.add(control);
    }

    @Override
    public void firmware(FirmwareFile file) {
        noMoreAfterError();
        firmware.add(file);
    }

    @Override
    public void module(String kernel, String path, ModuleResult result) {
        noMoreAfterError();
        modules.add(new Module(kernel, path, result));
    }

    @Override
    public void builtin(String kernel, String path, BuiltinModinfo.Result result) {
        noMoreAfterError();
        builtins.add(new Builtin(kernel, path, result, null, null));
    }

    @Override
    public void builtinError(String kernel, String path, ErrorKind kind, String message) {
        noMoreAfterError();
        builtins.add(new Builtin(kernel, path, null, kind, message));
    }

    @Override
    public void packageError(PackageError error) {
        noMoreAfterError();
        errors.add(error);
    }

    private void noMoreAfterError() {
        if (!errors.isEmpty()) {
            throw new AssertionError("visitor called after the package error " + errors.get(0));
        }
    }

    static Collect read(PackageReader reader, String name, byte[] bytes) {
        Collect c = new Collect();
        c.summary = reader.read(name, new ByteArrayInputStream(bytes), bytes.length, c);
        return c;
    }

    static Path dir() {
        return Path.of("src/test/resources/packages");
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
