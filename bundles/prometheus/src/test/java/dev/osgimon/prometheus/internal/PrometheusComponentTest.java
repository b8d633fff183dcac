package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.Dictionary;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import dev.osgimon.api.model.CycleObserver;
import dev.osgimon.testing.LogCapture;
import dev.osgimon.testing.TestCycle;

/** The component with a mocked bundle context: what it registers, and what it does with a cycle. */
class PrometheusComponentTest {

    private static PrometheusConfig config(String path, String[] allow, String authorization) {
        return new PrometheusConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PrometheusConfig.class;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public String[] allow() {
                return allow;
            }

            @Override
            public String authorization() {
                return authorization;
            }
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static BundleContext context(ServiceRegistration registration) {
        BundleContext context = mock(BundleContext.class);
        when(context.registerService(eq(CycleObserver.class), any(CycleObserver.class), isNull())).thenReturn(registration);
        when(context.registerService(eq("javax.servlet.Servlet"), any(), any(Dictionary.class))).thenReturn(registration);
        return context;
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void servesTheLatestCycleAndKeepsTheSecretOutOfServiceProperties() {
        ServiceRegistration registration = mock(ServiceRegistration.class);
        BundleContext context = context(registration);
        String log;
        PrometheusComponent c;
        try (LogCapture capture = new LogCapture()) {
            c = new PrometheusComponent(context, config("/prom/metrics", new String[0], "Bearer very-secret"));
            log = capture.text();
        }
        assertThat(log).contains("/prom/metrics").contains("Bearer ********").doesNotContain("very-secret");
        ArgumentCaptor<Dictionary> props = ArgumentCaptor.forClass(Dictionary.class);
        verify(context).registerService(eq("javax.servlet.Servlet"), any(MetricsServlet.class), props.capture());
        assertThat(props.getValue().get("osgi.http.whiteboard.servlet.pattern")).isEqualTo("/prom/metrics");
        assertThat(props.getValue().toString()).doesNotContain("very-secret");
        verify(context).registerService(eq(CycleObserver.class), eq(c), isNull());

        assertThat(text(c)).contains("osgimon_prometheus_cycle_timestamp_seconds 0\n");
        c.cycleCollected(new TestCycle(3_000_000_000L).point("m").gauge("v", 5));
        assertThat(text(c)).contains("osgimon_prometheus_cycle_timestamp_seconds 3\n").contains("m_v 5\n");

        c.deactivate();
        verify(registration, org.mockito.Mockito.times(2)).unregister();
    }

    private static String text(PrometheusComponent c) {
        return new String(c.latest().bytes(Format.TEXT, false), StandardCharsets.UTF_8);
    }

    @Test
    @SuppressWarnings("rawtypes")
    void anUnusableAuthorizationServesNothing() {
        BundleContext context = context(mock(ServiceRegistration.class));
        try (LogCapture capture = new LogCapture()) {
            assertThatThrownBy(() -> new PrometheusComponent(context, config("/metrics", null, "Token abc")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("abc");
            assertThat(capture.text()).contains("not served").doesNotContain("abc");
        }
        verify(context, never()).registerService(any(String.class), any(), any());
    }

    @Test
    void aBadPathFallsBackToMetrics() {
        try (LogCapture capture = new LogCapture()) {
            assertThat(PrometheusComponent.path("metrics")).isEqualTo("/metrics");
            assertThat(PrometheusComponent.path("/a b")).isEqualTo("/metrics");
            assertThat(PrometheusComponent.path("/")).isEqualTo("/metrics");
            assertThat(PrometheusComponent.path(" /custom/path ")).isEqualTo("/custom/path");
            assertThat(capture.text()).contains("path='metrics'");
        }
    }
}
