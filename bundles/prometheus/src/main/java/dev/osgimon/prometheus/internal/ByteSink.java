package dev.osgimon.prometheus.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growing byte buffer that writes text as UTF-8 and numbers as ASCII without boxing. Not thread-safe. */
final class ByteSink {

    private static final byte[] DIGITS = "0123456789".getBytes(StandardCharsets.US_ASCII);
    private byte[] buf;
    private int len;

    ByteSink(int capacity) {
        buf = new byte[Math.max(64, capacity)];
    }

    int length() {
        return len;
    }

    /** Empties the buffer, keeping its capacity for the next rendering. */
    void reset() {
        len = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    ByteSink ascii(char c) {
        room(1);
        buf[len++] = (byte) c;
        return this;
    }

    /** Writes a name or keyword: ASCII by construction (mapped names), UTF-8 otherwise. */
    ByteSink text(String s) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                utf8(s, i, false, false);
                return this;
            }
            buf[len++] = (byte) c;
        }
        return this;
    }

    /**
     * Writes text with {@code \} and newline escaped, and {@code "} too when {@code quote} is set (a
     * label value; an OpenMetrics help text).
     */
    ByteSink escaped(String s, boolean quote) {
        int n = s.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                utf8(s, i, true, quote);
                return this;
            }
            if (c == '\\' || c == '\n' || (quote && c == '"')) {
                room(n - i + 1);
                buf[len++] = '\\';
                buf[len++] = (byte) (c == '\n' ? 'n' : c);
            } else {
                buf[len++] = (byte) c;
            }
        }
        return this;
    }

    /** The slow path from {@code from} on: any character as UTF-8, escaped as {@link #escaped} does when {@code escape}. */
    private void utf8(String s, int from, boolean escape, boolean quote) {
        StringBuilder rest = new StringBuilder(s.length() - from + 8);
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (escape && (c == '\\' || c == '\n' || (quote && c == '"'))) {
                rest.append('\\').append(c == '\n' ? 'n' : c);
            } else {
                rest.append(c);
            }
        }
        byte[] b = rest.toString().getBytes(StandardCharsets.UTF_8);
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    ByteSink decimal(long v) {
        if (v == Long.MIN_VALUE) {
            return text("-9223372036854775808");
        }
        room(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) {
            buf[i] = DIGITS[(int) (v % 10)];
            v /= 10;
        }
        len = end;
        return this;
    }

    ByteSink unsigned(long v) {
        return v >= 0 ? decimal(v) : text(Long.toUnsignedString(v));
    }

    /**
     * A double as Prometheus and OpenMetrics read it: integral values without a fraction, {@code NaN},
     * {@code +Inf}; negative zero keeps its sign ({@code -0}), as remote write's bits do.
     */
    ByteSink number(double d) {
        if (d == (long) d && Math.abs(d) < 1e15 && (d != 0 || Double.doubleToRawLongBits(d) == 0)) {
            return decimal((long) d);
        }
        if (Double.isNaN(d)) {
            return text("NaN");
        }
        if (Double.isInfinite(d)) {
            return text(d > 0 ? "+Inf" : "-Inf");
        }
        return text(d == 0 ? "-0" : Double.toString(d));
    }
}
