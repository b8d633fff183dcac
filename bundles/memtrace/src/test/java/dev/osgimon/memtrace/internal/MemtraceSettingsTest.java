package dev.osgimon.memtrace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MemtraceSettingsTest {

    private static MemtraceSettings settings(double rate, String throttle, Duration chunk) {
        return new MemtraceSettings(4242, "127.0.0.1", rate, throttle, chunk, false, Duration.ofSeconds(10));
    }

    @Test
    void defaultsOfTheTypedConfiguration() {
        MemtraceSettings s = MemtraceSettings.of(TestConfigs.config(Map.of()));
        assertThat(s).isEqualTo(new MemtraceSettings(4242, "127.0.0.1", 1e-4, "", Duration.ofSeconds(5), false,
                Duration.ofSeconds(10)));
    }

    @Test
    void throttleIsNormalisedAndChecked() {
        assertThat(settings(1e-4, " 20 / M ", Duration.ofSeconds(5)).throttle()).isEqualTo("20/m");
        assertThat(settings(1e-4, "500/s", Duration.ofSeconds(5)).throttle()).isEqualTo("500/s");
        assertThat(settings(1e-4, null, Duration.ofSeconds(5)).throttle()).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> settings(1e-4, "fast", Duration.ofSeconds(5)))
                .withMessageContaining("throttle");
        assertThatIllegalArgumentException().isThrownBy(() -> settings(1e-4, "5/week", Duration.ofSeconds(5)));
    }

    @Test
    void rejectsRatesOutsideZeroToOneAndChunksUnderASecond() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(0, "", Duration.ofSeconds(5)))
                .withMessageContaining("samplingRate");
        assertThatIllegalArgumentException().isThrownBy(() -> settings(1.5, "", Duration.ofSeconds(5)));
        assertThatIllegalArgumentException().isThrownBy(() -> settings(Double.NaN, "", Duration.ofSeconds(5)));
        assertThatIllegalArgumentException().isThrownBy(() -> settings(1e-4, "", Duration.ZERO))
                .withMessageContaining("chunkSeconds");
    }

    @Test
    void aBlankBindMeansLoopback() {
        assertThat(new MemtraceSettings(1, " ", 1e-4, "", Duration.ofSeconds(1), false, Duration.ofSeconds(1)).bind())
                .isEqualTo("127.0.0.1");
    }
}
