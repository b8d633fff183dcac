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
import dev.osgimon.api.transport.CycleEncoder;
import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.TransportFactory;
import dev.osgimon.core.internal.CoreConfig;
import dev.osgimon.core.internal.transport.TcpWriter;
import dev.osgimon.core.internal.transport.UdpWriter;

/**
 * Turns the core configuration and the {@link TransportFactory} services into the outbox's writer
 * and buffer: {@code tcp://} and {@code udp://} built in, other schemes from factories. The target is
 * parsed once ({@link ParsedTarget}) and writers get the parsed value. Every call returns at once,
 * except that a factory going away waits (boundedly) until the outbox closed the writer it made; the
 * outbox applies changes on its own thread between two writes.
 */
public final class Delivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);
    static final long SEGMENT_BYTES = 16L * 1024 * 1024;
    /** Longest wait, when a transport factory goes away, for the outbox to close its writer. */
    static final long FACTORY_CLOSE_MILLIS = 5_000;

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
    public record Settings(ParsedTarget target, String targetError, int bufferLines, int udpPayload, boolean disk,
            Path bufferDir, long bufferBytes, DiskSpool.Sync sync) {
    }

    private final Map<String, TransportFactory> factories = new ConcurrentHashMap<>();
    private final Map<TransportFactory, List<String>> factorySchemes = new ConcurrentHashMap<>();
    private final Outbox outbox;
    private final DiskSpool.Opener opener;
    private final Object lock = new Object();
    private Settings settings;
    /** How collector threads encode cycles for the current target; line protocol until a factory says otherwise. */
    private volatile Encoding encoding = Encoding.LINE;

    /**
     * Starts the outbox (its sender thread) with the defaults; {@link #configure} sets the rest.
     *
     * @param opener opens spool files (tests pass one that fails)
     * @param minBackoffMillis first retry delay
     * @param maxBackoffMillis longest retry delay
     */
    public Delivery(DiskSpool.Opener opener, long minBackoffMillis, long maxBackoffMillis) {
        this.opener = opener;
        this.outbox = new Outbox("osgimon-outbox", CoreConfig.DEFAULT_BUFFER_LINES, CoreConfig.DEFAULT_BUFFER_BYTES,
                minBackoffMillis, maxBackoffMillis);
    }

    /** @return the outbox (for the collector's cycles) */
    public Outbox outbox() {
        return outbox;
    }

    /**
     * How the collector threads encode each cycle: the current target's format. Line protocol for
     * {@code tcp://}, {@code udp://}, a factory without encoder, and while the target's factory is
     * not there yet (the outbox then neither sends nor drops; once the factory arrives, the batches
     * of another format than its own are dropped and counted). One volatile read.
     *
     * @return the encoding
     */
    public Encoding encoding() {
        return encoding;
    }

    /** @return the target in force, or null before a valid one was configured */
    public ParsedTarget target() {
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
     * @param c the configuration
     * @return the settings
     * @throws IllegalArgumentException see {@link #parse(String, int, int, String, String, long, String)}
     */
    public static Settings parse(CoreConfig c) {
        return parse(c.target(), c.bufferLines(), c.udpPayload(), c.buffer(), c.bufferDir(), c.bufferBytes(),
                c.bufferSync());
    }

    /**
     * The configured target with every other delivery setting at its default: what a first
     * configuration with a bad buffer setting gets.
     *
     * @param target the configured target
     * @return the settings
     */
    public static Settings defaults(String target) {
        return parse(target, CoreConfig.DEFAULT_BUFFER_LINES, CoreConfig.DEFAULT_UDP_PAYLOAD,
                CoreConfig.DEFAULT_BUFFER, "", CoreConfig.DEFAULT_BUFFER_BYTES, CoreConfig.DEFAULT_BUFFER_SYNC);
    }

    /**
     * Checks the delivery settings of a configuration.
     *
     * @throws IllegalArgumentException saying what is wrong with a setting other than the target (an
     *         unusable target is reported in {@link Settings#targetError()}, so the buffer settings still apply)
     */
    public static Settings parse(String target, int bufferLines, int udpPayload, String buffer, String bufferDir,
            long bufferBytes, String bufferSync) {
        ParsedTarget t = null;
        String targetError = null;
        try {
            t = ParsedTarget.parse(target);
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
        String mode = (buffer == null ? CoreConfig.DEFAULT_BUFFER : buffer).trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("memory") && !mode.equals("disk")) {
            throw new IllegalArgumentException("buffer must be memory or disk, was '" + buffer + "'");
        }
        DiskSpool.Sync sync;
        try {
            sync = DiskSpool.Sync.valueOf((bufferSync == null ? CoreConfig.DEFAULT_BUFFER_SYNC : bufferSync).trim()
                    .toUpperCase(Locale.ROOT));
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
                outbox.useWriter("none", null, () -> null); // no format known: spooled batches wait
            }
        } else if (old == null || !next.target.equals(old.target) || old.udpPayload != next.udpPayload) {
            useTarget(next);
        }
    }

    /**
     * Asks the outbox for the target's writer, with the format its factory reads, then lets the
     * collector threads encode in that format (in this order, so that no batch of the new format
     * reaches the outbox before it knows the format). Serial: the lock is held throughout.
     */
    private long useTarget(Settings s) {
        synchronized (lock) {
            ParsedTarget t = s.target;
            String scheme = t.scheme();
            if (scheme.equals("tcp") || scheme.equals("udp")) {
                long request = outbox.useWriter(t.redacted(), Formats.LINE, () -> builtIn(t, s.udpPayload));
                encoding = Encoding.LINE;
                return request;
            }
            TransportFactory f = factories.get(scheme);
            Encoding next = Encoding.LINE;
            String format = null; // not known while the factory is not there: nothing is sent or dropped
            if (f != null) {
                try {
                    next = encodingOf(f, t);
                    format = next.format();
                } catch (RuntimeException e) {
                    LOG.error("The transport for {}:// cannot say its format: {}; keeping the lines", scheme,
                            e.getMessage());
                    f = null;
                }
            }
            TransportFactory factory = f;
            long request = outbox.useWriter(t.redacted(), format, () -> create(factory, t));
            encoding = next;
            return request;
        }
    }

    /** @return the encoding of {@code f}'s format; line protocol if it has no encoder */
    private static Encoding encodingOf(TransportFactory f, ParsedTarget t) {
        CycleEncoder probe = f.encoder(t);
        if (probe == null) {
            return Encoding.LINE;
        }
        String format = probe.format();
        if (!Formats.valid(format) || Formats.LINE.equals(format)) {
            throw new IllegalArgumentException("its encoder names the format '" + format + "', not 1 to "
                    + Formats.MAX_LENGTH + " of a-z, 0-9 and - (and not " + Formats.LINE + ")");
        }
        return new Encoding(format, f, t);
    }

    private static LineWriter builtIn(ParsedTarget t, int udpPayload) {
        return t.scheme().equals("tcp") ? new TcpWriter(t.host(), t.port())
                : new UdpWriter(t.host(), t.port(), udpPayload);
    }

    /** Opens the writer of {@code f}, if it is still the factory for the target's scheme. */
    private LineWriter create(TransportFactory f, ParsedTarget t) {
        if (f == null || factories.get(t.scheme()) != f) {
            if (f == null && !factories.containsKey(t.scheme())) {
                LOG.warn("No transport for {}:// yet (is its bundle, e.g. dev.osgimon.influxdb.http, started?);"
                        + " keeping the lines", t.scheme());
            }
            return null; // gone, or replaced: its removal or arrival asks for the next writer
        }
        return f.create(t);
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
     * A factory service went away: lines wait if the target used it. Returns once the outbox closed
     * the writer that factory made (at most {@value #FACTORY_CLOSE_MILLIS} ms: a write in progress is
     * aborted first), so that nothing of the factory's bundle is used after its service is gone.
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
        long request = reopenIfUsing(schemes, "changed");
        if (request > 0 && !outbox.awaitWriter(request, FACTORY_CLOSE_MILLIS)) {
            LOG.warn("The writer of the transport for {} did not close within {} ms; it closes when its write ends",
                    schemes, FACTORY_CLOSE_MILLIS);
        }
    }

    /** @return the outbox request that switches the writer, or 0 if the target does not use these schemes */
    private long reopenIfUsing(List<String> schemes, String what) {
        Settings s;
        synchronized (lock) {
            s = settings;
        }
        if (s != null && s.target != null && schemes.contains(s.target.scheme())) {
            LOG.info("Transport for {} {}", s.target.scheme(), what);
            return useTarget(s);
        }
        return 0;
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
