package dev.osgimon.prometheus.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import dev.osgimon.wirekit.internal.Varint;

/**
 * A compressor to the Snappy block format (the "raw" format Prometheus remote write bodies use, not
 * the framed stream format): the uncompressed length as a varint, then literals and copies. Input
 * is compressed in blocks of 64 KiB, so every copy has an offset of one or two bytes. Matches are
 * found with a hash table of 4-byte sequences and extended 8 bytes at a time; runs without matches are
 * skipped through faster the longer they get, so incompressible data costs little.
 *
 * <p>Reuses its hash table: compressing allocates nothing. One thread at a time.
 */
final class Snappy {

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int BLOCK = 1 << 16;
    private static final int TABLE_BITS = 14;
    /** Shorter inputs are written as one literal: too short to find a match worth its bytes. */
    private static final int MIN_INPUT = 16;

    /** Positions within the block, plus one (0: none), by hash of the 4 bytes there. */
    private final int[] table = new int[1 << TABLE_BITS];

    /**
     * @param length an input length
     * @return the most bytes {@link #compress} writes for it
     */
    static int maxCompressedLength(int length) {
        return 32 + length + length / 6;
    }

    /**
     * Compresses {@code in[off, off + len)} into {@code out} from index 0.
     *
     * @param in the input
     * @param off where it starts
     * @param len how many bytes
     * @param out at least {@link #maxCompressedLength}{@code (len)} bytes
     * @return how many bytes were written
     */
    int compress(byte[] in, int off, int len, byte[] out) {
        if (out.length < maxCompressedLength(len)) {
            throw new IllegalArgumentException("output of " + out.length + " bytes is too small for " + len);
        }
        int o = Varint.write(out, 0, len);
        int end = off + len;
        for (int block = off; block < end; block += BLOCK) {
            o = block(in, block, Math.min(end, block + BLOCK), out, o);
        }
        return o;
    }

    private int block(byte[] in, int start, int end, byte[] out, int o) {
        if (end - start < MIN_INPUT) {
            return literal(in, start, end - start, out, o);
        }
        Arrays.fill(table, 0);
        int shift = 32 - TABLE_BITS;
        int last = end - 4; // the last position 4 bytes can be read from
        int emit = start;
        int ip = start + 1;
        int misses = 32; // grows while no match is found: the step is misses / 32
        while (ip <= last) {
            int here = (int) INT.get(in, ip);
            int h = (here * 0x1e35a7bd) >>> shift;
            int candidate = table[h] - 1 + start;
            table[h] = ip - start + 1;
            if (candidate >= start && (int) INT.get(in, candidate) == here) {
                o = literal(in, emit, ip - emit, out, o);
                int length = 4;
                while (ip + length + 8 <= end) { // 8 bytes at a time, then the first that differs
                    long diff = (long) LONG.get(in, candidate + length) ^ (long) LONG.get(in, ip + length);
                    if (diff != 0) {
                        length += Long.numberOfTrailingZeros(diff) >>> 3;
                        break;
                    }
                    length += 8;
                }
                if (ip + length + 8 > end) {
                    while (ip + length < end && in[candidate + length] == in[ip + length]) {
                        length++;
                    }
                }
                o = copy(ip - candidate, length, out, o);
                ip += length;
                emit = ip;
                misses = 32;
                if (ip - 1 <= last) { // the position before the next search, so that runs chain
                    table[((int) INT.get(in, ip - 1) * 0x1e35a7bd) >>> shift] = ip - 1 - start + 1;
                }
            } else {
                ip += misses++ >>> 5;
            }
        }
        return literal(in, emit, end - emit, out, o);
    }

    /** A literal: tag with its length minus one (inline below 60, else in 1 to 4 following bytes), then the bytes. */
    private static int literal(byte[] in, int from, int length, byte[] out, int o) {
        if (length == 0) {
            return o;
        }
        int n = length - 1;
        if (n < 60) {
            out[o++] = (byte) (n << 2);
        } else if (n < 1 << 8) {
            out[o++] = (byte) (60 << 2);
            out[o++] = (byte) n;
        } else if (n < 1 << 16) {
            out[o++] = (byte) (61 << 2);
            out[o++] = (byte) n;
            out[o++] = (byte) (n >>> 8);
        } else if (n < 1 << 24) {
            out[o++] = (byte) (62 << 2);
            out[o++] = (byte) n;
            out[o++] = (byte) (n >>> 8);
            out[o++] = (byte) (n >>> 16);
        } else {
            out[o++] = (byte) (63 << 2);
            out[o++] = (byte) n;
            out[o++] = (byte) (n >>> 8);
            out[o++] = (byte) (n >>> 16);
            out[o++] = (byte) (n >>> 24);
        }
        System.arraycopy(in, from, out, o, length);
        return o + length;
    }

    /**
     * A copy of {@code length} (at least 4) bytes from {@code offset} (1 to 65535) back: elements of
     * at most 64 bytes, the last one of 4 or more; the short form (1-byte offset) when length is 4
     * to 11 and the offset below 2048.
     */
    private static int copy(int offset, int length, byte[] out, int o) {
        while (length >= 68) {
            o = copy2(offset, 64, out, o);
            length -= 64;
        }
        if (length > 64) {
            o = copy2(offset, 60, out, o);
            length -= 60;
        }
        if (length < 12 && offset < 2048) {
            out[o++] = (byte) (1 | ((length - 4) << 2) | ((offset >>> 8) << 5));
            out[o++] = (byte) offset;
            return o;
        }
        return copy2(offset, length, out, o);
    }

    private static int copy2(int offset, int length, byte[] out, int o) {
        out[o++] = (byte) (2 | ((length - 1) << 2));
        out[o++] = (byte) offset;
        out[o++] = (byte) (offset >>> 8);
        return o;
    }
}
