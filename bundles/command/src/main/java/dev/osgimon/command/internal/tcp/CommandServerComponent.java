package dev.osgimon.command.internal.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.Ready;

/**
 * Runs the TCP command server on {@code commandBind:commandPort} of PID {@value CommandConfig#PID}
 * (port 0 turns it off) and restarts it when the address or {@code commandMaxClients} changes. Like the
 * Gogo commands, it only translates its medium to the {@link CommandService}.
 *
 * <p>It holds a mandatory reference to the core's {@link Ready} marker, so the port opens only once the
 * agent can answer truly: from the first accepted connection on, every command answers as it will later.
 */
@Component(service = {}, configurationPid = CommandConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CommandConfig.class)
public final class CommandServerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(CommandServerComponent.class);

    private final CommandService commands;
    private final CommandServer.Limits limits;
    private InetSocketAddress address;
    private CommandServer.Limits running;
    private CommandServer server;

    /**
     * Starts the server.
     *
     * @param config the configuration
     * @param commands runs the commands
     * @param ready the core's marker that the sources and the log level admin are bound (only its presence counts)
     */
    @Activate
    public CommandServerComponent(CommandConfig config, @Reference CommandService commands, @Reference Ready ready) {
        this(config, commands, CommandServer.Limits.DEFAULT);
    }

    CommandServerComponent(CommandConfig config, CommandService commands, CommandServer.Limits limits) {
        this.commands = commands;
        this.limits = limits;
        start(config);
    }

    /**
     * Restarts the server when the address or the connection cap changed.
     *
     * @param config the new configuration
     */
    @Modified
    synchronized void modified(CommandConfig config) {
        InetSocketAddress wanted = wanted(config);
        if (wanted == null ? server == null
                : server != null && wanted.equals(address) && limits(config).equals(running)) {
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

    private synchronized void start(CommandConfig config) {
        address = wanted(config);
        running = limits(config);
        if (address == null) {
            LOG.info("Command server off (commandPort 0)");
            return;
        }
        try {
            server = new CommandServer(address, commands::execute, running);
            LOG.info("Command server listening on {} (at most {} connections)", server.address(),
                    running.maxConnections());
        } catch (IOException | RuntimeException e) {
            LOG.error("Command server cannot listen on {}: {}", address, e.toString());
        }
    }

    private void stop() {
        if (server != null) {
            InetSocketAddress was = server.address();
            server.close();
            LOG.info("Command server on {} stopped", was);
            server = null;
        }
    }

    private CommandServer.Limits limits(CommandConfig config) {
        return config.commandMaxClients() > 0 ? limits.withMaxConnections(config.commandMaxClients()) : limits;
    }

    private static InetSocketAddress wanted(CommandConfig config) {
        if (config.commandPort() <= 0) {
            return null;
        }
        String bind = config.commandBind() == null || config.commandBind().isBlank() ? "127.0.0.1"
                : config.commandBind().strip();
        return new InetSocketAddress(bind, config.commandPort());
    }
}
