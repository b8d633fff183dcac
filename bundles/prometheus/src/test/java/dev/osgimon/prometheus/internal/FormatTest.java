package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void openMetricsOnlyWhenAsked() {
        assertThat(Format.negotiate(null)).isEqualTo(Format.TEXT);
        assertThat(Format.negotiate("*/*")).isEqualTo(Format.TEXT);
        assertThat(Format.negotiate("text/plain;version=0.0.4")).isEqualTo(Format.TEXT);
        // what Prometheus 2.42 sends
        assertThat(Format.negotiate("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")).isEqualTo(Format.OPENMETRICS);
        assertThat(Format.negotiate("Application/OpenMetrics-Text")).isEqualTo(Format.OPENMETRICS);
        assertThat(Format.negotiate("application/openmetrics-text;q=0, text/plain")).isEqualTo(Format.TEXT);
        assertThat(Format.OPENMETRICS.contentType()).isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(Format.TEXT.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }

    @Test
    void gzipWhenAccepted() {
        assertThat(Format.accepts("gzip", "gzip")).isTrue();
        assertThat(Format.accepts("deflate, gzip;q=0.5", "gzip")).isTrue();
        assertThat(Format.accepts("gzip;q=0", "gzip")).isFalse();
        assertThat(Format.accepts("identity", "gzip")).isFalse();
        assertThat(Format.accepts(null, "gzip")).isFalse();
    }
}
