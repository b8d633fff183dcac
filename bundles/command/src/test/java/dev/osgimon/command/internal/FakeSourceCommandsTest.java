package dev.osgimon.command.internal;

import dev.osgimon.api.admin.SourceControl;

/** The M/m contract against the in-test fake. */
class FakeSourceCommandsTest extends SourceCommandsContract {

    private FakeSourceControl fake;

    @Override
    SourceControl create() {
        fake = new FakeSourceControl();
        return fake;
    }

    @Override
    void register(String name, String... tags) {
        fake.register(name, tags);
    }

    @Override
    void dispose() {
    }

    @Override
    String allSources(String memory, String net, String netSolo5, String http) {
        return "http:" + http + ",memory:" + memory + ",net:" + net + ",net-solo5:" + netSolo5;
    }
}
