package dev.osgimon.core.internal.delivery;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.DeliveryStatus;
import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.TransportFactory;
import dev.osgimon.core.internal.transport.TcpWriter;
import dev.osgimon.core.internal.transport.UdpWriter;

/**
 * Turns the core configuration and the {@link TransportFactory} services into the outbox's writer
 * and buffer: {@code tcp://} and {@code udp://} built in, other schemes from factories. Every call
 * returns at once; the outbox applies changes on its own thread between two writes.
 */
public final class Delivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    static final long SEGMENT_BYTES = 16L * 1024 * 1024;

    /**
     * The delivery part of the core configuration, checked.
     *
     * @param target the target, or null if the configured one is not usable ({@code targetError} says why)
     * @param targetError why the target is not usable, or null
     * @param bufferLines most lines in memory
     * @param udpPayload most bytes per datagram
     * @param disk whether batches wait on disk
     * @param bufferDir the spool directory, or null
     * @param bufferBytes most bytes kept
     * @param sync when the spool is forced to the device
     */
    public record Settings(Target target, String targetError, int bufferLines, int udpPayload, boolean disk,
            Path bufferDir, long bufferBytes, DiskSpool.Sync sync) {
    }

    /**
     * A parsed push target.
     *
     * @param uri the URI as configured
     * @param scheme its scheme, lower case
     * @param host the host (tcp and udp)
     * @param port the port (tcp and udp)
     */
    public record Target(java.net.URI uri, String scheme, String host, int port) {

        /**
         * Parses and checks a target.
         *
         * @param text e.g. {@code tcp://127.0.0.1:8094}
         * @return the target
         * @throws IllegalArgumentException saying what is wrong
         */
        public static Target parse(String text) {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("target is empty");
            }
            java.net.URI uri;
            try {
                uri = new java.net.URI(text.trim());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("target '" + text + "' is not a URI: " + e.getMessage());
            }
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException(
                        "target '" + text + "' has no scheme (tcp://, udp://, http://, https://)");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("tcp") || scheme.equals("udp")) && (uri.getHost() == null || uri.getPort() <= 0)) {
                throw new IllegalArgumentException(
                        "target '" + text + "' needs a host and a port, e.g. " + scheme + "://127.0.0.1:8094");
            }
            return new Target(uri, scheme, uri.getHost(), uri.getPort());
        }

        /** @return the target without user info (credentials) */
        public String redacted() {
            if (uri.getRawUserInfo() == null) {
                return uri.toString();
            }
            return scheme + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        }

        @Override
        public String toString() {
            return redacted();
        }
    }

    private final Map<String, TransportFactory> factories = new ConcurrentHashMap<>();
    private final Map<TransportFactory, List<String>> factorySchemes = new ConcurrentHashMap<>();
    private final Outbox outbox;
    private final DiskSpool.Opener opener;
    private final Object lock = new Object();
    private Settings settings;

    /**
     * Starts the outbox (its sender thread) with the defaults; {@link #configure} sets the rest.
     *
     * @param opener opens spool files (tests pass one that fails)
     * @param minBackoffMillis first retry delay
     * @param maxBackoffMillis longest retry delay
     */
    public Delivery(DiskSpool.Opener opener, long minBackoffMillis, long maxBackoffMillis) {
        this.opener = opener;
        this.outbox = new Outbox("osgimon-outbox", 100_000, 256L * 1024 * 1024, minBackoffMillis, maxBackoffMillis);
    }

    /** @return the outbox (for the collector's cycles) */
    public Outbox outbox() {
        return outbox;
    }

    /** @return the target in force, or null before a valid one was configured */
    public Target target() {
        synchronized (lock) {
            return settings == null ? null : settings.target;
        }
    }

    /** @return whether a configuration was applied */
    public boolean configured() {
        synchronized (lock) {
            return settings != null;
        }
    }

    /** @return the state and counters */
    public DeliveryStatus status() {
        return outbox.status();
    }

    /**
     * Checks the delivery settings of a configuration.
     *
     * @throws IllegalArgumentException saying what is wrong with a setting other than the target (an
     *         unusable target is reported in {@link Settings#targetError()}, so the buffer settings still apply)
     */
    public static Settings parse(String target, int bufferLines, int udpPayload, String buffer, String bufferDir,
            long bufferBytes, String bufferSync) {
        Target t = null;
        String targetError = null;
        try {
            t = Target.parse(target);
        } catch (IllegalArgumentException e) {
            targetError = e.getMessage();
        }
        if (bufferLines < 1) {
            throw new IllegalArgumentException("bufferLines must be at least 1, was " + bufferLines);
        }
        if (udpPayload < 64 || udpPayload > 65_507) {
            throw new IllegalArgumentException("udpPayload must be within 64..65507, was " + udpPayload);
        }
        if (bufferBytes < 65_536) {
            throw new IllegalArgumentException("bufferBytes must be at least 65536, was " + bufferBytes);
        }
        String mode = buffer == null ? "memory" : buffer.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("memory") && !mode.equals("disk")) {
            throw new IllegalArgumentException("buffer must be memory or disk, was '" + buffer + "'");
        }
        DiskSpool.Sync sync;
        try {
            sync = DiskSpool.Sync.valueOf((bufferSync == null ? "batch" : bufferSync.trim()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bufferSync must be batch, interval or never, was '" + bufferSync + "'");
        }
        Path dir = null;
        String d = bufferDir == null ? "" : bufferDir.trim();
        if (!d.isEmpty()) {
            try {
                dir = Path.of(d).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("bufferDir '" + d + "' is not a path: " + e.getMessage());
            }
        }
        boolean disk = mode.equals("disk") && dir != null;
        if (mode.equals("disk") && dir == null) {
            LOG.warn("buffer=disk needs a bufferDir; keeping lines in memory");
        }
        return new Settings(t, targetError, bufferLines, udpPayload, disk, dir, bufferBytes, sync);
    }

    /**
     * Applies checked settings; returns at once. A new target gets every line still waiting, after
     * the older ones; a new buffer gets every batch the old one held.
     *
     * @param next the settings
     */
    public void configure(Settings requested) {
        Settings old;
        Settings next = requested;
        synchronized (lock) {
            old = settings;
            if (next.target == null) {
                if (old != null && old.target != null) {
                    LOG.error("Invalid configuration: {}; still sending to {}", next.targetError, old.target);
                    next = new Settings(old.target, null, next.bufferLines, old.udpPayload, next.disk,
                            next.bufferDir, next.bufferBytes, next.sync);
                } else {
                    LOG.error("Invalid configuration: {}; lines are kept until it is fixed", next.targetError);
                }
            }
            settings = next;
        }
        outbox.caps(next.bufferLines, next.bufferBytes);
        boolean storeChanged = old == null ? next.disk
                : old.disk != next.disk || (next.disk && (!Objects.equals(old.bufferDir, next.bufferDir)
                        || old.sync != next.sync));
        if (storeChanged) {
            if (next.disk) {
                Path dir = next.bufferDir;
                DiskSpool.Sync sync = next.sync;
                outbox.useStore(dir, () -> new SpoolStore(dir, sync, SEGMENT_BYTES, opener, System::nanoTime));
            } else {
                outbox.useStore(null, MemoryStore::new);
            }
        }
        if (next.target == null) {
            if (old == null || old.target != null) {
                outbox.useWriter("none", () -> null);
            }
        } else if (old == null || !next.target.equals(old.target) || old.udpPayload != next.udpPayload) {
            useTarget(next);
        }
    }

    private void useTarget(Settings s) {
        Target t = s.target;
        outbox.useWriter(t.redacted(), () -> create(t, s.udpPayload));
    }

    private LineWriter create(Target t, int udpPayload) {
        switch (t.scheme()) {
            case "tcp":
                return new TcpWriter(t.host(), t.port());
            case "udp":
                return new UdpWriter(t.host(), t.port(), udpPayload);
            default:
                TransportFactory f = factories.get(t.scheme());
                if (f == null) {
                    LOG.warn("No transport for {}:// yet (is its bundle, e.g. dev.osgimon.influxdb.http, started?);"
                            + " keeping the lines", t.scheme());
                    return null;
                }
                return f.create(t.uri());
        }
    }

    /**
     * A factory service arrived: use it if the target waits for its scheme.
     *
     * @param factory the factory
     * @param schemesProperty its {@link TransportFactory#SCHEMES} property
     */
    public void addFactory(TransportFactory factory, Object schemesProperty) {
        List<String> schemes = new ArrayList<>();
        for (String s : strings(schemesProperty)) {
            schemes.add(s.toLowerCase(Locale.ROOT));
        }
        factorySchemes.put(factory, schemes);
        for (String s : schemes) {
            factories.putIfAbsent(s, factory);
        }
        reopenIfUsing(schemes, "is available now");
    }

    /**
     * A factory service went away: lines wait if the target used it.
     *
     * @param factory the factory
     */
    public void removeFactory(TransportFactory factory) {
        List<String> schemes = factorySchemes.remove(factory);
        if (schemes == null) {
            return;
        }
        for (String s : schemes) {
            factories.remove(s, factory);
        }
        reopenIfUsing(schemes, "changed");
    }

    private void reopenIfUsing(List<String> schemes, String what) {
        Settings s;
        synchronized (lock) {
            s = settings;
        }
        if (s != null && s.target != null && schemes.contains(s.target.scheme())) {
            LOG.info("Transport for {} {}", s.target.scheme(), what);
            useTarget(s);
        }
    }

    /** Stops the outbox: its thread, the writer, the buffer (a spool keeps its lines). */
    @Override
    public void close() {
        outbox.close();
    }

    /** @return a service property value as strings */
    public static List<String> strings(Object value) {
        if (value instanceof String[]) {
            return List.of((String[]) value);
        }
        if (value instanceof String) {
            return List.of((String) value);
        }
        if (value instanceof Iterable<?>) {
            List<String> out = new ArrayList<>();
            for (Object o : (Iterable<?>) value) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        return List.of();
    }
}
