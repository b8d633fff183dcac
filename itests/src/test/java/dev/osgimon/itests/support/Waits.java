package dev.osgimon.itests.support;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;

/** Waiting on conditions with a timeout, never on guesses. */
public final class Waits {

    private Waits() {
    }

    /** Polls {@code condition} every 200 ms until it is true, failing with {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).pollInSameThread()
                .until(condition);
    }
}
