package dev.osgimon.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The block compressor against the reference decompressor (snappy-java, the C++ library inside). */
class SnappyTest {

    private final Snappy snappy = new Snappy();

    private byte[] roundTrip(byte[] in, int off, int len) throws IOException {
        byte[] out = new byte[Snappy.maxCompressedLength(len)];
        int n = snappy.compress(in, off, len, out);
        assertThat(org.xerial.snappy.Snappy.isValidCompressedBuffer(out, 0, n)).isTrue();
        byte[] back = org.xerial.snappy.Snappy.uncompress(Arrays.copyOf(out, n));
        assertThat(back).isEqualTo(Arrays.copyOfRange(in, off, off + len));
        return Arrays.copyOf(out, n);
    }

    @Test
    void shortInputsAreOneLiteral() throws IOException {
        for (int len = 0; len < 40; len++) {
            byte[] in = new byte[len];
            Arrays.fill(in, (byte) 'a');
            roundTrip(in, 0, len);
        }
        assertThat(roundTrip(new byte[0], 0, 0)).containsExactly(0);
        assertThat(roundTrip("abc".getBytes(StandardCharsets.US_ASCII), 0, 3)).containsExactly(3, 2 << 2, 'a', 'b', 'c');
    }

    @Test
    void repetitiveInputShrinksAndOverlappingCopiesWork() throws IOException {
        byte[] same = new byte[100_000];
        Arrays.fill(same, (byte) 7);
        assertThat(roundTrip(same, 0, same.length).length).isLessThan(5_000);
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 300_000; i++) {
            text.append("jvm_memory_used_bytes{area=\"heap\",pool=\"G1 Eden Space\",vm=\"vm-").append(i % 97).append("\"} ")
                    .append(i * 31L).append('\n');
        }
        byte[] in = text.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(roundTrip(in, 0, in.length).length).isLessThan(in.length / 4);
    }

    @Test
    void randomAndMixedInputsOfEveryShapeRoundTrip() throws IOException {
        Random random = new Random(42);
        int[] sizes = {15, 16, 17, 59, 60, 61, 255, 256, 257, 65_535, 65_536, 65_537, 131_072, 300_001};
        for (int size : sizes) {
            byte[] noise = new byte[size + 10];
            random.nextBytes(noise);
            byte[] c = roundTrip(noise, 5, size);
            assertThat(c.length).isLessThanOrEqualTo(Snappy.maxCompressedLength(size));
            byte[] mixed = new byte[size];
            for (int i = 0; i < size;) { // runs of noise and repeats of earlier bytes, near and far
                int run = 1 + random.nextInt(200);
                if (i > 0 && random.nextBoolean()) {
                    int from = Math.max(0, i - 1 - random.nextInt(Math.min(i, 70_000)));
                    for (int k = 0; k < run && i < size; k++) {
                        mixed[i++] = mixed[from + k];
                    }
                } else {
                    for (int k = 0; k < run && i < size; k++) {
                        mixed[i++] = (byte) random.nextInt(4);
                    }
                }
            }
            roundTrip(mixed, 0, size);
        }
    }

    @Test
    void compressingAllocatesNothing() {
        byte[] in = new byte[200_000];
        new Random(1).nextBytes(in);
        for (int i = 0; i < in.length; i += 3) {
            in[i] = 0;
        }
        byte[] out = new byte[Snappy.maxCompressedLength(in.length)];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 200; i++) {
            snappy.compress(in, 0, in.length, out);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100; i++) {
            snappy.compress(in, 0, in.length, out);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 100 compressions of 200 kB").isLessThan(1024);
    }
}
