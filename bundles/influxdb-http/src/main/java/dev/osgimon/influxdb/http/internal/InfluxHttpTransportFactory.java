package dev.osgimon.influxdb.http.internal;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.TransportFactory;

/**
 * Creates {@link HttpWriter}s for one configuration. Remembers the writers it created that are
 * still open so that {@link #closeAll()} can stop them. Public (in a private package) so that
 * integration tests can use it without a framework.
 */
public final class InfluxHttpTransportFactory implements TransportFactory {

    private final InfluxHttpConfig config;
    private final Set<LineWriter> open = ConcurrentHashMap.newKeySet();

    /**
     * A factory for one configuration.
     *
     * @param config the configuration
     */
    public InfluxHttpTransportFactory(InfluxHttpConfig config) {
        this.config = config;
    }

    @Override
    public LineWriter create(URI target) {
        Settings settings = Settings.of(target, config);
        BatchWriter writer = settings.v1() ? new V1Writer(settings) : new V2Writer(settings);
        AtomicReference<LineWriter> self = new AtomicReference<>();
        HttpWriter w = new HttpWriter(settings, Settings.redact(target), writer, () -> open.remove(self.get()));
        self.set(w);
        open.add(w);
        return w;
    }

    /** Closes every writer created here and not closed yet. */
    void closeAll() {
        for (LineWriter t : open) {
            t.close();
        }
        open.clear();
    }

    /** How many writers are open. */
    int openTransports() {
        return open.size();
    }
}
