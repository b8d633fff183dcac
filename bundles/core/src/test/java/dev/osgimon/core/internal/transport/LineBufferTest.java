package dev.osgimon.core.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

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
        b.add(bytes, 0, bytes.length, (int) lines.chars().filter(c -> c == '\n').count());
    }

    private static String drain(LineBuffer b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.drainTo((buf, off, len, lines) -> out.write(buf, off, len));
        return out.toString(StandardCharsets.UTF_8);
    }
}
