package dev.osgimon.memtrace.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.Ready;

/**
 * Runs the memtrace listener as configured by PID {@value MemtraceConfig#PID}. A new configuration with the
 * same port and bind address applies from the next session on (a session in progress keeps its settings);
 * another port or address replaces the listener, ending a session in progress (which gets its last chunk).
 *
 * <p>The port opens only once the core registered its {@link Ready} marker (a mandatory reference), like
 * the command port.
 */
@Component(service = {}, configurationPid = MemtraceConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MemtraceConfig.class)
public final class MemtraceComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MemtraceComponent.class);

    private volatile MemtraceServer server;

    /**
     * Starts the listener.
     *
     * @param config the configuration
     * @param ready the core's marker that the agent can answer truly (only its presence counts)
     */
    @Activate
    public MemtraceComponent(MemtraceConfig config, @Reference Ready ready) {
        this.server = start(settings(config));
    }

    @Modified
    void modified(MemtraceConfig config) {
        MemtraceServer old = server;
        MemtraceSettings next = settings(config);
        if (old != null && next != null && next.port() != 0 && next.sameListener(old.settings())) {
            old.update(next);
            LOG.info("memtrace: new settings apply from the next session on");
            return;
        }
        if (old != null) {
            old.close();
        }
        server = start(next);
    }

    @Deactivate
    void deactivate() {
        MemtraceServer old = server;
        server = null;
        if (old != null) {
            old.close();
        }
    }

    /** The running listener, null when off or misconfigured. */
    MemtraceServer server() {
        return server;
    }

    /** The validated settings, or null (logged) when the configuration is invalid. */
    private static MemtraceSettings settings(MemtraceConfig config) {
        try {
            return MemtraceSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("memtrace: invalid configuration {}, listener off: {}", MemtraceConfig.PID, e.getMessage());
            return null;
        }
    }

    private static MemtraceServer start(MemtraceSettings settings) {
        if (settings == null) {
            return null;
        }
        if (settings.port() == 0) {
            LOG.info("memtrace: port 0, listener off");
            return null;
        }
        try {
            return MemtraceServer.start(settings);
        } catch (IOException | RuntimeException e) {
            LOG.error("memtrace: cannot listen on {}:{}", settings.bind(), settings.port(), e);
            return null;
        }
    }
}
