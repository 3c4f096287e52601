package io.fwatlas.scan;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * One release as an executor listed it: stays on the executors (a persisted RDD), so the driver
 * never holds the records of module files; it sees only each release's {@link ReleaseSummary}.
 *
 * @param index position of the release among the run's releases
 */
public record ListedRelease(int index, Release release, List<FileTask> files, int linksNotFollowed)
        implements Serializable {
    public ListedRelease {
        files = List.copyOf(files);
    }

    @Serial
    private Object writeReplace() {
        return new Form(index, release, new PackedFiles(files), linksNotFollowed);
    }

    /** What a listed release is serialized as: its files packed. */
    private record Form(int index, Release release, PackedFiles files, int linksNotFollowed) implements Serializable {
        @Serial
        private Object readResolve() {
            return new ListedRelease(index, release, files.files(), linksNotFollowed);
        }
    }
}
