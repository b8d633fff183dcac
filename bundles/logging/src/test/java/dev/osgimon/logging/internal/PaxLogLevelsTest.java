package dev.osgimon.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.osgimon.api.admin.LogLevel;

class PaxLogLevelsTest {

    /** What Karaf 4.4 ships in etc/org.ops4j.pax.logging.cfg, abridged. */
    private static final Map<String, Object> KARAF = Map.ofEntries(
            Map.entry("log4j2.rootLogger.level", "INFO"),
            Map.entry("log4j2.rootLogger.appenderRef.RollingFile.ref", "RollingFile"),
            Map.entry("log4j2.rootLogger.appenderRef.PaxOsgi.ref", "PaxOsgi"),
            Map.entry("log4j2.logger.spifly.name", "org.apache.aries.spifly"),
            Map.entry("log4j2.logger.spifly.level", "WARN"),
            Map.entry("log4j2.logger.audit.name", "org.apache.karaf.jaas.modules.audit"),
            Map.entry("log4j2.logger.audit.level", "TRACE"),
            Map.entry("log4j2.logger.audit.additivity", "false"),
            Map.entry("log4j2.appender.rolling.type", "RollingRandomAccessFile"),
            Map.entry("log4j2.appender.rolling.name", "RollingFile"),
            Map.entry("log4j2.appender.rolling.fileName", "${karaf.data}/log/karaf.log"),
            Map.entry("felix.fileinstall.filename", "file:/opt/karaf/etc/org.ops4j.pax.logging.cfg"));

