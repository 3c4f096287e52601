package io.fwatlas.scan;

/** A firmware directory read whole by one task. */
public record FirmwareDirTask(int index, FirmwareDir dir) implements Work {
}
