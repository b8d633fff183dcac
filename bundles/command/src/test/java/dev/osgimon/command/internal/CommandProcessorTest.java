package dev.osgimon.command.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.osgimon.api.admin.LogLevel;

class CommandProcessorTest {

    private FakeSourceControl sources;
    private FakeLogLevelAdmin levels;
    private CommandProcessor processor;

    @BeforeEach
    void setUp() {
        sources = new FakeSourceControl()
                .register("memory", "memory", "jvm")
                .register("net", "net")
                .register("net-solo5", "net")
                .register("http", "http")
                .register("monitoring", "internal");
        levels = new FakeLogLevelAdmin().seen("dns", "dev.osgimon.core.Collector");
        processor = new CommandProcessor(sources, () -> levels);
    }

    private String run(String line) {
        return processor.execute(line);
    }

    // --- the examples of the mirage-monitoring README and docs/protocol.md, in order ---

    @Test
    void readmeLogExamples() {
        assertThat(run("L*:debug")).isEqualTo("ok");
        assertThat(levels.rootLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(run("l")).isEqualTo("ok: *:debug");

        assertThat(run("Lmonitoring-experiments:error")).isEqualTo("ok");
        assertThat(run("l")).isEqualTo("ok: *:debug,monitoring-experiments:error");

        assertThat(run("L*:info,monitoring-experiments:debug")).isEqualTo("ok");
        assertThat(run("l")).isEqualTo("ok: *:info,monitoring-experiments:debug");
        assertThat(run("l*")).isEqualTo("ok: *:info,dev.osgimon.core.Collector:info,dns:info,monitoring-experiments:debug");
        assertThat(run("lmonitoring-experiments,dns")).isEqualTo("ok: monitoring-experiments:debug,dns:info");
    }

    @Test
    void starSetsRootAndEveryConfiguredLogger() {
        run("La.b:error,c:trace");
        assertThat(run("L*:warn")).isEqualTo("ok");
        assertThat(run("l")).isEqualTo("ok: *:warn");
        assertThat(run("l*")).isEqualTo("ok: *:warn,a.b:warn,c:warn,dev.osgimon.core.Collector:warn,dns:warn");
    }

    @Test
    void childrenInheritInAnswers() {
        run("Ldev.osgimon:debug");
        assertThat(run("ldev.osgimon.core.Collector,dev.osgimonx,dev")).isEqualTo(
                "ok: dev.osgimon.core.Collector:debug,dev.osgimonx:info,dev:info");
        // l shows only configured differences, l* every known logger with its effective level
        assertThat(run("l")).isEqualTo("ok: *:info,dev.osgimon:debug");
        assertThat(run("l*")).isEqualTo("ok: *:info,dev.osgimon:debug,dev.osgimon.core.Collector:debug,dns:info");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Ltrace|trace", "LDEBUG|debug", "L*:Info|info", "Lwarn|warn", "Lwarning|warn", "Lerror|error",
        "Lfatal|fatal", "Lapp|fatal", "Loff|off", "Lquiet|off",
    })
    void bothLevelVocabularies(String command, String answer) {
        assertThat(run(command)).isEqualTo("ok");
        assertThat(run("l")).isEqualTo("ok: *:" + answer);
    }

    @Test
    void laterPartForSameLoggerWins() {
        assertThat(run("Lx:debug,x:error")).isEqualTo("ok");
        assertThat(run("lx")).isEqualTo("ok: x:error");
    }

