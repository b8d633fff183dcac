package dev.osgimon.prometheus.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import dev.osgimon.api.transport.CycleEncoder;
import dev.osgimon.api.transport.LineWriter;
import dev.osgimon.api.transport.Target;
import dev.osgimon.api.transport.TransportFactory;

/**
 * The transport for {@code prometheus+http} and {@code prometheus+https} targets, e.g.
 * {@code prometheus+http://prometheus:9090/api/v1/write}: the core encodes every cycle with a
 * {@link RemoteWriteEncoder}, keeps the records in its one outbox and spool, and hands them to a
 * {@link RemoteWriter}. Keeps no writer: the core's outbox owns and closes them.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, property = {
        TransportFactory.SCHEMES + "=prometheus+http", TransportFactory.SCHEMES + "=prometheus+https",
        "service.description=Prometheus remote write 1.0"})
public final class RemoteWriteTransport implements TransportFactory {

    /** Connect and read timeout of one request. */
    static final int TIMEOUT_MILLIS = 10_000;

    private final String userAgent;

    /**
     * @param context this bundle's context, for the version in the {@code User-Agent}
     */
    @Activate
    public RemoteWriteTransport(BundleContext context) {
        this("osgimon/" + context.getBundle().getVersion());
    }

    RemoteWriteTransport(String userAgent) {
        this.userAgent = userAgent;
    }

    @Override
    public LineWriter create(Target target) {
        return new RemoteWriter(target, userAgent, TIMEOUT_MILLIS, RemoteWriter.MAX_REQUEST_BYTES);
    }

    @Override
    public CycleEncoder encoder(Target target) {
        return new RemoteWriteEncoder();
    }
}
