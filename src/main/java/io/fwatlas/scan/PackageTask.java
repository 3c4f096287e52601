package io.fwatlas.scan;

/** A package read whole by one task, which writes into the partition of every kernel it holds. */
public record PackageTask(int index, PackageInput input) implements Work {
}
