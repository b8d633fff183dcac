package dev.osgimon.memtrace.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ChunkFilterTest {

    /** A chunk with a real header layout and {@code payload} filler bytes. */
    private static byte[] chunk(long startNanos, int payload, byte fill) {
        ByteBuffer b = ByteBuffer.allocate(ChunkFilter.HEADER_SIZE + payload);
        b.put(new byte[] {'F', 'L', 'R', 0}).putShort((short) 2).putShort((short) 0);
        b.putLong(ChunkFilter.HEADER_SIZE + payload).putLong(0).putLong(0);
        b.putLong(startNanos).putLong(1_000_000_000L);
        Arrays.fill(b.array(), ChunkFilter.HEADER_SIZE, b.capacity(), fill);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] forward(ChunkFilter filter, byte[] stream) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        filter.forward(new ByteArrayInputStream(stream), b -> {
            out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            b.position(b.limit());
        });
        return out.toByteArray();
    }

    @Test
    void passesOnWholeChunksOnlyOnceEvenWhenTheyComeAgain() throws IOException {
        byte[] c1 = chunk(1_000, 100_000, (byte) 1);
        byte[] c2 = chunk(2_000, 10, (byte) 2);
        byte[] c3 = chunk(3_000, 70_000, (byte) 3);
        ChunkFilter filter = new ChunkFilter(4096);

        assertThat(forward(filter, concat(c1, c2))).isEqualTo(concat(c1, c2));
        assertThat(forward(filter, concat(c1, c2, c3))).isEqualTo(c3);
        assertThat(forward(filter, concat(c2, c3))).isEmpty();
        assertThat(filter.lastStartNanos()).isEqualTo(3_000);
        assertThat(filter.lastEndNanos()).isEqualTo(3_000 + 1_000_000_000L);
    }

    @Test
    void withoutASinkChunksAreOnlyMarkedAsSeen() throws IOException {
        ChunkFilter filter = new ChunkFilter(4096);
        assertThat(filter.forward(new ByteArrayInputStream(chunk(1_000, 500, (byte) 1)), null)).isZero();
        byte[] c2 = chunk(2_000, 500, (byte) 2);
        assertThat(forward(filter, concat(chunk(1_000, 500, (byte) 1), c2))).isEqualTo(c2);
    }

    @Test
    void rejectsWhatIsNotAWholeJfrChunk() {
        ChunkFilter filter = new ChunkFilter(4096);
        byte[] good = chunk(1_000, 500, (byte) 1);
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertThatThrownBy(() -> forward(filter, badMagic)).isInstanceOf(IOException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> forward(filter, Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> forward(filter, Arrays.copyOf(good, 20))).isInstanceOf(EOFException.class);
        byte[] unfinished = good.clone();
        ByteBuffer.wrap(unfinished).putLong(8, 0);
        assertThatThrownBy(() -> forward(filter, unfinished)).hasMessageContaining("not finished");
    }
}
