package dev.osgimon.core.internal.ready;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits, on a thread of its own, until nothing is missing or a deadline passes, then opens once: it calls
 * {@code open} with what is still missing (empty when everything came). Checking runs every
 * {@link #POLL} and is cheap (service registry and SCR runtime lookups); the wait lasts seconds at most.
 */
final class ReadyGate implements AutoCloseable {

    /** How often the expectations are checked while waiting. */
    static final Duration POLL = Duration.ofMillis(25);

    private final Supplier<List<String>> missing;
    private final Consumer<List<String>> open;
    private final long deadlineNanos;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    /**
     * Starts waiting.
     *
     * @param missing what is missing now; empty when ready
     * @param timeout the longest wait
     * @param open called once, on the gate's thread, with what is still missing (empty: everything came)
     */
    ReadyGate(Supplier<List<String>> missing, Duration timeout, Consumer<List<String>> open) {
        this.missing = missing;
        this.open = open;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.thread = new Thread(this::run, "osgimon-ready");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            List<String> now = missing.get();
            while (!now.isEmpty() && System.nanoTime() - deadlineNanos < 0) {
                if (closed.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                now = missing.get();
            }
            if (closed.getCount() > 0) {
                open.accept(now);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops waiting (if it still does) and joins the thread. */
    @Override
    public void close() {
        closed.countDown();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether the gate's thread has ended */
    boolean isStopped() {
        return !thread.isAlive();
    }
}
