package io.fwatlas.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * {@code OUT/_lock}: the one run that may change the tables. Taken by an exclusive create (a hard
 * link of a complete file on the local file system, {@code link(2)} failing when the name exists;
 * a create without overwrite elsewhere, which HDFS's NameNode makes exclusive; S3 has neither,
 * see docs/SCALING.md). The holder refreshes the lock's modification time every
 * {@link Timing#heartbeat}; a waiter judges the holder gone when its process has died on this
 * host, or when the lock has not changed for {@link Timing#stale} by the waiter's own clock (so
 * clocks of different hosts need not agree). A taker removes a stale lock only while it holds
 * {@code OUT/_lock.takeover}, taken by the same exclusive create, and only after reading the lock
 * again unchanged: without the guard, a slow taker could remove the live lock of a faster one.
 */
public final class TableLock implements AutoCloseable {
    /** How long to wait for a lock, how often the holder beats, when a silent holder counts as gone. */
    public record Timing(Duration patience, Duration heartbeat, Duration stale) {
        public static final Duration DEFAULT_WAIT = Duration.ofMinutes(10);
        public static final String HEARTBEAT_KEY = "fwatlas.lock.heartbeat";
        public static final String STALE_KEY = "fwatlas.lock.stale";

        /** {@code wait}, with the heartbeat and staleness from the configuration (seconds, defaults 10 and 120). */
        public static Timing of(Duration wait, Configuration conf) {
            long beat = conf.getTimeDuration(HEARTBEAT_KEY, 10, TimeUnit.SECONDS, TimeUnit.MILLISECONDS);
            long stale = conf.getTimeDuration(STALE_KEY, 120, TimeUnit.SECONDS, TimeUnit.MILLISECONDS);
            if (beat <= 0 || stale <= 2 * beat) {
                throw ScanException.usage(STALE_KEY + " (" + stale + " ms) must be more than twice "
                        + HEARTBEAT_KEY + " (" + beat + " ms), and both positive");
            }
            return new Timing(wait, Duration.ofMillis(beat), Duration.ofMillis(stale));
        }
    }

    /** What a lock file says and when it last changed; {@code body} null when it cannot be read yet. */
    private record Seen(String body, long mtime) {
    }

    /** How long a file has looked the same to this run, by this run's clock. */
    private static final class Watch {
        private Seen seen;
        private long since;

        /** {@code now}, noting when it first looked like this. */
        Seen look(Seen now) {
            if (!now.equals(seen)) {
                seen = now;
                since = System.nanoTime();
            }
            return now;
        }

        Duration unchanged() {
            return Duration.ofNanos(System.nanoTime() - since);
        }
    }

    private final TableLayout layout;
    private final Path lock;
    private final String run;
    private final byte[] body;
    private final Thread heartbeat;
    private volatile boolean released;

    private TableLock(TableLayout layout, String run, byte[] body, Duration beat) {
        this.layout = layout;
        this.lock = layout.lock();
        this.run = run;
        this.body = body;
        this.heartbeat = new Thread(() -> beat(beat.toMillis()), "fwatlas-lock-heartbeat");
        heartbeat.setDaemon(true);
    }

    /**
     * Takes the lock for {@code run}, waiting up to {@code timing.patience()} for a live holder and
     * saying once whom it waits for; takes over a dead holder's lock. Exit 2 when the wait ends.
     */
    static TableLock acquire(TableLayout layout, String run, Timing timing, PrintWriter log) throws IOException {
        return acquire(layout, run, timing, log, "fwatlas scan");
    }

    /** As {@link #acquire(TableLayout, String, Timing, PrintWriter)}; {@code command} names the run in what it prints. */
    static TableLock acquire(TableLayout layout, String run, Timing timing, PrintWriter log, String command)
            throws IOException {
        ObjectNode l = TableLayout.JSON.createObjectNode();
        l.put("run", run);
        l.put("pid", ProcessHandle.current().pid());
        l.put("host", host());
        l.put("since", Instant.now().toString());
        byte[] body = TableLayout.JSON.writeValueAsBytes(l);
        long start = System.nanoTime();
        Watch holder = new Watch();
        Watch guard = new Watch();
        boolean announced = false;
        if ("s3a".equals(layout.fs.getUri().getScheme())) {
            log.println(command + ": S3 offers no exclusive create: the lock of " + layout.out
                    + " does not keep two writers apart; run one scan of it at a time");
        }
        while (true) {
            if (create(layout, layout.lock(), body, run)) {
                TableLock taken = new TableLock(layout, run, body, timing.heartbeat());
                taken.heartbeat.start();
                return taken;
            }
            Seen now = seen(layout, layout.lock());
            if (now == null) {
                continue; // released between the create and the look
            }
            holder.look(now);
            JsonNode h = parse(now.body());
            String who = h == null ? "a run whose lock is being written"
                    : "run " + h.path("run").asText("?") + " (pid " + h.path("pid").asLong(-1) + " on "
                    + h.path("host").asText("?") + ")";
            String gone = gone(h, holder.unchanged(), timing.stale());
            if (gone != null) {
                if (takeOver(layout, now, run, body, guard, timing.stale())) {
                    log.println(command + ": taking over the lock of dead " + who + ": " + gone);
                    log.flush();
                    continue;
                }
                who += ", gone (" + gone + "), whose lock another run is taking over";
            }
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (waited.compareTo(timing.patience()) >= 0) {
                throw ScanException.usage("another run is writing " + layout.out + " (" + TableLayout.LOCK
                        + " held by " + who + ")" + (timing.patience().isZero() ? "" : "; waited " + human(waited))
                        + "; try again later, or raise --lock-wait; if that run is gone, delete " + layout.lock());
            }
            // a lock just created on HDFS is empty until its holder writes it: name the holder when it can be
            if (!announced && (h != null || waited.toMillis() >= 2000)) {
                announced = true;
                log.println(command + ": " + layout.out + " is being written by " + who + "; waiting up to "
                        + human(timing.patience()) + " for its lock");
                log.flush();
            }
            long left = timing.patience().minus(waited).toMillis();
            sleep(Math.min(left, ThreadLocalRandom.current().nextLong(200, 700)));
        }
    }

    /** Null while the holder may be alive; otherwise why it counts as gone. */
    private static String gone(JsonNode holder, Duration unchanged, Duration stale) {
        if (holder != null && holder.path("host").asText("").equals(host())) {
            long pid = holder.path("pid").asLong(-1);
            if (pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                return "its process " + pid + " has ended";
            }
        }
        if (unchanged.compareTo(stale) >= 0) {
            return "no heartbeat for " + human(stale) + " or more";
        }
        return null;
    }

    /** The exclusive create of a complete file {@code at}; false when another run holds one. */
    private static boolean create(TableLayout layout, Path at, byte[] body, String run) throws IOException {
        if (local(layout)) {
            java.nio.file.Path lock = nio(at);
            java.nio.file.Path tmp = lock.resolveSibling(at.getName() + "." + run + ".new");
            Files.write(tmp, body);
            try {
                Files.createLink(lock, tmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        try (OutputStream o = layout.fs.create(at, false)) {
            o.write(body);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false; // even when its holder has released it since: the caller looks again
        } catch (IOException e) {
            if (layout.fs.exists(at)) {
                return false; // another remote form of it
            }
            throw e;
        }
    }

    /**
     * Removes the stale lock {@code judged} while holding the takeover guard; true when this run
     * removed exactly it. A guard left by a taker that died is removed once it counts as gone.
     */
    private static boolean takeOver(TableLayout layout, Seen judged, String run, byte[] body, Watch guard,
            Duration stale) throws IOException {
        Path g = guard(layout);
        if (!create(layout, g, body, run)) {
            Seen now = seen(layout, g);
            if (now != null && gone(parse(guard.look(now).body()), guard.unchanged(), stale) != null) {
                removeIf(layout, g, now, run);
            }
            return false;
        }
        try {
            return judged.equals(seen(layout, layout.lock())) && removeIf(layout, layout.lock(), judged, run);
        } finally {
            String found = read(layout, g);
            if (found != null && Arrays.equals(found.getBytes(StandardCharsets.UTF_8), body)) {
                layout.fs.delete(g, false);
            }
        }
    }

    /**
     * Moves {@code at} aside and deletes it when it is still {@code judged}; true then. Anything
     * else moved by mistake (its holder released it and a new run took its place in between) is
     * put back where no other file has appeared meanwhile.
     */
    private static boolean removeIf(TableLayout layout, Path at, Seen judged, String run) throws IOException {
        Path aside = new Path(layout.out, at.getName() + "." + run + ".stale");
        if (local(layout)) {
            try {
                Files.move(nio(at), nio(aside), StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return false;
            }
        } else if (!layout.fs.rename(at, aside)) {
            return false;
        }
        if (java.util.Objects.equals(read(layout, aside), judged.body())) {
            layout.fs.delete(aside, false);
            return true;
        }
        if (local(layout)) {
            try {
                Files.createLink(nio(at), nio(aside));
            } catch (FileAlreadyExistsException e) {
                // a newer file took the place; the one moved here is lost to its holder, which its checks see
            }
            Files.deleteIfExists(nio(aside));
        } else if (!layout.fs.rename(aside, at)) {
            layout.fs.delete(aside, false);
        }
        return false;
    }

    private static Path guard(TableLayout layout) {
        return new Path(layout.out, TableLayout.LOCK + ".takeover");
    }

    /**
     * Fails unless this run still holds the lock: called before each step of a commit. A look
     * that finds no lock is repeated briefly, since a taker that moved the wrong lock puts it back.
     */
    void verify() throws IOException {
        String found = null;
        for (int i = 0; i < 5; i++) {
            found = read(layout, lock);
            if (found != null && Arrays.equals(found.getBytes(StandardCharsets.UTF_8), body)) {
                return;
            }
            sleep(100);
        }
        throw new IOException("this run (" + run + ") no longer holds the lock of " + layout.out
                + (found == null ? ": it is gone" : ": it now says " + found) + "; nothing more was changed");
    }

    private void beat(long millis) {
        while (!released) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            if (released) {
                return;
            }
            try {
                if (local(layout)) {
                    Files.setLastModifiedTime(nio(lock), FileTime.fromMillis(System.currentTimeMillis()));
                } else {
                    layout.fs.setTimes(lock, System.currentTimeMillis(), -1);
                }
            } catch (IOException | RuntimeException e) {
                // missed beats show as staleness; verify() decides whether the lock is still ours
            }
        }
    }

    /** Stops the heartbeat and removes the lock if it is still this run's. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        heartbeat.interrupt();
        try {
            String found = read(layout, lock);
            if (found != null && Arrays.equals(found.getBytes(StandardCharsets.UTF_8), body)) {
                layout.fs.delete(lock, false);
            }
        } catch (IOException e) {
            // left behind: the next run finds this process gone and takes it over
        }
    }

    private static Seen seen(TableLayout layout, Path p) throws IOException {
        FileStatus st;
        try {
            st = layout.fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        }
        return new Seen(read(layout, p), st.getModificationTime());
    }

    private static String read(TableLayout layout, Path p) throws IOException {
        try (InputStream in = layout.fs.open(p)) {
            String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return s.isEmpty() ? null : s;
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    private static JsonNode parse(String body) {
        if (body == null) {
            return null;
        }
        try {
            JsonNode n = TableLayout.JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean local(TableLayout layout) {
        return "file".equals(layout.fs.getUri().getScheme());
    }

    private static java.nio.file.Path nio(Path p) {
        return java.nio.file.Paths.get(p.toUri().getPath());
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (d.isZero()) {
            return "0 s";
        }
        if (s < 1) {
            return d.toMillis() + " ms";
        }
        if (s < 120) {
            return s + " s";
        }
        return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScanException(ScanException.FAILURE, "interrupted while waiting for the lock", e);
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
