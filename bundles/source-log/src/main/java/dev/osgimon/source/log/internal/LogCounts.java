package dev.osgimon.source.log.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;

/**
 * Counts log entries by level, and entries at warn or worse by bundle, as they are logged. It runs
 * on the logging thread of whoever logs, so it only increments striped counters: no lock, and no
 * allocation once a bundle has been seen. The number of bundles counted one by one is bounded.
 */
final class LogCounts implements LogListener {

    /** The tag value for bundles beyond the bound, and for entries without a bundle. */
    static final String OTHER = "other";

    private static final LogLevel[] LEVELS = LogLevel.values();

    private final LongAdder[] byLevel = new LongAdder[LEVELS.length];
    private final Map<String, BundleCounts> byBundle = new ConcurrentHashMap<>();
    private final int maxBundles;

    /** The warn and error counts of one bundle. */
    static final class BundleCounts {
        final LongAdder errors = new LongAdder();
        final LongAdder warnings = new LongAdder();
    }

    /** @param maxBundles the most bundles counted one by one (at least 1) */
    LogCounts(int maxBundles) {
        this.maxBundles = maxBundles;
        for (int i = 0; i < byLevel.length; i++) {
            byLevel[i] = new LongAdder();
        }
    }

    @Override
    public void logged(LogEntry entry) {
        LogLevel level = entry.getLogLevel();
        if (level == null) {
            return;
        }
        byLevel[level.ordinal()].increment();
        if (level == LogLevel.ERROR || level == LogLevel.WARN) {
            BundleCounts counts = bundle(entry.getBundle());
            (level == LogLevel.ERROR ? counts.errors : counts.warnings).increment();
        }
    }

    private BundleCounts bundle(Bundle bundle) {
        String bsn = bundle == null ? null : bundle.getSymbolicName();
        if (bsn == null) {
            bsn = OTHER;
        }
        BundleCounts counts = byBundle.get(bsn);
        if (counts == null) {
            counts = byBundle.size() < maxBundles
                    ? byBundle.computeIfAbsent(bsn, k -> new BundleCounts())
                    : byBundle.computeIfAbsent(OTHER, k -> new BundleCounts());
        }
        return counts;
    }

    /** @return the levels in the order of {@link #count(int)} */
    static LogLevel[] levels() {
        return LEVELS;
    }

    /**
     * @param levelOrdinal the ordinal of a {@link LogLevel}
     * @return the entries of that level so far
     */
    long count(int levelOrdinal) {
        return byLevel[levelOrdinal].sum();
    }

    /** @return the counts of every bundle that logged at warn or worse, by symbolic name */
    Map<String, BundleCounts> bundles() {
        return byBundle;
    }
}
