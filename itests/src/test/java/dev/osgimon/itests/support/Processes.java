package dev.osgimon.itests.support;

import java.util.concurrent.TimeUnit;

/** Stopping child processes for good. */
final class Processes {

    private Processes() {
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
