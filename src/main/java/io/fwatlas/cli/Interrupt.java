package io.fwatlas.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * While a command runs, an interrupt (SIGINT, SIGTERM) prints one line: what state the table is
 * in. The hook runs in Hadoop's shutdown sequence ahead of Spark's, which stops the context and
 * so fails the running job; the failure that follows is then not reported again.
 */
final class Interrupt implements AutoCloseable {
    /** Above Spark's hook (Hadoop priority 40) and the file systems' closing (10). */
    private static final int PRIORITY = 100;
    private static volatile boolean happened;

    private final Runnable hook;

    private Interrupt(Runnable hook) {
        this.hook = hook;
    }

    /** Watches until {@link #close}; {@code state} says, in words, what an interrupt now leaves. */
    static Interrupt watch(PrintWriter err, String name, Supplier<String> state) {
        Runnable hook = () -> {
            happened = true;
            String s;
            try {
                s = state.get();
            } catch (RuntimeException e) {
                s = "its state could not be read (" + Failures.oneLine(e) + ")";
            }
            err.println(name + ": interrupted; " + s);
            err.flush();
            // Spark's executors log every task the shutdown rejects, with stack traces: not news now
            Configurator.setRootLevel(Level.OFF);
        };
        ShutdownHookManager.get().addShutdownHook(hook, PRIORITY);
        return new Interrupt(hook);
    }

    /** True once an interrupt began the JVM's shutdown. */
    static boolean happened() {
        return happened;
    }

    @Override
    public void close() {
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(hook);
        }
    }
}
