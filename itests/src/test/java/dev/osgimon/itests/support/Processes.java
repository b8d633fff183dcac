package dev.osgimon.itests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/** Starting server processes and stopping them for good. */
final class Processes {

    private Processes() {
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code log} and returns once
     * {@code ready} says yes (its exceptions count as not yet). Fails at once, with the log, if the
     * process exits first.
     */
    static Process start(String what, Path log, Callable<Boolean> ready, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(150)).pollInSameThread()
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new IllegalStateException(what + ": the process exited:\n" + Files.readString(log));
                    }
                    try {
                        return ready.call();
                    } catch (Exception notYet) {
                        return false;
                    }
                });
        return p;
    }

    /** SIGTERM, then SIGKILL after {@code graceSeconds}; returns the exit code. */
    static int stop(Process p, int graceSeconds) {
        if (!p.isAlive()) {
            return p.exitValue();
        }
        p.destroy();
        try {
            if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        return p.isAlive() ? -1 : p.exitValue();
    }
}
