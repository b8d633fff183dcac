package dev.osgimon.otlp.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads single top-level fields of a small protobuf message (a receiver's answer); forgiving of anything else. */
final class ProtoReader {

    private ProtoReader() {
    }

    /** @return the last length-delimited field {@code field}, or {@code null} */
    static byte[] bytes(byte[] msg, int field) {
        int[] at = find(msg, field, ProtoBuffer.LEN);
        return at == null ? null : Arrays.copyOfRange(msg, at[0], at[1]);
    }

    /** @return the last string field {@code field}, or {@code null} */
    static String string(byte[] msg, int field) {
        int[] at = find(msg, field, ProtoBuffer.LEN);
        return at == null ? null : new String(msg, at[0], at[1] - at[0], StandardCharsets.UTF_8);
    }

    /** @return the last varint field {@code field}, or 0 */
    static long varint(byte[] msg, int field) {
        int[] at = find(msg, field, ProtoBuffer.VARINT);
        return at == null ? 0 : readVarint(msg, new int[] {at[0]});
    }

    /** Finds the last occurrence: {from, to} of its value; null when absent or the message is malformed. */
    private static int[] find(byte[] msg, int field, int wireType) {
        int[] pos = {0};
        int[] found = null;
        try {
            while (pos[0] < msg.length) {
                long key = readVarint(msg, pos);
                int f = (int) (key >>> 3);
                int type = (int) (key & 7);
                int start = pos[0];
                switch (type) {
                    case 0 -> readVarint(msg, pos);
                    case 1 -> pos[0] += 8;
                    case 5 -> pos[0] += 4;
                    case 2 -> {
                        long len = readVarint(msg, pos);
                        if (len < 0 || len > msg.length - pos[0]) {
                            return found;
                        }
                        start = pos[0];
                        pos[0] += (int) len;
                    }
                    default -> {
                        return found;
                    }
                }
                if (pos[0] > msg.length) {
                    return found;
                }
                if (f == field && type == wireType) {
                    found = new int[] {start, pos[0]};
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return found;
        }
        return found;
    }

    private static long readVarint(byte[] msg, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = msg[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        return v;
    }
}
