package dev.osgimon.prometheus.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * What a scrape serves: the families of one cycle (the endpoint's own first), immutable. Each of
 * the four renderings (two formats, plain or gzip) is made at most once, by the first scrape that
 * asks for it, so N scrapes of one cycle encode it once.
 */
final class Snapshot {

    private final long timestampNanos;
    private final List<Family> families;
    private final Exposition exposition;
    /** Indexed by {@link #slot}; guarded by {@code this}. */
    private final byte[][] rendered = new byte[4][];

    /**
     * @param timestampNanos the cycle's timestamp, 0 before the first cycle
     * @param families the families, names unique
     * @param exposition the renderer (shared by the snapshots of one endpoint)
     */
    Snapshot(long timestampNanos, List<Family> families, Exposition exposition) {
        this.timestampNanos = timestampNanos;
        this.families = List.copyOf(families);
        this.exposition = exposition;
    }

    long timestampNanos() {
        return timestampNanos;
    }

    List<Family> families() {
        return families;
    }

    /**
     * The rendering in a format, made on the first call and kept.
     *
     * @param format text or OpenMetrics
     * @param gzip whether gzip-compressed
     * @return the bytes; not to be modified
     */
    synchronized byte[] bytes(Format format, boolean gzip) {
        int slot = slot(format, gzip);
        byte[] b = rendered[slot];
        if (b == null) {
            b = gzip ? gzip(bytes(format, false)) : exposition.render(families, format);
            rendered[slot] = b;
        }
        return b;
    }

    private static int slot(Format format, boolean gzip) {
        return format.ordinal() * 2 + (gzip ? 1 : 0);
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream z = new GZIPOutputStream(out, 8192)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        return out.toByteArray();
    }
}
