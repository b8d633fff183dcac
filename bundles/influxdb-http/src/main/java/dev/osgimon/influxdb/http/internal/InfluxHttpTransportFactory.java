package dev.osgimon.influxdb.http.internal;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.osgimon.api.transport.Transport;
import dev.osgimon.api.transport.TransportFactory;

/**
 * Creates {@link HttpTransport}s for one configuration. Remembers the transports it created that are
 * still open so that {@link #closeAll()} can stop them. Public (in a private package) so that
 * integration tests can use it without a framework.
 */
public final class InfluxHttpTransportFactory implements TransportFactory {

    private final InfluxHttpConfig config;
    private final Set<Transport> open = ConcurrentHashMap.newKeySet();

    /**
     * A factory for one configuration.
     *
     * @param config the configuration
     */
    public InfluxHttpTransportFactory(InfluxHttpConfig config) {
        this.config = config;
    }

    @Override
    public Transport create(URI target, int bufferLines) {
        Settings settings = Settings.of(target, config);
        if (bufferLines < 1) {
            throw new IllegalArgumentException("bufferLines must be at least 1: " + bufferLines);
        }
        BatchWriter writer = settings.v1() ? new V1Writer(settings) : new V2Writer(settings);
        Transport[] self = new Transport[1];
        HttpTransport transport = HttpTransport.open(settings, Settings.redact(target), writer, bufferLines,
                () -> open.remove(self[0]));
        self[0] = transport;
        open.add(transport);
        return transport;
    }

    /** Closes every transport created here and not closed yet. */
    void closeAll() {
        for (Transport t : open) {
            t.close();
        }
        open.clear();
    }

    /** How many transports are open. */
    int openTransports() {
        return open.size();
    }
}
