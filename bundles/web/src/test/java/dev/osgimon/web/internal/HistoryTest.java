package dev.osgimon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HistoryTest {

    private static final History.Key HEAP = new History.Key("jvm_memory", Map.of("area", "heap"), "used");

    private static long t(int second) {
        return second * 1_000_000_000L;
    }

    @Test
    void keepsTheLastNCyclesOfEachSeriesOldestFirst() {
        History h = new History(3, 10);
        for (int i = 1; i <= 5; i++) {
            h.add(t(i), "jvm_memory,area=heap used=" + i + "i,max=99i " + t(i) + "\n");
        }
        History.Points p = h.points(HEAP);
        assertThat(p.timesMillis()).containsExactly(3000, 4000, 5000);
        assertThat(p.values()).containsExactly(3.0, 4.0, 5.0);
        assertThat(h.latest(HEAP)).containsExactly(5.0, 5000.0);
        assertThat(h.keys()).hasSize(2);
    }

    @Test
    void aCycleWithoutTheSeriesIsAGapAndASeriesGoneForNCyclesIsEvicted() {
        History h = new History(3, 10);
        h.add(t(1), "a v=1\nb v=1\n");
        h.add(t(2), "a v=2\n");
        assertThat(h.points(new History.Key("b", Map.of(), "v")).values()).containsExactly(1.0, null);
        h.add(t(3), "a v=3\n");
        assertThat(h.size()).isEqualTo(2);
        h.add(t(4), "a v=4\n");
        assertThat(h.size()).as("b has no value left in the last 3 cycles").isEqualTo(1);
        assertThat(h.points(new History.Key("b", Map.of(), "v")).values()).isEmpty();
        h.add(t(5), "a v=5\nb v=5\n");
        assertThat(h.points(new History.Key("b", Map.of(), "v")).values()).containsExactly(null, null, 5.0);
    }

    @Test
    void seriesBeyondTheBoundAreRefusedAndCounted() {
        History h = new History(360, 2);
        h.add(t(1), "m a=1,b=2,c=3,d=4\n");
        assertThat(h.size()).isEqualTo(2);
        assertThat(h.refused()).isEqualTo(2);
    }

    @Test
    void memoryStaysBoundedOverManyCycles() {
        History h = new History(360, 50);
        StringBuilder cycle = new StringBuilder();
        for (int s = 0; s < 40; s++) {
            cycle.append("m,s=").append(s).append(" v=").append(s).append("i\n");
        }
        for (int i = 0; i < 5_000; i++) {
            h.add(t(i), cycle.toString());
        }
        assertThat(h.size()).isEqualTo(40);
        assertThat(h.points(new History.Key("m", Map.of("s", "7"), "v")).values()).hasSize(360).containsOnly(7.0);
        assertThat(h.cycleCount()).isEqualTo(5_000);
    }

    @Test
    void badSizesAreRefused() {
        assertThatThrownBy(() -> new History(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new History(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
