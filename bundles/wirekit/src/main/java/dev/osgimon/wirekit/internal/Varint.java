package dev.osgimon.wirekit.internal;

/**
 * Protobuf base-128 varints: seven bits a byte, the lowest first, the high bit set on every byte but
 * the last. The one varint rule of the protobuf encoders (lengths, tags, integers).
 */
public final class Varint {

    /** The most bytes one varint takes (a negative long). */
    public static final int MAX_LENGTH = 10;

    private Varint() {
    }

    /**
     * @param v a value, read as unsigned
     * @return how many bytes {@link #write} writes for it (1 to {@value #MAX_LENGTH})
     */
    public static int size(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    /**
     * Writes a varint; the caller makes room for {@link #size} bytes.
     *
     * @param b the buffer
     * @param o where to write
     * @param v the value, read as unsigned
     * @return the index after the last byte written
     */
    public static int write(byte[] b, int o, long v) {
        while ((v & ~0x7FL) != 0) {
            b[o++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[o++] = (byte) v;
        return o;
    }
}
