package dev.osgimon.core.internal.ready;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ReadyGateTest {

    @Test
    void opensOnceWithNothingMissingAsSoonAsEverythingCame() {
        AtomicReference<List<String>> missing = new AtomicReference<>(List.of("memory", "LogLevelAdmin"));
        List<List<String>> opened = new CopyOnWriteArrayList<>();
        try (ReadyGate gate = new ReadyGate(missing::get, Duration.ofMinutes(5), opened::add)) {
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(opened::isEmpty);
            missing.set(List.of("LogLevelAdmin"));
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(opened::isEmpty);
            missing.set(List.of());
            await().atMost(Duration.ofSeconds(5)).until(() -> !opened.isEmpty());
            await().atMost(Duration.ofSeconds(5)).until(gate::isStopped);
            assertThat(opened).containsExactly(List.of());
        }
    }

    @Test
    void opensWithWhatIsMissingWhenTheWaitRunsOut() {
        List<List<String>> opened = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        try (ReadyGate gate = new ReadyGate(() -> List.of("health"), Duration.ofMillis(300), opened::add)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !opened.isEmpty());
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            await().atMost(Duration.ofSeconds(5)).until(gate::isStopped);
            assertThat(opened).containsExactly(List.of("health"));
        }
    }

    @Test
    void closedBeforeReadyNeverOpensAndStopsItsThread() {
        List<List<String>> opened = new ArrayList<>();
        ReadyGate gate = new ReadyGate(() -> List.of("net"), Duration.ofMinutes(5), opened::add);
        gate.close();
        assertThat(gate.isStopped()).isTrue();
        assertThat(opened).isEmpty();
    }
}
