package dev.osgimon.source.log.internal;

import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.metatype.annotations.Designate;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.MetricSourceProperties;
import dev.osgimon.api.PointWriter;

/**
 * Metric source {@code log} (tag {@code log}): cumulative counts of log entries per level
 * ({@code log_entries,level=<level>}), and with {@code perBundle} the warn and error counts of every
 * bundle that logged at warn or worse ({@code log_bundle_entries,bundle=<bsn>}). Entries come from a
 * {@link org.osgi.service.log.LogListener} on the {@link LogReaderService}; pax-logging hands it
 * every entry its loggers let through, whatever API logged it (SLF4J, Log4j, JUL bridges, OSGi Log).
 * The point layout is documented in {@code docs/sources.md}.
 *
 * <p>Counting starts when the source starts; the counts are monotonic, as InfluxDB's
 * {@code non_negative_derivative} expects. A cycle allocates nothing.
 */
@Component(service = MetricSource.class, configurationPid = LogConfig.PID)
@Designate(ocd = LogConfig.class)
@MetricSourceProperties(name = "log", tags = "log")
public final class LogSource implements MetricSource {

    private static final String[] LEVEL_NAMES;

    static {
        LogLevel[] levels = LogCounts.levels();
        LEVEL_NAMES = new String[levels.length];
        for (int i = 0; i < levels.length; i++) {
            LEVEL_NAMES[i] = levels[i].name().toLowerCase(Locale.ROOT);
        }
    }

    private final LogReaderService reader;
    private final LogCounts counts;
    private volatile boolean perBundle;

    /**
     * Activates the source and starts counting.
     *
     * @param reader the log reader service
     * @param config its configuration
     */
    @Activate
    public LogSource(@Reference LogReaderService reader, LogConfig config) {
        validate(config);
        this.reader = reader;
        this.counts = new LogCounts(config.maxBundles());
        this.perBundle = config.perBundle();
        reader.addLogListener(counts);
    }

    /**
     * Takes a new configuration; {@code maxBundles} takes effect when the source restarts.
     *
     * @param config the new configuration
     */
    @Modified
    void modified(LogConfig config) {
        validate(config);
        perBundle = config.perBundle();
    }

    /** Stops counting. */
    @Deactivate
    void deactivate() {
        reader.removeLogListener(counts);
    }

    private static void validate(LogConfig c) {
        if (c.maxBundles() < 1) {
            throw new IllegalArgumentException("maxBundles must be at least 1, was " + c.maxBundles());
        }
    }

    @Override
    public void declare(Declarations d) {
        d.counter("log_entries", "count", "{entry}", "Log entries at this level since the source started")
                .counter("log_bundle_entries", "error", "{entry}", "Entries of this bundle at error since the source started")
                .counter("log_bundle_entries", "warn", "{entry}", "Entries of this bundle at warn since the source started");
    }

    @Override
    public void collect(PointWriter out) {
        for (int i = 0; i < LEVEL_NAMES.length; i++) {
            out.point("log_entries").tag("level", LEVEL_NAMES[i]).field("count", counts.count(i));
        }
        if (perBundle) {
            for (Map.Entry<String, LogCounts.BundleCounts> e : counts.bundles().entrySet()) {
                out.point("log_bundle_entries").tag("bundle", e.getKey())
                        .field("error", e.getValue().errors.sum())
                        .field("warn", e.getValue().warnings.sum());
            }
        }
    }
}
