package io.fwatlas.scan;

import java.io.Serializable;

/** One task of the read stage: a {@link Bin} of tree files, one {@link PackageTask} or one {@link FirmwareDirTask}. */
public sealed interface Work extends Serializable permits Bin, PackageTask, FirmwareDirTask {
    /** Unique within a run; names the task's Parquet files. */
    int index();
}
