package io.fwatlas.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * {@code OUT/_SUCCESS}: present whenever no commit is changing the tables, and naming the
 * table's generation, which each commit raises by one. A commit removes it right after its
 * journal is written and before the first partition moves, and writes the next generation as the
 * last step that readers can see. A reader that finds the same generation before and after it
 * read therefore read one whole commit's state.
 */
public final class TableStamp {
    /** What a reader found: the generation, or 0 for a table without a stamp and no commit under way. */
    public record Token(long generation, String run) {
    }

    private TableStamp() {
    }

    /** The generation of the stamp, 0 when there is none. */
    static long generation(TableLayout layout) {
        JsonNode s = layout.readJson(layout.stamp());
        return s == null ? 0 : s.path("generation").asLong(0);
    }

    static void write(TableLayout layout, long generation, String run, int kernels) throws IOException {
        ObjectNode s = TableLayout.JSON.createObjectNode();
        s.put("format", TableLayout.FORMAT);
        s.put("generation", generation);
        s.put("run", run);
        s.put("committed", Instant.now().toString());
        s.put("kernels", kernels);
        layout.writeAtomically(layout.stamp(), TableLayout.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s));
    }

    static void remove(TableLayout layout) throws IOException {
        layout.delete(layout.stamp(), false);
    }

    /**
     * Waits, up to {@code wait}, until no commit is changing the tables, and returns what the
     * reader should find unchanged after reading. Fails (exit 1) on a commit whose writer is gone,
     * which only the next scan can finish.
     */
    public static Token await(TableLayout layout, Duration wait, PrintWriter log) throws IOException {
        long start = System.nanoTime();
        boolean announced = false;
        while (true) {
            JsonNode s = layout.readJson(layout.stamp());
            if (s != null) {
                return new Token(s.path("generation").asLong(0), s.path("run").asText(""));
            }
            String committing = committingRun(layout);
            if (committing == null) {
                if (layout.readJson(layout.stamp()) == null) {
                    return new Token(0, "");
                }
                continue;
            }
            if (!writerAlive(layout)) {
                throw new ScanException(ScanException.FAILURE, "table " + layout.out + " holds the unfinished commit "
                        + "of run " + committing + ", whose writer is gone; the next scan into it finishes the commit");
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (waited.compareTo(wait) >= 0) {
                throw new ScanException(ScanException.FAILURE, "table " + layout.out + " is still being committed by "
                        + "run " + committing + " after " + TableLock.human(waited) + "; try again later");
            }
            if (!announced && log != null) {
                announced = true;
                log.println("fwatlas: waiting for run " + committing + " to finish its commit into " + layout.out);
                log.flush();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScanException(ScanException.FAILURE, "interrupted while waiting for a commit", e);
            }
        }
    }

    /** True when the tables are as they were when {@code before} was taken. */
    public static boolean unchanged(TableLayout layout, Token before) throws IOException {
        JsonNode s = layout.readJson(layout.stamp());
        if (s == null) {
            return before.generation() == 0 && committingRun(layout) == null && layout.readJson(layout.stamp()) == null;
        }
        return s.path("generation").asLong(0) == before.generation() && s.path("run").asText("").equals(before.run());
    }

    /** The run whose journal is in the staging, or null. */
    private static String committingRun(TableLayout layout) throws IOException {
        for (FileStatus r : layout.listOrEmpty(layout.staging())) {
            if (r.isDirectory() && layout.fs.exists(new Path(r.getPath(), TableLayout.JOURNAL))) {
                return r.getPath().getName();
            }
        }
        return null;
    }

    /** Whether a lock is held by a process that may still be running. */
    private static boolean writerAlive(TableLayout layout) {
        JsonNode l = layout.readJson(layout.lock());
        if (l == null) {
            try {
                return layout.fs.exists(layout.lock()); // being written
            } catch (IOException e) {
                return false;
            }
        }
        if (l.path("host").asText("").equals(TableLock.host())) {
            long pid = l.path("pid").asLong(-1);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        return true;
    }
}