    private final ConfigurationAdmin cm = mock(ConfigurationAdmin.class);
    private final Configuration config = mock(Configuration.class);
    private Hashtable<String, Object> stored;
    private int updates;
    private PaxLogLevels levels;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        when(cm.getConfiguration(eq(PaxLogLevels.PID), isNull())).thenReturn(config);
        when(cm.listConfigurations(anyString())).thenAnswer(inv -> stored == null ? null : new Configuration[] {config});
        when(config.getProperties()).thenAnswer(inv -> stored == null ? null : new Hashtable<>(stored));
        doAnswer(inv -> {
            Dictionary<String, Object> d = inv.getArgument(0);
            stored = new Hashtable<>();
            for (var keys = d.keys(); keys.hasMoreElements(); ) {
                String k = keys.nextElement();
                stored.put(k, d.get(k));
            }
            updates++;
            return null;
        }).when(config).update(any());
        levels = new PaxLogLevels(cm, () -> Set.of("dev.osgimon.core.Collector", "org.apache.aries.spifly.x"),
                LogLevel.DEBUG, clock);
    }

    @Test
    void readsKarafConfiguration() {
        stored = new Hashtable<>(KARAF);
        assertThat(levels.rootLevel()).isEqualTo(LogLevel.INFO);
        assertThat(levels.configuredLevels()).containsExactly(
                Map.entry("org.apache.aries.spifly", LogLevel.WARN),
                Map.entry("org.apache.karaf.jaas.modules.audit", LogLevel.TRACE));
        assertThat(levels.knownLoggers()).containsExactly("dev.osgimon.core.Collector", "org.apache.aries.spifly",
                "org.apache.aries.spifly.x", "org.apache.karaf.jaas.modules.audit");
        assertThat(levels.effectiveLevel("org.apache.aries.spifly.x")).isEqualTo(LogLevel.WARN);
        assertThat(levels.effectiveLevel("org.apache.aries.spiflyx")).isEqualTo(LogLevel.INFO);
        assertThat(levels.effectiveLevel("org")).isEqualTo(LogLevel.INFO);
    }

    @Test
    void setAllMergesAndKeepsEverythingElse() {
        stored = new Hashtable<>(KARAF);
        levels.setLevels(LogLevel.DEBUG, Map.of());
        Map<String, Object> expected = new Hashtable<>(KARAF);
        expected.put("log4j2.rootLogger.level", "DEBUG");
        expected.put("log4j2.logger.spifly.level", "DEBUG");
        expected.put("log4j2.logger.audit.level", "DEBUG");
        assertThat(stored).isEqualTo(expected);
        assertThat(levels.rootLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(updates).isEqualTo(1);
    }

    @Test
    void namedLoggersAreAddedOrUpdatedInOneUpdate() {
        stored = new Hashtable<>(KARAF);
        Map<String, LogLevel> change = new LinkedHashMap<>();
        change.put("org.apache.aries.spifly", LogLevel.ERROR);
        change.put("some.logger", LogLevel.DEBUG);
        change.put("some-other.logger$X", LogLevel.OFF);
        levels.setLevels(LogLevel.INFO, change);
        assertThat(updates).isEqualTo(1);
        assertThat(stored).containsEntry("log4j2.logger.spifly.level", "ERROR")
                .containsEntry("log4j2.logger.audit.level", "INFO")
                .containsEntry("log4j2.logger.osgimon_some_logger.name", "some.logger")
                .containsEntry("log4j2.logger.osgimon_some_logger.level", "DEBUG")
                .containsEntry("log4j2.logger.osgimon_some_other_logger_X.name", "some-other.logger$X")
                .containsEntry("log4j2.logger.osgimon_some_other_logger_X.level", "OFF")
                .containsEntry("log4j2.appender.rolling.fileName", "${karaf.data}/log/karaf.log");
        assertThat(levels.configuredLevels()).containsEntry("some.logger", LogLevel.DEBUG)
                .containsEntry("org.apache.aries.spifly", LogLevel.ERROR);

        levels.setLevels(null, Map.of("some.logger", LogLevel.WARN));
        assertThat(stored).containsEntry("log4j2.logger.osgimon_some_logger.level", "WARN")
                .containsEntry("log4j2.rootLogger.level", "INFO");
        assertThat(stored.keySet().stream().filter(k -> k.endsWith(".name") && "some.logger".equals(stored.get(k))))
                .hasSize(1);
    }

    @Test
    void idsThatWouldCollideGetANumber() {
        stored = new Hashtable<>(KARAF);
        levels.setLevels(null, Map.of("a.b", LogLevel.DEBUG));
        levels.setLevels(null, Map.of("a_b", LogLevel.ERROR));
        assertThat(levels.configuredLevels()).containsEntry("a.b", LogLevel.DEBUG).containsEntry("a_b", LogLevel.ERROR);
        assertThat(stored).containsEntry("log4j2.logger.osgimon_a_b_2.name", "a_b");
    }

    @Test
    void unconfiguredPidReportsPaxDefaultAndGetsAConsoleWhenFirstWritten() {
        assertThat(levels.rootLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(levels.configuredLevels()).isEmpty();
        levels.setLevels(null, Map.of("x.y", LogLevel.TRACE));
        assertThat(stored).containsEntry("log4j2.rootLogger.level", "DEBUG")
                .containsEntry("log4j2.rootLogger.appenderRef.osgimon_console.ref", "osgimon_console")
                .containsEntry("log4j2.appender.osgimon_console.type", "Console");
        assertThat(levels.effectiveLevel("x.y.z")).isEqualTo(LogLevel.TRACE);
    }

    @Test
    void rootShorthandKeepsItsAppenders() {
        stored = new Hashtable<>(Map.of("log4j2.rootLogger", "WARN, stdout", "log4j2.appender.stdout.type", "Console",
                "log4j2.appender.stdout.name", "stdout"));
        assertThat(levels.rootLevel()).isEqualTo(LogLevel.WARN);
        levels.setLevels(LogLevel.TRACE, Map.of());
        assertThat(stored).containsEntry("log4j2.rootLogger", "TRACE, stdout").containsEntry("log4j2.rootLogger.level", "TRACE")
                .doesNotContainKey("log4j2.appender.osgimon_console.type");
    }

    @Test
    void log4jOnlyLevelsAreMapped() {
        stored = new Hashtable<>(Map.of("log4j2.rootLogger.level", "all", "log4j2.logger.a.name", "a",
                "log4j2.logger.a.level", "Fatal", "log4j2.logger.b.name", "b", "log4j2.logger.b.level", "VERBOSE",
                "log4j2.appender.x.type", "Console"));
        assertThat(levels.rootLevel()).isEqualTo(LogLevel.TRACE);
        assertThat(levels.configuredLevels()).containsEntry("a", LogLevel.FATAL).containsEntry("b", LogLevel.TRACE);
    }

    @Test
    void failingUpdateIsAnIllegalStateException() throws IOException {
        stored = new Hashtable<>(KARAF);
        doThrow(new IOException("disk full")).when(config).update(any());
        assertThatThrownBy(() -> levels.setLevels(LogLevel.DEBUG, Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("disk full");
        assertThat(levels.rootLevel()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void recorderIsBounded() {
        LoggerNameRecorder recorder = new LoggerNameRecorder(3);
        for (String name : new String[] {"b", "ROOT", "a", "a", "c", "d", "", null}) {
            recorder.record(name);
        }
        assertThat(recorder.names()).containsExactly("a", "b", "c");
    }

    // --- levels that expire ---

    private void later(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void anExpiringLevelReturnsToThePreviousOneWhenDue() {
        stored = new Hashtable<>(KARAF);
        levels.setLevels(null, Map.of("org.apache.aries.spifly", LogLevel.DEBUG, "new.one", LogLevel.TRACE),
                Map.of("org.apache.aries.spifly", Duration.ofSeconds(2), "new.one", Duration.ofMinutes(1)));
        assertThat(updates).isEqualTo(1);
        assertThat(levels.configuredLevels()).containsEntry("org.apache.aries.spifly", LogLevel.DEBUG)
                .containsEntry("new.one", LogLevel.TRACE);
        assertThat(levels.expiries()).containsExactly(Map.entry("new.one", now.get().plusSeconds(60)),
                Map.entry("org.apache.aries.spifly", now.get().plusSeconds(2)));

        later(Duration.ofMillis(1999));
        assertThat(levels.expire()).isEqualTo(now.get().plusMillis(1));
        assertThat(updates).isEqualTo(1);

        later(Duration.ofMillis(1));
        Instant next = levels.expire();
        assertThat(levels.configuredLevels()).containsEntry("org.apache.aries.spifly", LogLevel.WARN);
        assertThat(levels.expiries()).containsOnlyKeys("new.one");
        assertThat(next).isEqualTo(levels.expiries().get("new.one"));

        later(Duration.ofMinutes(1));
        assertThat(levels.expire()).isNull();
        // it had no level of its own: it has none again, and its entry is gone
        assertThat(levels.configuredLevels()).doesNotContainKey("new.one");
        assertThat(stored.keySet()).noneMatch(k -> k.contains("new_one") || k.startsWith(PaxLogLevels.EXPIRY));
        Map<String, Object> expected = new Hashtable<>(KARAF);
        assertThat(stored).isEqualTo(expected);
    }

    @Test
    void aTimedStarReturnsRootAndEveryLoggerToTheirOwnLevels() {
        stored = new Hashtable<>(KARAF);
        levels.setLevels(LogLevel.DEBUG, Map.of(), Map.of("*", Duration.ofSeconds(30)));
        assertThat(levels.rootLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(levels.expiries()).containsOnlyKeys("*", "org.apache.aries.spifly", "org.apache.karaf.jaas.modules.audit");
        later(Duration.ofSeconds(30));
        levels.expire();
        assertThat(stored).isEqualTo(new Hashtable<>(KARAF));
    }

    @Test
    void aPermanentChangeCancelsThePendingExpiry() {
        stored = new Hashtable<>(KARAF);
        levels.setLevels(null, Map.of("a.b", LogLevel.DEBUG), Map.of("a.b", Duration.ofSeconds(2)));
        levels.setLevels(null, Map.of("a.b", LogLevel.ERROR));
        assertThat(levels.expiries()).isEmpty();
        levels.setLevels(null, Map.of("c", LogLevel.DEBUG), Map.of("c", Duration.ofSeconds(2)));
        levels.setLevels(LogLevel.WARN, Map.of());
        assertThat(levels.expiries()).isEmpty();
        later(Duration.ofSeconds(3));
        assertThat(levels.expire()).isNull();
        assertThat(levels.configuredLevels()).containsEntry("a.b", LogLevel.WARN).containsEntry("c", LogLevel.WARN);
    }

    @Test
    void aSecondTimedLevelKeepsTheFirstPreviousLevel() {
        stored = new Hashtable<>(KARAF);
        levels.setLevels(null, Map.of("org.apache.aries.spifly", LogLevel.DEBUG),
                Map.of("org.apache.aries.spifly", Duration.ofMinutes(10)));
        levels.setLevels(null, Map.of("org.apache.aries.spifly", LogLevel.TRACE),
                Map.of("org.apache.aries.spifly", Duration.ofSeconds(5)));
        later(Duration.ofSeconds(5));
        assertThat(levels.expire()).isNull();
        assertThat(levels.configuredLevels()).containsEntry("org.apache.aries.spifly", LogLevel.WARN);
    }

    @Test
    void aLevelChangedByOtherMeansMeanwhileStaysWhenDue() {
        stored = new Hashtable<>(KARAF);
        levels.setLevels(null, Map.of("org.apache.aries.spifly", LogLevel.DEBUG),
                Map.of("org.apache.aries.spifly", Duration.ofSeconds(2)));
        stored.put("log4j2.logger.spifly.level", "ERROR"); // e.g. Karaf's log:set or an edit of the .cfg file
        later(Duration.ofSeconds(2));
        assertThat(levels.expire()).isNull();
        assertThat(levels.configuredLevels()).containsEntry("org.apache.aries.spifly", LogLevel.ERROR);
        assertThat(levels.expiries()).isEmpty();
    }

    @Test
    void aRecordFoundPastDueAtStartIsTakenBack() {
        // what FileInstall wrote back to etc/org.ops4j.pax.logging.cfg before a restart
        stored = new Hashtable<>(KARAF);
        stored.put("log4j2.logger.spifly.level", "TRACE");
        stored.put(PaxLogLevels.EXPIRY + "1", "org.apache.aries.spifly TRACE WARN " + now.get().minusSeconds(60));
        assertThat(levels.expire()).isNull();
        assertThat(stored).isEqualTo(new Hashtable<>(KARAF));
    }

    @Test
    void aMalformedRecordIsIgnored() {
        stored = new Hashtable<>(KARAF);
        stored.put(PaxLogLevels.EXPIRY + "1", "nonsense");
        assertThat(levels.expiries()).isEmpty();
        assertThat(levels.expire()).isNull();
        assertThat(levels.configuredLevels()).containsEntry("org.apache.aries.spifly", LogLevel.WARN);
    }

    @Test
    void durationsOutOfRangeChangeNothing() {
        stored = new Hashtable<>(KARAF);
        assertThatThrownBy(() -> levels.setLevels(null, Map.of("a", LogLevel.DEBUG), Map.of("a", Duration.ofHours(25))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> levels.setLevels(null, Map.of("a", LogLevel.DEBUG), Map.of("a", Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> levels.setLevels(null, Map.of(), Map.of("a", Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(updates).isZero();
    }

    @Test
    void theTimerTakesBackWhatIsDueAndStopsItsThread() throws Exception {
        stored = new Hashtable<>(KARAF);
        PaxLogLevels real = new PaxLogLevels(cm, Set::of, LogLevel.DEBUG);
        real.setLevels(null, Map.of("org.apache.aries.spifly", LogLevel.DEBUG),
                Map.of("org.apache.aries.spifly", Duration.ofMillis(1200)));
        try (LevelExpiry expiry = new LevelExpiry(real::expire, Clock.systemUTC())) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> real.configuredLevels().get("org.apache.aries.spifly") == LogLevel.WARN);
        }
        // the pool reports termination just before its thread ends
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet()
                .stream().noneMatch(t -> t.getName().equals("osgimon-log-expiry") && t.isAlive()));
    }
}
