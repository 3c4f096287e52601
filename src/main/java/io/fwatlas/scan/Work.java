package io.fwatlas.scan;

import java.io.Serializable;

/** One task of the read stage: a {@link Bin} of tree files, or one {@link PackageTask}. */
public sealed interface Work extends Serializable permits Bin, PackageTask {
    /** Unique within a run; names the task's Parquet files. */
    int index();
}
