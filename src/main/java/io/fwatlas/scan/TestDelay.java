package io.fwatlas.scan;

/**
 * A test hook: when the system property {@value #PROPERTY} holds a number of milliseconds, every
 * file read on an executor says so on stderr and waits that long first, so a test can kill an
 * executor that is running a read task (ExecutorLossIT). Unset, it costs one static read per file.
 */
public final class TestDelay {
    public static final String PROPERTY = "fwatlas.test.slowReadMillis";
    public static final String ANNOUNCEMENT = "fwatlas-test: slow read, ";
    private static final long MILLIS = Long.getLong(PROPERTY, 0L);

    private TestDelay() {
    }

    /** Waits before a file is read; an interrupt (a killed task) ends the wait. */
    public static void beforeRead() {
        if (MILLIS <= 0) {
            return;
        }
        System.err.println(ANNOUNCEMENT + MILLIS + " ms");
        try {
            Thread.sleep(MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
