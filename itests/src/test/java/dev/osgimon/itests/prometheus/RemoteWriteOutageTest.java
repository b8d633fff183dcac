package dev.osgimon.itests.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.PrometheusServer;
import dev.osgimon.itests.support.Waits;

/**
 * The real distribution pushes with remote write ({@code prometheus+http://} target, its shipped
 * {@code buffer=disk} spool, a cycle a second) into a real Prometheus 2.42. Prometheus is stopped
 * for 5 s; during that outage osgimon is killed with SIGKILL and started again. Once Prometheus is
 * back, each run's {@code osgimon_cycles_total} (the run's own count of its cycles, one series per
 * run through its own {@code vm}) has one sample per cycle, counting up by one with no gap, from the
 * run's first cycle to the cycles collected while Prometheus was down, and nothing was rejected.
 */
class RemoteWriteOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void everyCycleArrivesAcrossAPrometheusOutageAndAKillOfOsgimon() throws Exception {
        try (PrometheusServer prometheus = PrometheusServer.receiver();
                Distribution d = Distribution.prepare(Map.of("OSGIMON_TARGET", prometheus.remoteWriteTarget(),
                        "OSGIMON_INTERVAL", "1", "OSGIMON_HOSTNAME", "rw-first"))) {
            d.start();
            Waits.until("cycles arrive by remote write (" + d.logText() + ")", WAIT,
                    () -> count(prometheus, "rw-first") >= 3);

            long down = System.currentTimeMillis();
            prometheus.stop();
            Waits.until("two cycles collected while Prometheus is down", Duration.ofSeconds(10),
                    () -> System.currentTimeMillis() - down >= 2_000);
            d.kill();
            long killed = System.currentTimeMillis();
            d.env().put("OSGIMON_HOSTNAME", "rw-second");
            d.start();
            Waits.until("5 s of outage", Duration.ofSeconds(30), () -> System.currentTimeMillis() - down >= 5_000);
            long up = System.currentTimeMillis();
            prometheus.restart();

            Waits.until("the second run's cycles from before and after the outage's end arrive", WAIT,
                    () -> {
                        List<long[]> s = samples(prometheus, "rw-second");
                        return !s.isEmpty() && s.get(0)[0] < up && s.get(s.size() - 1)[0] > up + 2_000;
                    });
            List<long[]> first = samples(prometheus, "rw-first");
            List<long[]> second = samples(prometheus, "rw-second");
            String shown = "first run " + text(first) + "\nsecond run " + text(second);
            oneSamplePerCycleWithoutGap(first, shown);
            oneSamplePerCycleWithoutGap(second, shown);
            assertThat(first.get(first.size() - 1)[0]).as("the first run's cycles collected during the outage, up to the kill: "
                    + shown).isGreaterThan(down + 1_000).isLessThanOrEqualTo(killed);
            assertThat(second.get(0)[0]).as("the second run's first cycles, collected during the outage: " + shown)
                    .isBetween(killed, up);
            assertThat(d.logText()).as("nothing refused").doesNotContain("for good");
            Double rejected = prometheus.number("max(osgimon_lines_rejected_total)");
            Double dropped = prometheus.number("max(osgimon_lines_dropped_total)");
            assertThat(rejected).as("lines rejected").isIn(null, 0.0);
            assertThat(dropped).as("lines dropped").isIn(null, 0.0);
            assertThat(prometheus.log()).as("Prometheus refused nothing").doesNotContain("out of order")
                    .doesNotContain("Error appending remote write");
            d.stop();
        }
    }

    /** Samples of one run, in time order, count up by exactly one from the run's first cycle (0 or 1). */
    private static void oneSamplePerCycleWithoutGap(List<long[]> samples, String shown) {
        assertThat(samples).as(shown).isNotEmpty();
        assertThat(samples.get(0)[1]).as("the run's first cycle: " + shown).isLessThanOrEqualTo(1);
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i)[1]).as("sample %d counts one more cycle: %s", i, shown)
                    .isEqualTo(samples.get(i - 1)[1] + 1);
            assertThat(samples.get(i)[0]).as("sample %d is later: %s", i, shown).isGreaterThan(samples.get(i - 1)[0]);
        }
    }

    private static int count(PrometheusServer prometheus, String vm) {
        return samples(prometheus, vm).size();
    }

    /** The run's samples of {@code osgimon_cycles_total}: timestamp (ms) and value. */
    private static List<long[]> samples(PrometheusServer prometheus, String vm) {
        List<long[]> out = new ArrayList<>();
        for (List<String[]> series : prometheus.samples("osgimon_cycles_total{vm=\"" + vm + "\"}", "10m").values()) {
            for (String[] s : series) {
                out.add(new long[] {Long.parseLong(s[0]), (long) Double.parseDouble(s[1])});
            }
        }
        return out;
    }

    private static String text(List<long[]> samples) {
        StringBuilder b = new StringBuilder("[");
        for (long[] s : samples) {
            b.append(b.length() == 1 ? "" : ", ").append(s[1]).append('@').append(s[0]);
        }
        return b.append(']').toString();
    }
}
