package dev.osgimon.source.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.annotation.Annotation;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import dev.osgimon.testing.DeclarationCheck;
import dev.osgimon.testing.RecordingWriter;

class LogSourceTest {

    private final LogReaderService reader = mock(LogReaderService.class);

    static LogConfig config(boolean perBundle, int maxBundles) {
        return new LogConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LogConfig.class;
            }

            @Override
            public boolean perBundle() {
                return perBundle;
            }

            @Override
            public int maxBundles() {
                return maxBundles;
            }
        };
    }

    static LogEntry entry(LogLevel level, String bsn) {
        LogEntry e = mock(LogEntry.class);
        when(e.getLogLevel()).thenReturn(level);
        if (bsn != null) {
            Bundle b = mock(Bundle.class);
            when(b.getSymbolicName()).thenReturn(bsn);
            when(e.getBundle()).thenReturn(b);
        }
        return e;
    }

    private LogListener listener() {
        ArgumentCaptor<LogListener> listener = ArgumentCaptor.forClass(LogListener.class);
        verify(reader).addLogListener(listener.capture());
        return listener.getValue();
    }

    @Test
    void countsEveryLevelFromZeroAndRemovesItsListener() {
        LogSource source = new LogSource(reader, config(false, 10));
        LogListener listener = listener();
        RecordingWriter before = new RecordingWriter();
        source.collect(before);
        for (int i = 0; i < 5; i++) {
            listener.logged(entry(LogLevel.ERROR, "a"));
        }
        listener.logged(entry(LogLevel.WARN, "a"));
        listener.logged(entry(LogLevel.DEBUG, null));
        RecordingWriter after = new RecordingWriter();
        source.collect(after);

        assertThat(before.named("log_entries")).hasSize(6).allSatisfy(p -> assertThat(p.fields()).containsEntry("count", 0L));
        assertThat(after.one("log_entries", "level", "error").fields()).containsEntry("count", 5L);
        assertThat(after.one("log_entries", "level", "warn").fields()).containsEntry("count", 1L);
        assertThat(after.one("log_entries", "level", "debug").fields()).containsEntry("count", 1L);
        assertThat(after.one("log_entries", "level", "info").fields()).containsEntry("count", 0L);
        assertThat(after.one("log_entries", "level", "audit").fields()).containsEntry("count", 0L);
        assertThat(after.named("log_bundle_entries")).as("perBundle is off").isEmpty();
        source.deactivate();
        verify(reader).removeLogListener(listener);
    }

    @Test
    void perBundleListsOnlyBundlesThatLoggedAtWarnOrWorseAndIsBounded() {
        LogSource source = new LogSource(reader, config(true, 2));
        LogListener listener = listener();
        listener.logged(entry(LogLevel.ERROR, "a"));
        listener.logged(entry(LogLevel.ERROR, "a"));
        listener.logged(entry(LogLevel.WARN, "b"));
        listener.logged(entry(LogLevel.INFO, "c"));
        listener.logged(entry(LogLevel.ERROR, "d"));
        listener.logged(entry(LogLevel.ERROR, "e"));
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        assertThat(out.one("log_bundle_entries", "bundle", "a").fields()).containsExactlyInAnyOrderEntriesOf(
                Map.of("error", 2L, "warn", 0L));
        assertThat(out.one("log_bundle_entries", "bundle", "b").fields()).containsEntry("warn", 1L);
        assertThat(out.one("log_bundle_entries", "bundle", "other").fields()).containsEntry("error", 2L);
        assertThat(out.named("log_bundle_entries")).hasSize(3);
        DeclarationCheck.assertAgree(source, out);
        source.modified(config(false, 2));
        RecordingWriter off = new RecordingWriter();
        source.collect(off);
        assertThat(off.named("log_bundle_entries")).isEmpty();
    }

    @Test
    void aBadMaxBundlesIsRefused() {
        assertThatThrownBy(() -> new LogSource(reader, config(true, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBundles");
        LogSource source = new LogSource(reader, config(true, 3));
        assertThatThrownBy(() -> source.modified(config(false, -1))).isInstanceOf(IllegalArgumentException.class);
        listener().logged(entry(LogLevel.WARN, "a"));
        RecordingWriter out = new RecordingWriter();
        source.collect(out);
        assertThat(out.named("log_bundle_entries")).as("perBundle stays on").hasSize(1);
    }
}
