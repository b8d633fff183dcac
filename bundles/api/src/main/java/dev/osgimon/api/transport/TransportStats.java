package dev.osgimon.api.transport;

/**
 * Counters of a transport.
 *
 * @param linesSent lines handed to the target
 * @param linesDropped lines lost because the buffer was full (or rejected for good by the target)
 * @param writeErrors failed writes or connection attempts
 * @param reconnects connections established after the first
 * @param linesBuffered lines waiting now
 * @param bufferCapacity the most lines the buffer holds
 */
public record TransportStats(long linesSent, long linesDropped, long writeErrors, long reconnects,
        int linesBuffered, int bufferCapacity) {
}