    // --- error paths: each answers error and changes nothing ---

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"|error: empty command (expected L, l, M, m or c)",
        "\"   \"|error: empty command (expected L, l, M, m or c)",
        "x|error: unknown command 'x' (expected L, l, M, m or c)",
        "hello|error: unknown command 'h' (expected L, l, M, m or c)",
        "L|error: missing log level list",
        "M|error: missing source switch list",
        "Lfoo:loud|error: unknown log level 'loud' (expected trace, debug, info, warn, error, fatal or off)",
        "Lloud|error: unknown log level 'loud' (expected trace, debug, info, warn, error, fatal or off)",
        "L*:debug,|error: empty part in '*:debug,'",
        "L*:debug,,x:info|error: empty part in '*:debug,,x:info'",
        "L:debug|error: empty logger name",
        "La b:debug|error: malformed logger name 'a b'",
        "La:b:debug|error: malformed logger name 'a:b'",
        "Lfoo*:debug|error: malformed logger name 'foo*'",
        "Mmemory|error: unknown state 'memory' (expected enable, disable, on or off)",
        "Mmemory:maybe|error: unknown state 'maybe' (expected enable, disable, on or off)",
        "Mnope:enable|error: unknown source: nope",
        "Msrc:nope:enable|error: unknown source: nope",
        "MMemory:enable|error: malformed source name 'Memory' (expected [a-z0-9][a-z0-9._-]*)",
        "M:enable|error: malformed source name '' (expected [a-z0-9][a-z0-9._-]*)",
        "Mtag::enable|error: malformed tag '' (expected [a-z0-9][a-z0-9._-]*)",
        "Mtag:Http:enable|error: malformed tag 'Http' (expected [a-z0-9][a-z0-9._-]*)",
        "Mfoo:memory:enable|error: malformed part 'foo:memory:enable' (expected *:<state>, <source>:<state>, src:<source>:<state> or tag:<tag>:<state>)",
        "Mtag:a:b:enable|error: malformed part 'tag:a:b:enable' (expected *:<state>, <source>:<state>, src:<source>:<state> or tag:<tag>:<state>)",
        "mnope|error: unknown source: nope",
        "mmemory,nope|error: unknown source: nope",
        "m*,memory|error: '*' must stand alone",
        "l*,x|error: '*' must stand alone",
        "lx,,y|error: empty part in 'x,,y'",
        "mMemory|error: malformed source name 'Memory' (expected [a-z0-9][a-z0-9._-]*)",
    })
    void errors(String command, String answer) {
        String before = stateOf();
        assertThat(run(command)).isEqualTo(answer);
        assertThat(stateOf()).isEqualTo(before);
        assertThat(sources.applied).isZero();
        assertThat(levels.updates).isZero();
    }

    @Test
    void wholeCommandIsValidatedBeforeAnythingChanges() {
        String before = stateOf();
        assertThat(run("M*:disable,memory:enable,nope:enable")).isEqualTo("error: unknown source: nope");
        assertThat(run("M*:disable,tag:http:enable,memory:bogus")).startsWith("error: unknown state 'bogus'");
        assertThat(run("L*:debug,x:info,y:loud")).startsWith("error: unknown log level 'loud'");
        assertThat(stateOf()).isEqualTo(before);
        assertThat(sources.applied).isZero();
        assertThat(levels.updates).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"L*:debug", "Lx:info", "l", "l*", "lx"})
    void logCommandsWithoutLogLevelAdmin(String command) {
        CommandProcessor without = new CommandProcessor(sources, () -> null);
        assertThat(without.execute(command)).isEqualTo("error: log levels unavailable");
        assertThat(without.execute("m")).isEqualTo("ok: *:enabled");
    }

    @Test
    void binaryGarbageGivesOneCleanErrorLine() {
        byte[] garbage = new byte[256];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (255 - i);
        }
        String answer = run(new String(garbage, StandardCharsets.UTF_8));
        assertThat(answer).startsWith("error: unknown command").doesNotContain("\n", "\r");
        assertThat(answer.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);

        String inName = run("Lab\u0000\u0007c:debug");
        assertThat(inName).isEqualTo("error: malformed logger name 'ab??c'");
        assertThat(run("Lx\uFFFDy:debug")).isEqualTo("error: malformed logger name 'x?y'");
    }

    @Test
    void longTextIsCutInAnswers() {
        String answer = run("L" + "a".repeat(500) + ":loud");
        assertThat(answer).isEqualTo("error: unknown log level 'loud' (expected trace, debug, info, warn, error, fatal or off)");
        assertThat(run("M" + "x".repeat(500))).isEqualTo(
                "error: unknown state '" + "x".repeat(64) + "...' (expected enable, disable, on or off)");
    }

    @Test
    void backendFailureIsAnError() {
        CommandProcessor failing = new CommandProcessor(sources, () -> new FakeLogLevelAdmin() {
            @Override
            public synchronized void setLevels(LogLevel setAll, java.util.Map<String, LogLevel> loggers) {
                throw new IllegalStateException("configuration admin\nunavailable");
            }
        });
        assertThat(failing.execute("L*:debug")).isEqualTo("error: configuration admin unavailable");
    }

    private String stateOf() {
        return run("m*") + " | " + run("l*");
    }

    // --- levels that expire ---

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private CommandProcessor at(Instant now, FakeLogLevelAdmin admin) {
        return new CommandProcessor(sources, () -> admin, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void anExpiringLevelShowsTheTimeLeft() {
        FakeLogLevelAdmin admin = new FakeLogLevelAdmin(T0);
        assertThat(at(T0, admin).execute("Lorg.foo:debug@10m")).isEqualTo("ok");
        assertThat(at(T0.plusSeconds(2), admin).execute("l")).isEqualTo("ok: *:info,org.foo:debug@9m58s");
        assertThat(at(T0.plusSeconds(2), admin).execute("lorg.foo,org.foo.bar"))
                .isEqualTo("ok: org.foo:debug@9m58s,org.foo.bar:debug");
        assertThat(at(T0.plusSeconds(2), admin).execute("l*")).contains(",org.foo:debug@9m58s");
        // a part of a second left still shows as a second
        assertThat(at(T0.plus(Duration.ofMillis(599_500)), admin).execute("l")).isEqualTo("ok: *:info,org.foo:debug@1s");
    }

    @Test
    void durationsInEveryUnitAndTheDefault() {
        FakeLogLevelAdmin admin = new FakeLogLevelAdmin(T0);
        CommandProcessor p = at(T0, admin);
        assertThat(p.execute("L*:debug@30s")).isEqualTo("ok");
        assertThat(p.execute("l")).isEqualTo("ok: *:debug@30s");
        assertThat(p.execute("La.b:trace@2h,c:warn@1h30m, d:error")).isEqualTo("ok");
        assertThat(p.execute("l")).isEqualTo("ok: *:debug@30s,a.b:trace@2h0m0s,c:warn@1h30m0s,d:error");
        assertThat(p.execute("Lerror@24h")).isEqualTo("ok");
        assertThat(p.execute("l")).isEqualTo("ok: *:error@24h0m0s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Lorg.foo:debug@", "Lorg.foo:debug@10", "Lorg.foo:debug@10x", "Lorg.foo:debug@0s",
        "Lorg.foo:debug@-5s", "Lorg.foo:debug@24h1s", "Lorg.foo:debug@25h", "Lorg.foo:debug@1.5h",
        "Lorg.foo:debug@10m,*:loud", "Lorg.foo:debug@s", "Lorg.foo@1m:debug", "La:info,org.foo:debug@9999999999999s"})
    void aBadDurationIsAnErrorAndChangesNothing(String line) {
        FakeLogLevelAdmin admin = new FakeLogLevelAdmin(T0);
        assertThat(at(T0, admin).execute(line)).startsWith("error: ");
        assertThat(admin.updates).isZero();
        assertThat(at(T0, admin).execute("l")).isEqualTo("ok: *:info");
    }

    @Test
    void badDurationMessagesSayWhatIsExpected() {
        FakeLogLevelAdmin admin = new FakeLogLevelAdmin(T0);
        assertThat(at(T0, admin).execute("Lorg.foo:debug@10x"))
                .isEqualTo("error: malformed duration '10x' (expected a number with s, m or h, e.g. 30s, 10m, 2h)");
        assertThat(at(T0, admin).execute("Lorg.foo:debug@25h")).isEqualTo("error: duration '25h' is too long (at most 24h)");
    }

    // --- audit ---

    @Test
    void everyChangeIsLoggedWithWhoAndTheStatesBeforeAndAfter() {
        FakeLogLevelAdmin admin = new FakeLogLevelAdmin(T0);
        CommandProcessor p = at(T0, admin);
        try (dev.osgimon.testing.LogCapture log = new dev.osgimon.testing.LogCapture()) {
            assertThat(p.execute("Mnet:disable", "tcp 127.0.0.1:5000")).isEqualTo("ok");
            assertThat(p.execute("Lorg.foo:debug@10m", "shell session 1f (user karaf)")).isEqualTo("ok");
            // shows and errors change nothing and are not in the audit
            p.execute("m*", "tcp 127.0.0.1:5001");
            p.execute("Mnope:disable", "tcp 127.0.0.1:5002");
            p.execute("Lorg.foo:debug@1y", "tcp 127.0.0.1:5003");
            assertThat(log.text()).contains("INFO dev.osgimon.command.internal.CommandProcessor - sources by tcp 127.0.0.1:5000:"
                    + " 'Mnet:disable'; before: *:enabled,http:enabled,memory:enabled,monitoring:enabled,net:enabled,"
                    + "net-solo5:enabled; after: *:enabled,http:enabled,memory:enabled,monitoring:enabled,net:disabled,"
                    + "net-solo5:enabled")
                    .contains("log levels by shell session 1f (user karaf): 'Lorg.foo:debug@10m'; before: *:info;"
                            + " after: *:info,org.foo:debug@10m0s")
                    .doesNotContain("5001", "5002", "5003");
        }
        // what the audit predicted is what l shows
        assertThat(p.execute("l")).isEqualTo("ok: *:info,org.foo:debug@10m0s");
    }
}
