package dev.osgimon.memtrace.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ThrottleTunerTest {

    @Test
    void samplesPerSecondAreBytesPerSecondOverEightTimesTheRate() {
        assertThat(ThrottleTuner.throttleFor(8_000_000, 1e-4)).isEqualTo("100/s");
        assertThat(ThrottleTuner.throttleFor(80_000_000, 1e-5)).isEqualTo("100/s");
        assertThat(ThrottleTuner.throttleFor(800_000, 1e-4)).isEqualTo("10/s");
    }

    @Test
    void lowRatesArePerMinuteAndNeverZero() {
        assertThat(ThrottleTuner.throttleFor(80_000, 1e-4)).isEqualTo("60/m");
        assertThat(ThrottleTuner.throttleFor(8_000, 1e-4)).isEqualTo("6/m");
        assertThat(ThrottleTuner.throttleFor(0, 1e-4)).isEqualTo("1/m");
    }

    @Test
    void highRatesAreClampedAndAnUnknownRateGetsTheCeiling() {
        assertThat(ThrottleTuner.throttleFor(1e9, 1e-4)).isEqualTo(ThrottleTuner.MAX_PER_SECOND + "/s");
        assertThat(ThrottleTuner.throttleFor(1e9, 1)).isEqualTo(ThrottleTuner.MAX_PER_SECOND + "/s");
        assertThat(ThrottleTuner.throttleFor(-1, 1e-4)).isEqualTo(ThrottleTuner.MAX_PER_SECOND + "/s");
    }

    @Test
    void eachCallMeasuresTheRateSinceThePreviousOne() {
        AtomicLong bytes = new AtomicLong(5_000_000_000L);
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        ThrottleTuner tuner = new ThrottleTuner(1e-4, bytes::get, nanos::get);

        bytes.addAndGet(16_000_000); // 16 MB in 2 s: 8 MB/s, 100 samples/s
        nanos.addAndGet(2_000_000_000L);
        assertThat(tuner.next()).isEqualTo("100/s");

        bytes.addAndGet(400_000); // 400 KB in 1 s: 5 samples/s
        nanos.addAndGet(1_000_000_000L);
        assertThat(tuner.next()).isEqualTo("300/m");
    }

    @Test
    void theJvmTellsItsAllocatedBytes() {
        long before = ThrottleTuner.jvmAllocatedBytes().getAsLong();
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[64 * 1024];
        }
        assertThat(garbage.length).isEqualTo(64);
        assertThat(ThrottleTuner.jvmAllocatedBytes().getAsLong()).isGreaterThanOrEqualTo(before + 4_000_000L);
    }
}
