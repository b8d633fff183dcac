package dev.osgimon.procfs.internal;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * A file under {@code /proc} read again and again into one reusable byte buffer.
 *
 * <p>The file stays open: procfs regenerates the content on every read from offset 0, so a
 * reload is a seek and a read, without allocating. The buffer doubles (up to 4 MiB) when the
 * content does not fit. Not thread-safe.
 */
public final class ProcFile implements Closeable {

    private static final int MAX_SIZE = 4 << 20;

    private final File file;
    private RandomAccessFile open;
    private byte[] buffer;
    private int length;

    public ProcFile(File file, int initialSize) {
        this.file = file;
        this.buffer = new byte[initialSize];
    }

    /**
     * Reads the whole file again.
     *
     * @return {@code true} if it was read; {@code false} if it does not exist or cannot be read
     */
    public boolean reload() {
        try {
            if (open == null) {
                open = new RandomAccessFile(file, "r");
            }
            while (true) {
                open.seek(0);
                int n = 0;
                int r;
                while (n < buffer.length && (r = open.read(buffer, n, buffer.length - n)) > 0) {
                    n += r;
                }
                if (n < buffer.length || buffer.length >= MAX_SIZE) {
                    length = n;
                    return true;
                }
                buffer = new byte[buffer.length * 2];
            }
        } catch (IOException | SecurityException e) {
            close();
            length = 0;
            return false;
        }
    }

    /** @return the buffer holding the content of the last {@link #reload()} */
    public byte[] bytes() {
        return buffer;
    }

    /** @return how many bytes of {@link #bytes()} the last {@link #reload()} filled */
    public int length() {
        return length;
    }

    /** @return the file read */
    public File file() {
        return file;
    }

    @Override
    public void close() {
        RandomAccessFile f = open;
        open = null;
        if (f != null) {
            try {
                f.close();
            } catch (IOException ignored) {
                // nothing to do: the descriptor is gone either way
            }
        }
    }
}
