package dev.osgimon.core.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DigitsTest {

    private final byte[] buf = new byte[32];

    @Test
    void eightDigitsSpellsEveryValueWithItsLeadingZeros() {
        // every 7th of the 10^8 values (every digit in every place, with every neighbour), then the edges
        for (int r = 0; r < 100_000_000; r += 7) {
            long word = Digits.eightDigits(r);
            int rest = r;
            for (int k = 7; k >= 0; k--) {
                if ((byte) (word >>> 8 * k) != '0' + rest % 10) {
                    assertThat(eight(r)).isEqualTo(String.format("%08d", r)); // fails, with both spellings
                }
                rest /= 10;
            }
        }
        for (int r : new int[] {0, 1, 9, 10, 99, 100, 9_999, 10_000, 99_999_999, 12_345_678, 90_000_009}) {
            assertThat(eight(r)).isEqualTo(String.format("%08d", r));
        }
    }

    @Test
    void writeLongSpellsWhatLongToStringDoes() {
        long[] edges = {0, 1, -1, 9, 10, 99, 100, 99_999_999, 100_000_000, 100_000_001, 9_999_999_999_999_999L,
            10_000_000_000_000_000L, 1_700_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long v : edges) {
            assertThat(writeLong(v)).isEqualTo(Long.toString(v));
        }
        SplittableRandom random = new SplittableRandom(19);
        for (int i = 0; i < 200_000; i++) {
            long v = random.nextLong() >> random.nextInt(64); // every length, both signs
            assertThat(writeLong(v)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void writeUnsignedSpellsWhatToUnsignedStringDoes() {
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < 200_000; i++) {
            long v = random.nextLong() >>> random.nextInt(64);
            assertThat(writeUnsigned(v)).isEqualTo(Long.toUnsignedString(v));
        }
        assertThat(writeUnsigned(-1L)).isEqualTo("18446744073709551615");
    }

    @Test
    void writesNothingBeforeItsDigitsNorBeyondItsRoom() {
        // every length: the bytes before the digits are kept, and so are those after max(n, 8) bytes
        long v = 0;
        for (int n = 1; n <= 19; n++) {
            v = v * 10 + n % 10;
            byte[] b = new byte[40];
            java.util.Arrays.fill(b, (byte) '#');
            int end = Digits.writeLong(v, b, 5);
            assertThat(new String(b, 0, end, StandardCharsets.US_ASCII)).isEqualTo("#####" + v);
            for (int i = 5 + Math.max(n, 8); i < b.length; i++) {
                assertThat(b[i]).as("byte %d after %d digits", i, n).isEqualTo((byte) '#');
            }
        }
        buf[0] = '=';
        int end = Digits.writeLong(123_456_789_012L, buf, 1);
        buf[end] = 'i';
        assertThat(new String(buf, 0, end + 1, StandardCharsets.US_ASCII)).isEqualTo("=123456789012i");
    }

    private String eight(int r) {
        long word = Digits.eightDigits(r);
        byte[] digits = new byte[8];
        for (int k = 0; k < 8; k++) {
            digits[k] = (byte) (word >>> 8 * k);
        }
        return new String(digits, StandardCharsets.US_ASCII);
    }

    private String writeLong(long v) {
        int end = Digits.writeLong(v, buf, 3);
        return new String(buf, 3, end - 3, StandardCharsets.US_ASCII);
    }

    private String writeUnsigned(long v) {
        int end = Digits.writeUnsigned(v, buf, 3);
        return new String(buf, 3, end - 3, StandardCharsets.US_ASCII);
    }
}
