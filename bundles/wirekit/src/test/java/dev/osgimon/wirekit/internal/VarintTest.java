package dev.osgimon.wirekit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class VarintTest {

    @Test
    void theEdgesTakeTheBytesTheProtobufEncodingSays() {
        assertThat(bytes(0)).containsExactly(0);
        assertThat(bytes(1)).containsExactly(1);
        assertThat(bytes(127)).containsExactly(0x7F);
        assertThat(bytes(128)).containsExactly(0x80, 0x01);
        assertThat(bytes(300)).containsExactly(0xAC, 0x02); // the protobuf guide's example
        assertThat(bytes(Long.MAX_VALUE)).hasSize(9);
        assertThat(bytes(-1)).hasSize(Varint.MAX_LENGTH).endsWith(0x01);
    }

    @Test
    void everyLengthReadsBackAndTakesItsSize() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong() >>> random.nextInt(64);
            byte[] b = new byte[Varint.MAX_LENGTH + 4];
            int end = Varint.write(b, 2, v);
            assertThat(end - 2).as("size of %d", v).isEqualTo(Varint.size(v));
            long read = 0;
            for (int k = 0; k < end - 2; k++) {
                read |= (long) (b[2 + k] & 0x7F) << (7 * k);
                assertThat((b[2 + k] & 0x80) != 0).as("continuation bit of byte %d of %d", k, v).isEqualTo(k < end - 3);
            }
            assertThat(read).isEqualTo(v);
        }
    }

    private static int[] bytes(long v) {
        byte[] b = new byte[Varint.MAX_LENGTH];
        int n = Varint.write(b, 0, v);
        assertThat(n).isEqualTo(Varint.size(v));
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = b[i] & 0xFF;
        }
        return out;
    }
}
