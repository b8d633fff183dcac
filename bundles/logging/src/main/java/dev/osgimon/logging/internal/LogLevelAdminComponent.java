package dev.osgimon.logging.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.Designate;

import dev.osgimon.api.admin.LogLevel;
import dev.osgimon.api.admin.LogLevelAdmin;

/**
 * The {@link LogLevelAdmin} of osgimon: levels live in pax-logging's PID
 * {@code org.ops4j.pax.logging}; logger names that log are learnt from every
 * {@link LogReaderService} (pax-logging registers one that sees every entry).
 */
@Component(service = LogLevelAdmin.class, configurationPid = LoggingConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LoggingConfig.class)
public final class LogLevelAdminComponent implements LogLevelAdmin {

    /** pax-logging's framework property for its level before any configuration arrives. */
    static final String PAX_DEFAULT_LEVEL = "org.ops4j.pax.logging.DefaultServiceLog.level";

    private final LoggerNameRecorder recorder;
    private final PaxLogLevels levels;
    private final LevelExpiry expiry;

    /**
     * Creates the component.
     *
     * @param config its configuration
     * @param cm configuration admin
     * @param context the bundle context, for pax-logging's default level
     */
    @Activate
    public LogLevelAdminComponent(LoggingConfig config, @Reference ConfigurationAdmin cm, BundleContext context) {
        this.recorder = new LoggerNameRecorder(config.maxKnownLoggers());
        String paxDefault = context.getProperty(PAX_DEFAULT_LEVEL);
        LogLevel unconfigured = paxDefault == null ? LogLevel.DEBUG : LogLevel.parse(paxDefault.strip()).orElse(LogLevel.DEBUG);
        this.levels = new PaxLogLevels(cm, recorder::names, unconfigured, Clock.systemUTC());
        this.expiry = new LevelExpiry(levels::expire, Clock.systemUTC());
    }

    /** Stops the expiry timer; pending expiries stay recorded in the logging configuration. */
    @Deactivate
    void deactivate() {
        expiry.close();
    }

    /**
     * Starts recording logger names from a log reader.
     *
     * @param reader the reader
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addLogReader(LogReaderService reader) {
        reader.addLogListener(recorder);
        // what was logged before this bundle came up: pax-logging keeps the last 100 entries
        for (Enumeration<LogEntry> log = reader.getLog(); log.hasMoreElements(); ) {
            recorder.logged(log.nextElement());
        }
    }

    /**
     * Stops recording from a log reader.
     *
     * @param reader the reader
     */
    void removeLogReader(LogReaderService reader) {
        reader.removeLogListener(recorder);
    }

    @Override
    public LogLevel rootLevel() {
        return levels.rootLevel();
    }

    @Override
    public Map<String, LogLevel> configuredLevels() {
        return levels.configuredLevels();
    }

    @Override
    public Set<String> knownLoggers() {
        return levels.knownLoggers();
    }

    @Override
    public LogLevel effectiveLevel(String logger) {
        return levels.effectiveLevel(logger);
    }

    @Override
    public void setLevels(LogLevel setAll, Map<String, LogLevel> loggers) {
        levels.setLevels(setAll, loggers);
        expiry.changed();
    }

    @Override
    public void setLevels(LogLevel setAll, Map<String, LogLevel> loggers, Map<String, Duration> expiring) {
        levels.setLevels(setAll, loggers, expiring);
        expiry.changed();
    }

    @Override
    public Map<String, Instant> expiries() {
        return levels.expiries();
    }
}
