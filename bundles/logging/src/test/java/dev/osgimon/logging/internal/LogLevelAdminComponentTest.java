package dev.osgimon.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import dev.osgimon.api.admin.LogLevel;

class LogLevelAdminComponentTest {

    private static LoggingConfig config(int max) {
        return new LoggingConfig() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return LoggingConfig.class;
            }

            @Override
            public int maxKnownLoggers() {
                return max;
            }
        };
    }

    private static LogEntry entry(String logger) {
        LogEntry e = mock(LogEntry.class);
        when(e.getLoggerName()).thenReturn(logger);
        return e;
    }

    @Test
    void learnsFromHistoryAndLiveEntriesAndLetsGoOfTheReader() throws Exception {
        ConfigurationAdmin cm = mock(ConfigurationAdmin.class);
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(LogLevelAdminComponent.PAX_DEFAULT_LEVEL)).thenReturn("WARN");
        LogReaderService reader = mock(LogReaderService.class);
        List<LogEntry> history = List.of(entry("early.one"), entry("early.two"));
        when(reader.getLog()).thenReturn(Collections.enumeration(history));

        LogLevelAdminComponent admin = new LogLevelAdminComponent(config(100), cm, context);
        assertThat(admin.rootLevel()).isEqualTo(LogLevel.WARN); // nothing configured yet: pax-logging's default
        admin.addLogReader(reader);
        ArgumentCaptor<LogListener> listener = ArgumentCaptor.forClass(LogListener.class);
        verify(reader).addLogListener(listener.capture());
        listener.getValue().logged(entry("live.one"));

        assertThat(admin.knownLoggers()).containsExactly("early.one", "early.two", "live.one");

        admin.removeLogReader(reader);
        verify(reader).removeLogListener(listener.getValue());
        admin.deactivate();
    }

    @Test
    void unparsableDefaultLevelFallsBackToDebug() {
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty(any())).thenReturn("LOUD");
        LogLevelAdminComponent admin = new LogLevelAdminComponent(config(10), mock(ConfigurationAdmin.class), context);
        try {
            assertThat(admin.rootLevel()).isEqualTo(LogLevel.DEBUG);
        } finally {
            admin.deactivate();
        }
    }
}
