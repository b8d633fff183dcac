package dev.osgimon.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

/** Takes encoded line-protocol lines. */
@ConsumerType
@FunctionalInterface
public interface LineSink {

    /**
     * Takes complete lines, each ending in {@code \n}. Must not block on the network: copy what
     * must be kept and return. The bytes are only valid during the call.
     *
     * @param buf the bytes
     * @param off where the lines start
     * @param len how many bytes
     * @param lines how many lines the bytes hold
     */
    void send(byte[] buf, int off, int len, int lines);
}
