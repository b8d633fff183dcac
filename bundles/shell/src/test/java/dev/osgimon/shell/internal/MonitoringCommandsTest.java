package dev.osgimon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.osgimon.api.admin.CommandService;

class MonitoringCommandsTest {

    private final List<String> lines = new ArrayList<>();
    private final CommandService echo = line -> {
        lines.add(line);
        return "ok: " + line;
    };
    private final MonitoringCommands commands = new MonitoringCommands(echo);

    @ParameterizedTest(name = "l {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|l",
        "*|l*",
        "monitoring-experiments,dns|lmonitoring-experiments,dns",
        "*:debug|L*:debug",
        "monitoring-experiments:error|Lmonitoring-experiments:error",
        "*:info,monitoring-experiments:debug|L*:info,monitoring-experiments:debug",
        "debug|Ldebug",
        "Warning|LWarning",
        "some.logger|lsome.logger",
    })
    void logCommandTellsSetFromShow(String spec, String line) {
        String[] args = spec.isEmpty() ? new String[0] : new String[] {spec};
        assertThat(commands.l(args)).isEqualTo("ok: " + line);
    }

    @ParameterizedTest(name = "m {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|m",
        "*|m*",
        "memory,net|mmemory,net",
        "*:disable,memory:enable,net:enable|M*:disable,memory:enable,net:enable",
        "net:disable|Mnet:disable",
        "tag:http:enable|Mtag:http:enable",
        "enable|Menable",
        "off|Moff",
    })
    void metricsCommandTellsSwitchFromShow(String spec, String line) {
        String[] args = spec.isEmpty() ? new String[0] : new String[] {spec};
        assertThat(commands.m(args)).isEqualTo("ok: " + line);
    }

    @Test
    void wordsAreJoinedWithCommas() {
        assertThat(commands.l("*:info", "some.logger:debug")).isEqualTo("ok: L*:info,some.logger:debug");
        assertThat(commands.m("memory", "net")).isEqualTo("ok: mmemory,net");
        assertThat(commands.loglevel("info")).isEqualTo("ok: Linfo");
        assertThat(commands.loglevels()).isEqualTo("ok: l");
        assertThat(commands.loglevels("a", "b")).isEqualTo("ok: la,b");
        assertThat(commands.metrics("*")).isEqualTo("ok: m*");
        assertThat(commands._switch("*:disable", "memory:enable")).isEqualTo("ok: M*:disable,memory:enable");
    }

    @Test
    void enableAndDisable() {
        assertThat(commands.enable("memory", "tag:http")).isEqualTo("ok: Mmemory:enable,tag:http:enable");
        assertThat(commands.disable("net,src:http")).isEqualTo("ok: Mnet:disable,src:http:disable");
        assertThat(commands.disable()).isEqualTo("ok: M*:disable");
        assertThat(commands.enable("*")).isEqualTo("ok: M*:enable");
    }

    @Test
    void answersArePassedThroughUnchanged() {
        MonitoringCommands failing = new MonitoringCommands(line -> "error: unknown source: nope");
        assertThat(failing.m("nope")).isEqualTo("error: unknown source: nope");
        assertThat(failing.loglevel("x:loud")).isEqualTo("error: unknown source: nope");
    }

    @Test
    void collectWithoutPreviewIsAnError() {
        assertThat(commands.collect()).isEqualTo("error: collection preview unavailable");
    }
}
