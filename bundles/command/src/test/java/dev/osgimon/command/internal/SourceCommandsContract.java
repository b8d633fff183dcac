package dev.osgimon.command.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.osgimon.api.admin.SourceControl;

/**
 * The M/m commands and source rules of docs/protocol.md, run against a {@link SourceControl}
 * implementation (the in-test fake and the core's real one).
 */
abstract class SourceCommandsContract {

    private CommandProcessor processor;

    /** @return a fresh implementation, nothing registered */
    abstract SourceControl create() throws Exception;

    /** Registers a source (possibly after rules were set). */
    abstract void register(String name, String... tags) throws Exception;

    /** Stops what {@link #create()} started. */
    abstract void dispose() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        SourceControl sources = create();
        register("memory", "memory", "jvm");
        register("net", "net");
        register("net-solo5", "net");
        register("http", "http");
        processor = new CommandProcessor(sources, () -> null);
    }

    @AfterEach
    void tearDown() throws Exception {
        dispose();
    }

    String run(String line) {
        return processor.execute(line);
    }

    /** Every registered source in name order, with the self source where the implementation has one. */
    abstract String allSources(String memory, String net, String netSolo5, String http);

    @Test
    void readmeMetricsExamples() {
        assertThat(run("M*:disable,memory:enable,net-solo5:enable")).isEqualTo("ok");
        assertThat(run("m")).isEqualTo("ok: *:disabled,memory:enabled,net-solo5:enabled");
        assertThat(run("Mnet-solo5:disable")).isEqualTo("ok");
        assertThat(run("m")).isEqualTo("ok: *:disabled,memory:enabled");
        assertThat(run("Mtag:http:enable")).isEqualTo("ok");
        assertThat(run("m*")).isEqualTo("ok: *:disabled,tag:http:enabled,"
                + allSources("enabled", "disabled", "disabled", "enabled").replace("monitoring:X", "monitoring:disabled"));
        assertThat(run("mmemory,net-solo5")).isEqualTo("ok: memory:enabled,net-solo5:disabled");
    }

    @Test
    void specMetricsExamples() {
        assertThat(run("m")).isEqualTo("ok: *:enabled");
        assertThat(run("M*:disable,memory:enable,net:enable")).isEqualTo("ok");
        assertThat(run("mmemory,net")).isEqualTo("ok: memory:enabled,net:enabled");
        assertThat(run("Mnet:disable")).isEqualTo("ok");
        assertThat(run("mmemory,net")).isEqualTo("ok: memory:enabled,net:disabled");
        assertThat(run("Mtag:http:enable")).isEqualTo("ok");
        assertThat(run("m")).isEqualTo("ok: *:disabled,http:enabled,memory:enabled");
    }

    @Test
    void withinOneCommandStarThenTagsThenSources() {
        assertThat(run("Mmemory:enable,tag:jvm:disable,*:disable")).isEqualTo("ok");
        assertThat(run("m*")).isEqualTo("ok: *:disabled,tag:jvm:disabled,"
                + allSources("enabled", "disabled", "disabled", "disabled").replace("monitoring:X", "monitoring:disabled"));
    }

    @Test
    void laterRuleWinsAndStarReplacesEverything() {
        run("Mmemory:disable");
        run("Mtag:memory:enable");
        assertThat(run("mmemory")).isEqualTo("ok: memory:enabled");
        run("Mmemory:off");
        assertThat(run("mmemory")).isEqualTo("ok: memory:disabled");
        run("Mtag:jvm:on");
        assertThat(run("mmemory")).isEqualTo("ok: memory:enabled");
        assertThat(run("Menable")).isEqualTo("ok");
        assertThat(run("m*")).isEqualTo("ok: *:enabled,"
                + allSources("enabled", "enabled", "enabled", "enabled").replace("monitoring:X", "monitoring:enabled"));
    }

    @Test
    void sourceRegisteringLaterFollowsTheRules() throws Exception {
        assertThat(run("Mtag:late:disable")).isEqualTo("ok");
        register("latecomer", "late");
        assertThat(run("mlatecomer")).isEqualTo("ok: latecomer:disabled");
        assertThat(run("m")).isEqualTo("ok: *:enabled,latecomer:disabled");

        assertThat(run("M*:off,tag:late:on")).isEqualTo("ok");
        register("another", "late", "x");
        register("plain");
        assertThat(run("manother,plain")).isEqualTo("ok: another:enabled,plain:disabled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mmemory:OFF", "Msrc:memory:disable", "Mmemory:Disabled", "Mdisable", "M*:off",
        " M memory : disable , net:disable ", "Mtag:jvm:off"})
    void stateWordsAndSpacingSwitchOff(String command) {
        assertThat(run(command)).isEqualTo("ok");
        assertThat(run("mmemory")).isEqualTo("ok: memory:disabled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mmemory:on", "Mmemory:ENABLE", "Msrc:memory:enabled", "Menable", "M*:on"})
    void stateWordsSwitchOn(String command) {
        run("M*:off");
        assertThat(run(command)).isEqualTo("ok");
        assertThat(run("mmemory")).isEqualTo("ok: memory:enabled");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Mnope:enable|error: unknown source: nope",
        "Msrc:nope:enable|error: unknown source: nope",
        "M*:disable,memory:enable,nope:enable|error: unknown source: nope",
        "MMemory:enable|error: malformed source name 'Memory' (expected [a-z0-9][a-z0-9._-]*)",
        "Mtag:Http:enable|error: malformed tag 'Http' (expected [a-z0-9][a-z0-9._-]*)",
        "M*:disable,tag:http:enable,memory:bogus|error: unknown state 'bogus' (expected enable, disable, on or off)",
        "mnope|error: unknown source: nope",
        "mmemory,nope|error: unknown source: nope",
    })
    void errorsChangeNothing(String command, String answer) {
        run("Mtag:net:off");
        String before = run("m*");
        assertThat(run(command)).isEqualTo(answer);
        assertThat(run("m*")).isEqualTo(before);
    }
}
