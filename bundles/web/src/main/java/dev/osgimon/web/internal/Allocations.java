package dev.osgimon.web.internal;

import java.io.IOException;
import java.util.Map;

/**
 * What the page asks of the memtrace bundle's allocation recorder, in the page's own terms. Kept
 * apart from {@code dev.osgimon.memtrace} (an optional import) so that the page loads and works,
 * without its memtrace card, where that bundle is not installed; {@link MemtraceAllocations} is the
 * one class that touches it.
 */
interface Allocations {

    /**
     * Starts a recording.
     *
     * @param seconds how long
     * @param who who asks, for the memtrace bundle's log
     * @throws IllegalArgumentException for a bad duration
     * @throws IllegalStateException if one is running
     */
    void start(int seconds, String who);

    /** @return the page's JSON model of the last recording */
    Map<String, Object> status();

    /**
     * Answers with the last recording's JFR file as a download.
     *
     * @param x the exchange
     * @return false, having answered nothing, when there is no file
     * @throws IOException if the client is gone
     */
    boolean download(Exchange x) throws IOException;
}
