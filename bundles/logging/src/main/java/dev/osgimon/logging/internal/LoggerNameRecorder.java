package dev.osgimon.logging.internal;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;

/**
 * Remembers the names of the loggers that have logged, up to a bound. Called on the logging
 * thread for every entry, so it does no more than a hash lookup once a name is known.
 */
final class LoggerNameRecorder implements LogListener {

    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final int max;

    /**
     * Creates a recorder.
     *
     * @param max the most names kept; later new names are not recorded
     */
    LoggerNameRecorder(int max) {
        this.max = max;
    }

    @Override
    public void logged(LogEntry entry) {
        record(entry.getLoggerName());
    }

    void record(String name) {
        // "ROOT" is what the framework's own events carry: the root logger, shown as * already
        if (name != null && !name.isEmpty() && !names.contains(name) && names.size() < max && !name.equals("ROOT")) {
            names.add(name);
        }
    }

    /**
     * The names recorded so far.
     *
     * @return an immutable sorted copy
     */
    Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(names));
    }
}
