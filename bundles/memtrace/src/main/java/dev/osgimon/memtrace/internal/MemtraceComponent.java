package dev.osgimon.memtrace.internal;

import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the memtrace listener as configured by PID {@value MemtraceConfig#PID}. A new configuration takes effect
 * at once: the listener (and a session in progress, which gets its last chunk) is replaced.
 */
@Component(service = {}, configurationPid = MemtraceConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MemtraceConfig.class)
public final class MemtraceComponent {

    private static final Logger LOG = LoggerFactory.getLogger(MemtraceComponent.class);

    private volatile MemtraceServer server;

    @Activate
    public MemtraceComponent(MemtraceConfig config) {
        this.server = start(config);
    }

    @Modified
    void modified(MemtraceConfig config) {
        MemtraceServer old = server;
        if (old != null) {
            old.close();
        }
        server = start(config);
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

    private static MemtraceServer start(MemtraceConfig config) {
        MemtraceSettings settings;
        try {
            settings = MemtraceSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("memtrace: invalid configuration {}, listener off: {}", MemtraceConfig.PID, e.getMessage());
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
