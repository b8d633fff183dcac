package dev.osgimon.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.transport.Transport;
import dev.osgimon.api.transport.TransportFactory;
import dev.osgimon.api.transport.TransportStats;
import dev.osgimon.core.internal.encode.LineEncoder;
import dev.osgimon.core.internal.transport.PendingTransport;
import dev.osgimon.core.internal.transport.TcpTransport;
import dev.osgimon.core.internal.transport.UdpTransport;

/**
 * The transport for the configured target: {@code tcp://} and {@code udp://} built in, other schemes
 * from {@link TransportFactory} services. Replacing it (a new target, a factory coming or going)
 * hands the lines the old one still holds to the new one. Counters add up over every transport
 * this switch ever had.
 */
final class TransportSwitch {

    private static final Logger LOG = LoggerFactory.getLogger(TransportSwitch.class);
    private static final int DEFAULT_BUFFER_LINES = 100_000;
    private static final int DEFAULT_UDP_PAYLOAD = 1472;

    /** Counters over every transport so far, and the current buffer. */
    record Totals(String scheme, long sent, long dropped, long writeErrors, long reconnects, int buffered,
            int capacity) {
    }

    private final Map<String, TransportFactory> factories = new ConcurrentHashMap<>();
    private final Map<TransportFactory, List<String>> factorySchemes = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    private Transport transport;
    private volatile Target target;
    private volatile int bufferLines = DEFAULT_BUFFER_LINES;
    private volatile int udpPayload = DEFAULT_UDP_PAYLOAD;
    private long retiredSent;
    private long retiredDropped;
    private long retiredErrors;
    private long retiredReconnects;

    /** @return the target in force, or null before a valid one was configured */
    Target target() {
        return target;
    }

    /**
     * Applies the push settings of a configuration. An invalid value is logged and the previous
     * one (or the default) stays in force; an invalid first target buffers until it is fixed.
     */
    void configure(CoreConfig c) {
        boolean initial;
        synchronized (lock) {
            initial = transport == null;
        }
        int lines = c.bufferLines();
        if (lines < 1) {
            LOG.error("Invalid configuration {} bufferLines={}: must be at least 1; using {}", CoreConfig.PID, lines,
                    bufferLines);
            lines = bufferLines;
        }
        int payload = c.udpPayload();
        if (payload < 64 || payload > 65_507) {
            LOG.error("Invalid configuration {} udpPayload={}: must be within 64..65507; using {}", CoreConfig.PID,
                    payload, udpPayload);
            payload = udpPayload;
        }
        Target next;
        try {
            next = Target.parse(c.target());
        } catch (IllegalArgumentException e) {
            if (initial) {
                LOG.error("Invalid configuration {} target: {}; lines are buffered until it is fixed", CoreConfig.PID,
                        e.getMessage());
                bufferLines = lines;
                install(new PendingTransport(String.valueOf(c.target()), lines), null);
            } else {
                LOG.error("Invalid configuration {} target: {}; still sending to {}", CoreConfig.PID, e.getMessage(),
                        target);
            }
            return;
        }
        boolean same = !initial && next.equals(target) && lines == bufferLines && payload == udpPayload;
        bufferLines = lines;
        udpPayload = payload;
        if (!same) {
            install(create(next), next);
        }
    }

    /** A factory service arrived: use it if the target waits for its scheme. */
    void addFactory(TransportFactory factory, Object schemesProperty) {
        List<String> schemes = new ArrayList<>();
        for (String s : Collector.stringArray(schemesProperty)) {
            schemes.add(s.toLowerCase(Locale.ROOT));
        }
        factorySchemes.put(factory, schemes);
        for (String s : schemes) {
            factories.putIfAbsent(s, factory);
        }
        Target t = target;
        boolean waiting;
        synchronized (lock) {
            waiting = transport instanceof PendingTransport;
        }
        if (t != null && schemes.contains(t.scheme()) && waiting) {
            LOG.info("Transport for {} is available now", t.scheme());
            install(create(t), t);
        }
    }

    /** A factory service went away: buffer if the target used it. */
    void removeFactory(TransportFactory factory) {
        List<String> schemes = factorySchemes.remove(factory);
        if (schemes == null) {
            return;
        }
        for (String s : schemes) {
            factories.remove(s, factory);
        }
        Target t = target;
        if (t != null && schemes.contains(t.scheme())) {
            LOG.info("Transport for {} went away; buffering", t.scheme());
            install(create(t), t);
        }
    }

    /** Hands a cycle's lines to the transport; never blocks on the network. */
    void send(LineEncoder enc) {
        if (enc.lines() == 0) {
            return;
        }
        synchronized (lock) {
            if (transport != null) {
                transport.send(enc.buffer(), 0, enc.size(), enc.lines());
            }
        }
    }

    /** @return the counters over every transport so far */
    Totals totals() {
        synchronized (lock) {
            TransportStats s = transport == null ? new TransportStats(0, 0, 0, 0, 0, 0) : transport.stats();
            Target t = target;
            return new Totals(t == null ? "none" : t.scheme(), retiredSent + s.linesSent(),
                    retiredDropped + s.linesDropped(), retiredErrors + s.writeErrors(),
                    retiredReconnects + s.reconnects(), s.linesBuffered(), s.bufferCapacity());
        }
    }

    /** Closes the transport (stopping its threads) and logs what it could not send. */
    void close() {
        Transport t;
        synchronized (lock) {
            t = transport;
            transport = null;
        }
        if (t != null) {
            t.close();
            TransportStats s = t.stats();
            if (s.linesBuffered() > 0) {
                LOG.warn("Stopping with {} lines not sent to {}", s.linesBuffered(), target);
            }
        }
    }

    /** Makes {@code fresh} the transport and hands it what the old one still holds. */
    private void install(Transport fresh, Target next) {
        Transport old;
        synchronized (lock) {
            old = transport;
            transport = fresh;
            if (next != null) {
                target = next;
            }
        }
        if (old != null) {
            old.close();
            TransportStats s = old.stats();
            synchronized (lock) {
                retiredSent += s.linesSent();
                retiredDropped += s.linesDropped();
                retiredErrors += s.writeErrors();
                retiredReconnects += s.reconnects();
            }
            old.drainTo(fresh);
        }
    }

    private Transport create(Target t) {
        switch (t.scheme()) {
            case "tcp":
                return new TcpTransport(t.host(), t.port(), bufferLines, 100, 10_000);
            case "udp":
                return new UdpTransport(t.host(), t.port(), udpPayload);
            default:
                TransportFactory f = factories.get(t.scheme());
                if (f != null) {
                    try {
                        return f.create(t.uri(), bufferLines);
                    } catch (RuntimeException e) {
                        LOG.error("Cannot create a transport for {}: {}; buffering", t, e.getMessage());
                    }
                } else {
                    LOG.warn("No transport for {}:// yet (is its bundle, e.g. dev.osgimon.influxdb.http, started?);"
                            + " buffering up to {} lines", t.scheme(), bufferLines);
                }
                return new PendingTransport(t.toString(), bufferLines);
        }
    }
}
