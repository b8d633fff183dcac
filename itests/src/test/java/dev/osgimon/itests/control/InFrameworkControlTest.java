package dev.osgimon.itests.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.admin.CommandService;
import dev.osgimon.api.admin.LogLevelAdmin;
import dev.osgimon.itests.support.InFramework;
import dev.osgimon.itests.support.Ports;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * Inside a real Felix with SCR, ConfigurationAdmin, pax-logging (log4j2), Gogo and the osgimon core,
 * logging, shell and command bundles (see {@code itests/in-framework.bndrun}): log levels set through the command
 * protocol really change what loggers log, Karaf-style configuration in the pax-logging PID survives,
 * and the Gogo commands answer exactly what the TCP server answers. The source bundles are stopped
 * while this class runs, so the core knows only its own source.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class InFrameworkControlTest {

    /** Every source bundle of in-framework.bndrun: stopped here, so only the self source is left. */
    private static final List<String> SOURCES = List.of("dev.osgimon.source.memory", "dev.osgimon.source.net",
            "dev.osgimon.source.http", "dev.osgimon.source.osgi", "dev.osgimon.source.process",
            "dev.osgimon.source.health", "dev.osgimon.source.log");
    private static final long WAIT_MILLIS = 20_000;

    @InjectBundleContext
    static BundleContext context;
    @InjectService
    static ConfigurationAdmin cm;
    @InjectService(cardinality = 0)
    static ServiceAware<CommandService> commands;
    @InjectService(cardinality = 0)
    static ServiceAware<LogLevelAdmin> levels;
    @InjectService(cardinality = 0)
    static ServiceAware<CommandProcessor> gogo;

    private static final List<Bundle> stoppedSources = new ArrayList<>();
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        for (String bsn : SOURCES) {
            Bundle b = InFramework.bundle(context, bsn);
            // before the osgimon start level is reached a source is not yet active, only marked to start
            if (b.adapt(BundleStartLevel.class).isPersistentlyStarted()) {
                stoppedSources.add(b);
            }
        }
        InFramework.stop(stoppedSources);
        // what a Karaf etc/org.ops4j.pax.logging.cfg holds, in short: it must survive every L command
        Dictionary<String, Object> logging = new Hashtable<>();
        logging.put("log4j2.rootLogger.level", "INFO");
        logging.put("log4j2.rootLogger.appenderRef.console.ref", "console");
        logging.put("log4j2.appender.console.type", "Console");
        logging.put("log4j2.appender.console.name", "console");
        // stderr: Gogo sessions capture System.out, and the tests compare what commands print
        logging.put("log4j2.appender.console.target", "SYSTEM_ERR");
        logging.put("log4j2.appender.console.layout.type", "PatternLayout");
        logging.put("log4j2.appender.console.layout.pattern", "%d{HH:mm:ss.SSS} %-5level [%t] %c - %msg%n");
        logging.put("log4j2.logger.spifly.name", "org.apache.aries.spifly");
        logging.put("log4j2.logger.spifly.level", "WARN");
        InFramework.configure(cm, "org.ops4j.pax.logging", logging);
        port = Ports.free();
        Dictionary<String, Object> core = new Hashtable<>();
        core.put("commandPort", port);
        core.put("interval", 3600);
        core.put("target", "tcp://127.0.0.1:" + Ports.free());
        InFramework.configure(cm, "dev.osgimon.core", core);
        InFramework.startOsgimon(context);
        commands.waitForService(WAIT_MILLIS);
        levels.waitForService(WAIT_MILLIS);
        gogo.waitForService(WAIT_MILLIS);
        Waits.until("command server on " + port, Duration.ofSeconds(20), () -> canConnect(port));
    }

    @AfterAll
    static void stop() throws Exception {
        InFramework.start(stoppedSources);
    }

    private static Logger logger(String name) {
        return LoggerFactory.getLogger(name);
    }

    private static boolean isDebugEnabled(Logger logger) {
        return logger.isDebugEnabled();
    }

    private static String tcp(String line) {
        return Tcp.command(port, line);
    }

    /** Runs a Gogo command line in a new session and returns what it printed. */
    private static String gogo(String command) throws Exception {
        InputStream in = new ByteArrayInputStream(new byte[0]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CommandSession session = gogo.getService().createSession(in, console, err);
        try {
            Object result = session.execute(command);
            assertThat(result).as("value returned by " + command).isNull();
        } finally {
            session.close();
        }
        console.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void debugLevelReachesALiveLoggerWithinThreeSecondsAndBack() {
        Logger logger = logger("some.logger");
        assertThat(isDebugEnabled(logger)).isFalse();

        long start = System.nanoTime();
        assertThat(tcp("Lsome.logger:debug")).isEqualTo("ok\n");
        assertThat(tcp("l")).isEqualTo("ok: *:info,org.apache.aries.spifly:warn,some.logger:debug\n");
        Waits.until("some.logger debug enabled", Duration.ofSeconds(3), () -> isDebugEnabled(logger));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(isDebugEnabled(logger("some.logger.child"))).isTrue();
        assertThat(isDebugEnabled(logger("some"))).isFalse();

        assertThat(tcp("L*:info")).isEqualTo("ok\n");
        assertThat(tcp("l")).isEqualTo("ok: *:info\n");
        Waits.until("some.logger back to info", Duration.ofSeconds(3), () -> !isDebugEnabled(logger));
    }

    @Test
    @Order(2)
    void karafStylePropertiesSurvive() throws Exception {
        assertThat(tcp("L*:warn,x.y:trace")).isEqualTo("ok\n");
        Dictionary<String, Object> props = cm.getConfiguration("org.ops4j.pax.logging", "?").getProperties();
        assertThat(props.get("log4j2.appender.console.layout.pattern")).isEqualTo("%d{HH:mm:ss.SSS} %-5level [%t] %c - %msg%n");
        assertThat(props.get("log4j2.rootLogger.appenderRef.console.ref")).isEqualTo("console");
        assertThat(props.get("log4j2.logger.spifly.name")).isEqualTo("org.apache.aries.spifly");
        assertThat(props.get("log4j2.logger.spifly.level")).isEqualTo("WARN");
        assertThat(props.get("log4j2.rootLogger.level")).isEqualTo("WARN");
        assertThat(tcp("lx.y,x.y.z,x")).isEqualTo("ok: x.y:trace,x.y.z:trace,x:warn\n");
        assertThat(tcp("L*:info")).isEqualTo("ok\n");
    }

    @Test
    @Order(3)
    void loggersThatLoggedAreKnown() throws Exception {
        // logged while the logging bundle was down: learnt from pax-logging's recent history when it comes up
        InFramework.bundle(context, "dev.osgimon.logging").stop();
        InFramework.bundle(context, "dev.osgimon.core").stop();
        InFramework.bundle(context, "dev.osgimon.core").start();
        InFramework.bundle(context, "dev.osgimon.logging").start();
        Waits.until("command server back", Duration.ofSeconds(20), () -> canConnect(port));
        Waits.until("log levels back", Duration.ofSeconds(20), () -> tcp("l").startsWith("ok: *:"));
        // logged from now on: learnt as it happens (the command server logs every command)
        String all = tcp("l*");
        // none of these is configured: they are known because they logged
        assertThat(all).startsWith("ok: *:info,")
                .contains(",dev.osgimon.core.internal.Collector:info,")
                .contains(",dev.osgimon.command.internal.tcp.CommandServerComponent:info,");
        assertThat(tcp("l")).doesNotContain("dev.osgimon.core");
    }

    @Test
    @Order(4)
    void gogoCommandsPrintWhatTcpAnswers() throws Exception {
        assertThat(gogo("monitoring:L \"some.logger:debug\"")).isEqualTo("ok\n");
        assertThat(gogo("monitoring:l")).isEqualTo(tcp("l")).isEqualTo("ok: *:info,some.logger:debug\n");
        assertThat(gogo("monitoring:l \"*\"")).isEqualTo(tcp("l*"));
        assertThat(gogo("monitoring:l some.logger,other")).isEqualTo(tcp("lsome.logger,other"));
        assertThat(gogo("monitoring:loglevels some.logger other")).isEqualTo(tcp("lsome.logger,other"));
        assertThat(gogo("monitoring:loglevel \"*:info\"")).isEqualTo("ok\n");
        assertThat(tcp("l")).isEqualTo("ok: *:info\n");
        assertThat(gogo("monitoring:loglevel loud")).isEqualTo(tcp("Lloud"))
                .isEqualTo("error: unknown log level 'loud' (expected trace, debug, info, warn, error, fatal or off)\n");
        // Gogo ignores case in command names: with a bare word that is no level, L and l both show
        assertThat(gogo("monitoring:L loud")).isEqualTo(tcp("lloud"));

        assertThat(gogo("monitoring:m")).isEqualTo(tcp("m")).isEqualTo("ok: *:enabled\n");
        assertThat(gogo("monitoring:M \"tag:http:disable\"")).isEqualTo("ok\n");
        assertThat(gogo("monitoring:m \"*\"")).isEqualTo(tcp("m*")).isEqualTo("ok: *:enabled,tag:http:disabled,monitoring:enabled\n");
        assertThat(gogo("monitoring:metrics monitoring")).isEqualTo("ok: monitoring:enabled\n");
        assertThat(gogo("monitoring:disable monitoring")).isEqualTo("ok\n");
        assertThat(tcp("mmonitoring")).isEqualTo("ok: monitoring:disabled\n");
        assertThat(gogo("monitoring:m nope")).isEqualTo(tcp("mnope")).isEqualTo("error: unknown source: nope\n");
        assertThat(gogo("monitoring:switch \"*:on\"")).isEqualTo("ok\n");
        assertThat(tcp("m*")).isEqualTo("ok: *:enabled,monitoring:enabled\n");
        assertThat(gogo("monitoring:collect")).startsWith("osgimon").endsWith("\n");
    }

    @Test
    @Order(5)
    void stoppingTheCoreStopsTheServerAndItsThreads() throws Exception {
        InFramework.bundle(context, "dev.osgimon.core").stop();
        assertThat(canConnect(port)).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("osgimon-command") && t.isAlive());
        InFramework.bundle(context, "dev.osgimon.core").start();
        Waits.until("command server back", Duration.ofSeconds(20), () -> canConnect(port));
        assertThat(tcp("m")).isEqualTo("ok: *:enabled\n");
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        } catch (UncheckedIOException e) {
            return false;
        }
    }
}
