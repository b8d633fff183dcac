package dev.osgimon.influxdb.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineRingTest {

    private static int add(LineRing r, String text) {
        byte[] b = ("xx" + text).getBytes(StandardCharsets.UTF_8);
        return r.add(b, 2, b.length - 2);
    }

    private static String first(LineRing r, int count) {
        int n = r.bytesOf(count);
        byte[] out = new byte[n + 3];
        r.copyOut(n, out, 3);
        return new String(out, 3, n, StandardCharsets.UTF_8);
    }

    @Test
    void keepsLinesInOrderAcrossWrapAroundAndGrowth() {
        LineRing r = new LineRing(1000);
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 7; i++) {
                String line = "m,round=" + round + " v=" + i + "i " + "x".repeat(round * 13 % 97) + "\n";
                sb.append(line);
                expected.add(line);
            }
            assertThat(add(r, sb.toString())).isZero();
            // take a few out, so that head moves around the ring
            int take = round % 3 == 0 ? 5 : 2;
            StringBuilder want = new StringBuilder();
            for (int i = 0; i < take; i++) {
                want.append(expected.remove(0));
            }
            assertThat(first(r, take)).isEqualTo(want.toString());
            r.removeFirst(take);
        }
        assertThat(r.size()).isEqualTo(expected.size());
        assertThat(new String(r.toBytes(), StandardCharsets.UTF_8)).isEqualTo(String.join("", expected));
    }

    @Test
    void dropsTheOldestBeyondCapacity() {
        LineRing r = new LineRing(3);
        assertThat(add(r, "a\nb\n")).isZero();
        assertThat(add(r, "c\nd\ne\n")).isEqualTo(2);
        assertThat(r.size()).isEqualTo(3);
        assertThat(new String(r.toBytes(), StandardCharsets.UTF_8)).isEqualTo("c\nd\ne\n");
        assertThat(add(r, "incomplete")).isZero();
        assertThat(r.size()).isEqualTo(3);
        r.clear();
        assertThat(r.size()).isZero();
        assertThat(r.toBytes()).isEmpty();
        assertThatThrownBy(() -> new LineRing(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
