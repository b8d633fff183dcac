package dev.osgimon.core.internal.command;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.CommandService;
import dev.osgimon.core.internal.CoreConfig;

/**
 * Runs the TCP command server on {@code commandBind:commandPort} of PID {@value CoreConfig#PID}
 * (port 0 turns it off) and rebinds it when either changes.
 */
@Component(service = {}, configurationPid = CoreConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class CommandServerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(CommandServerComponent.class);

    private final CommandService commands;
    private final CommandServer.Limits limits;
    private InetSocketAddress address;
    private CommandServer server;

    /**
     * Starts the server.
     *
     * @param config the core configuration
     * @param commands runs the commands
     */
    @Activate
    public CommandServerComponent(CoreConfig config, @Reference CommandService commands) {
        this(config, commands, CommandServer.Limits.DEFAULT);
    }

    CommandServerComponent(CoreConfig config, CommandService commands, CommandServer.Limits limits) {
        this.commands = commands;
        this.limits = limits;
        start(config);
    }

    /**
     * Rebinds the server when the port or bind address changed.
     *
     * @param config the new configuration
     */
    @Modified
    synchronized void modified(CoreConfig config) {
        InetSocketAddress wanted = wanted(config);
        if (wanted == null ? server == null : wanted.equals(address) && server != null) {
            return;
        }
        stop();
        start(config);
    }

    /** Stops the server and all its threads. */
    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    /**
     * Where the server listens now.
     *
     * @return the bound address, or {@code null} when it is not running
     */
    synchronized InetSocketAddress boundAddress() {
        return server == null ? null : server.address();
    }

    private synchronized void start(CoreConfig config) {
        address = wanted(config);
        if (address == null) {
            LOG.info("Command server off (commandPort 0)");
            return;
        }
        try {
            server = new CommandServer(address, commands::execute, limits);
            LOG.info("Command server listening on {}", server.address());
        } catch (IOException | RuntimeException e) {
            LOG.error("Command server cannot listen on {}: {}", address, e.toString());
        }
    }

    private void stop() {
        if (server != null) {
            server.close();
            LOG.info("Command server on {} stopped", server.address());
            server = null;
        }
    }

    private static InetSocketAddress wanted(CoreConfig config) {
        if (config.commandPort() <= 0) {
            return null;
        }
        String bind = config.commandBind() == null || config.commandBind().isBlank() ? "127.0.0.1"
                : config.commandBind().strip();
        return new InetSocketAddress(bind, config.commandPort());
    }
}
