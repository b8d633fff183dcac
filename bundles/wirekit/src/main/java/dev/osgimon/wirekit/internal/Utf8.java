package dev.osgimon.wirekit.internal;

/**
 * Strings as UTF-8, written into a byte array without allocating: the one rule of the protobuf
 * encoders for string fields. A surrogate without its pair becomes {@code '?'} (one byte), as
 * {@link String#getBytes(java.nio.charset.Charset)} does.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * @param s a string
     * @return how many bytes {@link #write} writes for it
     */
    public static int length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // four bytes for two chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    /**
     * Writes a string; the caller makes room for {@link #length} bytes.
     *
     * @param b the buffer
     * @param o where to write
     * @param s the string
     * @return the index after the last byte written
     */
    public static int write(byte[] b, int o, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                b[o++] = (byte) c;
            } else if (c < 0x800) {
                b[o++] = (byte) (0xC0 | (c >>> 6));
                b[o++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[o++] = (byte) (0xF0 | (cp >>> 18));
                b[o++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
                b[o++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
                b[o++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[o++] = '?';
            } else {
                b[o++] = (byte) (0xE0 | (c >>> 12));
                b[o++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                b[o++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return o;
    }
}
