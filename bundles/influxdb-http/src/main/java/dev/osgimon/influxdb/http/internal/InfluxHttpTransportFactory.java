package dev.osgimon.influxdb.http.internal;

import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.TransportFactory;

/**
 * Creates {@link HttpWriter}s for one configuration. Keeps none of them: the core's outbox owns
 * every writer it asked for and closes it on its sender thread. Public (in a private package) so
 * that integration tests can use it without a framework.
 */
public final class InfluxHttpTransportFactory implements TransportFactory {

    private final InfluxHttpConfig config;

    /**
     * A factory for one configuration.
     *
     * @param config the configuration
     */
    public InfluxHttpTransportFactory(InfluxHttpConfig config) {
        this.config = config;
    }

    @Override
    public LineWriter create(Target target) {
        if (!target.scheme().equals("http") && !target.scheme().equals("https")) {
            throw new IllegalArgumentException("not an http(s) target: " + target.redacted());
        }
        Settings settings = Settings.of(target, config);
        BatchWriter writer = settings.v1() ? new V1Writer(settings) : new V2Writer(settings);
        return new HttpWriter(settings, target.location(), writer);
    }
}
