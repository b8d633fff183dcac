package dev.osgimon.api.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineBufferTest {

    @Test
    void keepsLinesInOrderAndDropsTheOldestBeyondCapacity() {
        LineBuffer b = new LineBuffer(3);
        for (int i = 1; i <= 5; i++) {
            add(b, "line" + i + "\n");
        }
        assertThat(b.lines()).isEqualTo(3);
        assertThat(b.dropped()).isEqualTo(2);
        assertThat(drain(b)).isEqualTo("line3\nline4\nline5\n");
        assertThat(b.isEmpty()).isTrue();
    }

    @Test
    void peekAndRemoveAcrossTheRingEdge() {
        LineBuffer b = new LineBuffer(100);
        for (int round = 0; round < 50; round++) {
            add(b, "a".repeat(700) + "\n" + "b".repeat(500) + round + "\n");
            byte[] into = new byte[4096];
            int n = b.peek(into, 4096);
            assertThat(n).isEqualTo(2);
            String text = new String(into, 0, b.bytesOf(n), StandardCharsets.UTF_8);
            assertThat(text).endsWith(round + "\n").startsWith("aaa");
            b.remove(n);
        }
        assertThat(b.bytes()).isZero();
    }

    @Test
    void peekStopsAtTheByteLimitButTakesAtLeastOneLine() {
        LineBuffer b = new LineBuffer(10);
        add(b, "x".repeat(100) + "\n" + "y\n");
        byte[] into = new byte[1000];
        assertThat(b.peek(into, 10)).isEqualTo(1);
    }

    private static void add(LineBuffer b, String lines) {
        byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
        b.add(bytes, 0, bytes.length);
    }

    private static String drain(LineBuffer b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.drainTo((buf, off, len, lines) -> out.write(buf, off, len));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int addAt2(LineBuffer r, String text) {
        byte[] b = ("xx" + text).getBytes(StandardCharsets.UTF_8);
        return r.add(b, 2, b.length - 2);
    }

    private static String first(LineBuffer r, int count) {
        int n = r.bytesOf(count);
        byte[] out = new byte[n + 3];
        r.copyOut(n, out, 3);
        return new String(out, 3, n, StandardCharsets.UTF_8);
    }

    @Test
    void keepsLinesInOrderAcrossWrapAroundAndGrowth() {
        LineBuffer r = new LineBuffer(1000);
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 7; i++) {
                String line = "m,round=" + round + " v=" + i + "i " + "x".repeat(round * 13 % 97) + "\n";
                sb.append(line);
                expected.add(line);
            }
            assertThat(addAt2(r, sb.toString())).isZero();
            // take a few out, so that head moves around the ring
            int take = round % 3 == 0 ? 5 : 2;
            StringBuilder want = new StringBuilder();
            for (int i = 0; i < take; i++) {
                want.append(expected.remove(0));
            }
            assertThat(first(r, take)).isEqualTo(want.toString());
            r.remove(take);
        }
        assertThat(r.lines()).isEqualTo(expected.size());
        assertThat(new String(r.toBytes(), StandardCharsets.UTF_8)).isEqualTo(String.join("", expected));
    }

    @Test
    void dropsTheOldestBeyondCapacity() {
        LineBuffer r = new LineBuffer(3);
        assertThat(addAt2(r, "a\nb\n")).isZero();
        assertThat(addAt2(r, "c\nd\ne\n")).isEqualTo(2);
        assertThat(r.lines()).isEqualTo(3);
        assertThat(new String(r.toBytes(), StandardCharsets.UTF_8)).isEqualTo("c\nd\ne\n");
        // bytes without a terminator become a line of their own, terminated
        assertThat(addAt2(r, "incomplete")).isEqualTo(1);
        assertThat(new String(r.toBytes(), StandardCharsets.UTF_8)).isEqualTo("d\ne\nincomplete\n");
        assertThat(r.dropped()).isEqualTo(3);
        r.clear();
        assertThat(r.lines()).isZero();
        assertThat(r.toBytes()).isEmpty();
        assertThatThrownBy(() -> new LineBuffer(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
