package dev.osgimon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CounterTest {

    /** Keeps the fields of the last point (a counter writes one). */
    private static final class Fields implements PointWriter {
        String measurement;
        final Map<String, Long> fields = new LinkedHashMap<>();

        @Override
        public PointWriter point(String m) {
            measurement = m;
            fields.clear();
            return this;
        }

        @Override
        public PointWriter tag(String key, CharSequence value) {
            return this;
        }

        @Override
        public PointWriter field(String key, long value) {
            if (fields.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key))) {
                throw new IllegalArgumentException("repeated key " + key);
            }
            fields.put(key, value);
            return this;
        }

        @Override
        public PointWriter fieldUnsigned(String key, long value) {
            return field(key, value);
        }

        @Override
        public PointWriter field(String key, double value) {
            throw new AssertionError();
        }

        @Override
        public PointWriter field(String key, boolean value) {
            throw new AssertionError();
        }

        @Override
        public PointWriter field(String key, CharSequence value) {
            throw new AssertionError();
        }

        @Override
        public PointWriter histogram(double[] bounds, long[] bucketCounts, double sum, double min, double max) {
            throw new AssertionError();
        }
    }

    @Test
    void countsByKeyAndTotal() {
        Counter c = new Counter("orders", 8);
        c.increment("eu");
        c.add("us", 3);
        Fields out = new Fields();
        c.collect(out);
        assertThat(out.measurement).isEqualTo("orders");
        assertThat(out.fields).containsExactly(Map.entry("eu", 1L), Map.entry("us", 3L), Map.entry("total", 4L));
    }

    @Test
    void keysThatDifferOnlyInCaseAreOneFieldUnderTheFirstSpelling() {
        Counter c = new Counter("methods", 8);
        c.increment("Get");
        c.increment("GET");
        c.increment("get");
        Fields out = new Fields();
        c.collect(out);
        assertThat(out.fields).containsExactly(Map.entry("Get", 3L), Map.entry("total", 3L));
        assertThat(c.get("GET")).isEqualTo(3);
    }

    @Test
    void reservedKeysAreRefusedWhenCountedAndCostNothingElse() {
        Counter c = new Counter("m", 8);
        c.increment("a");
        for (String bad : new String[] {"total", "TOTAL", "time", "Timestamp", "_measurement", "_field"}) {
            assertThatThrownBy(() -> c.increment(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        Fields out = new Fields();
        c.collect(out);
        assertThat(out.fields).containsExactly(Map.entry("a", 1L), Map.entry("total", 1L));
    }

    @Test
    void keysBeyondTheBoundAreCountedAsOther() {
        Counter c = new Counter("m", 2);
        c.increment("a");
        c.increment("b");
        c.increment("c");
        c.increment("d");
        Fields out = new Fields();
        c.collect(out);
        assertThat(out.fields).containsOnlyKeys("a", "b", "other", "total");
        assertThat(out.fields.get("other")).isEqualTo(2);
        assertThat(out.fields.get("total")).isEqualTo(4);
    }
}
