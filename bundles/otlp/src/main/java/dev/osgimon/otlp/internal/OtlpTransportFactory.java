package dev.osgimon.otlp.internal;

import dev.osgimon.api.transport.CycleEncoder;
import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.TransportFactory;

/**
 * Writers and encoders for {@code otlp+http} and {@code otlp+https} targets, for one configuration.
 * Keeps none of them: the core owns what it asked for. Public (in a private package) so that tests
 * and benchmarks can use it without a framework.
 */
public final class OtlpTransportFactory implements TransportFactory {

    private final Settings settings;

    /**
     * @param settings the checked configuration
     */
    public OtlpTransportFactory(Settings settings) {
        this.settings = settings;
    }

    @Override
    public LineWriter create(Target target) {
        return new OtlpWriter(target, settings.headers(), settings.gzip(), settings.timeoutMillis(),
                settings.version());
    }

    @Override
    public CycleEncoder encoder(Target target) {
        return new OtlpEncoder(settings.names(), settings.serviceName(), settings.instanceId(), settings.version(),
                settings.processStartNanos());
    }

    @Override
    public String toString() {
        return "OtlpTransportFactory[" + settings + "]";
    }
}
