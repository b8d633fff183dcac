package dev.osgimon.wirekit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class Utf8Test {

    private static byte[] encode(String s) {
        byte[] b = new byte[Utf8.length(s) + 8];
        int end = Utf8.write(b, 3, s);
        assertThat(end - 3).as("length of %s", s).isEqualTo(Utf8.length(s));
        return Arrays.copyOfRange(b, 3, end);
    }

    @Test
    void writesWhatTheJdkWritesForEveryKindOfChar() {
        for (String s : new String[] {"", "plain", "é", "€", "\uD83D\uDE00", "a\uD800b", "\uDC00", "x\uD83D", "ß€\uD83D\uDE00?"}) {
            assertThat(encode(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void randomStringsMatchTheJdk() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            char[] cs = new char[r.nextInt(12)];
            for (int j = 0; j < cs.length; j++) {
                cs[j] = (char) r.nextInt(0x10000);
            }
            String s = new String(cs);
            assertThat(encode(s)).as("%s", Arrays.toString(cs)).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
