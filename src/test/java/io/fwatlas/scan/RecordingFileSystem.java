package io.fwatlas.scan;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.impl.OpenFileParameters;

/**
 * The local file system under the test scheme {@value #SCHEME}, recording how files are opened:
 * the openFile options each open passed, and how many status calls were made. With
 * {@link #noBuilder} set it behaves like a file system without the openFile builder.
 */
public class RecordingFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "fwrec";
    static final List<String> OPENS = new ArrayList<>();
    static final AtomicInteger STATUS_CALLS = new AtomicInteger();
    static volatile boolean noBuilder;
    /** Set while an open runs: the local file system's own status calls and nested opens are not the caller's. */
    private static final ThreadLocal<Boolean> OPENING = ThreadLocal.withInitial(() -> false);

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileStatus getFileStatus(Path p) throws IOException {
        if (!OPENING.get()) {
            STATUS_CALLS.incrementAndGet();
        }
        return super.getFileStatus(p);
    }

    @Override
    protected CompletableFuture<FSDataInputStream> openFileWithOptions(Path path, OpenFileParameters parameters)
            throws IOException {
        if (noBuilder) {
            throw new UnsupportedOperationException("no openFile here");
        }
        synchronized (OPENS) {
            OPENS.add("policy=" + parameters.getOptions().get("fs.option.openfile.read.policy")
                    + " length=" + parameters.getOptions().get("fs.option.openfile.length"));
        }
        OPENING.set(true);
        try {
            return super.openFileWithOptions(path, parameters);
        } finally {
            OPENING.set(false);
        }
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        if (OPENING.get()) {
            return super.open(f, bufferSize);
        }
        synchronized (OPENS) {
            OPENS.add("open");
        }
        OPENING.set(true);
        try {
            return super.open(f, bufferSize);
        } finally {
            OPENING.set(false);
        }
    }
}
