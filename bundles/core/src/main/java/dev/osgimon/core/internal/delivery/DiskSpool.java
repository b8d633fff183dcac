package dev.osgimon.core.internal.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches in append-only segment files under one directory, so that they survive a restart, a
 * crash and {@code kill -9}.
 *
 * <p>Files: {@code lock} (held with a file lock while open, so a second process gets a clear
 * error), {@code head} (the sequence number of the oldest batch not yet delivered, so a restart
 * does not send delivered batches again) and {@code NNNNNNNNNNNNNNNNNNNN.seg} segments.
 *
 * <p>Records, all numbers big-endian:
 * <ul>
 * <li>an {@code influx-line} batch, the layout of every release so far: a 32-byte header (magic
 * {@code OSM1}, payload length, lines, sequence number, time in ms, CRC32C of the four fields
 * before it and of the payload) and the payload;</li>
 * <li>a batch of any other format ({@link dev.osgimon.api.transport.CycleEncoder#format()}): the
 * same header with magic {@code OSM2}, then one byte {@code n} (1..32), the {@code n} ASCII bytes of
 * the format name, then the payload (the payload length counts the payload only). The CRC32C
 * covers the four header fields, the length byte, the name and the payload, so a corrupt format
 * is cut like any corrupt record.</li>
 * </ul>
 * A spool written by an earlier release (only {@code OSM1} records) is read as {@code influx-line}.
 * At open every segment is read and checked; a torn or corrupt record (a crash in the
 * middle of a write) and everything after it in its segment is cut off, logged and counted. A
 * segment whose batches were all delivered is deleted (the last one is truncated to zero), so
 * disk use goes back to about zero while the target is healthy. Not thread-safe: the outbox locks.
 *
 * <p>Durability: {@link #append} only writes, into the operating system's page cache, so the
 * collector thread that appends never waits for the device. A {@code kill -9} or a crash of the JVM
 * loses nothing written; only a crash of the operating system or a power loss can lose pages not yet
 * forced. Which segment files are due to be forced ({@link Sync}) is recorded at each append; the
 * outbox's sender thread {@link #takeUnforced() takes} them under the outbox lock and forces them
 * after releasing it, before it sends: within moments of the append, or once a write in progress
 * returns. {@link #close} forces
 * every segment (unless {@link Sync#NEVER}).
 */
public final class DiskSpool implements BatchStore {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);

    static final int MAGIC = 0x4F534D31; // "OSM1": an influx-line record
    static final int MAGIC_FORMAT = 0x4F534D32; // "OSM2": a record naming its format
    static final int HEADER = 32;
    static final int MAX_RECORD = 64 * 1024 * 1024;
    private static final String SUFFIX = ".seg";
    private static final long INTERVAL_SYNC_MILLIS = 1000;

    /** When appended batches are forced to the storage device. */
    public enum Sync {
        /** Every batch: forced by the sender thread within moments of its append (one fsync per cycle). */
        BATCH,
        /** At most once a second, by the sender thread after an append. */
        INTERVAL,
        /** Never: the operating system writes them back when it likes. */
        NEVER
    }

    /** Opens the files; tests pass one that fails. */
    @FunctionalInterface
    public interface Opener {
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    /** Another process (or another component of this one) has the directory open. */
    static final class LockedException extends IOException {
        private static final long serialVersionUID = 1L;

        LockedException(String message) {
            super(message);
        }
    }

    private static final class Segment {
        final long number;
        final Path path;
        final FileChannel channel;
        long size;
        int live;
        /** Written since it was last handed out to be forced. */
        boolean dirty;

        Segment(long number, Path path, FileChannel channel, long size) {
            this.number = number;
            this.path = path;
            this.channel = channel;
            this.size = size;
        }
    }

    /**
     * A record: {@code skip} header bytes (with the format name) at {@code offset}, then {@code length}
     * payload bytes.
     */
    private record Rec(Segment segment, long offset, int skip, int length, int lines, long seq, long timeMillis,
            String format) {
    }

    private final Path dir;
    private final Sync sync;
    private final long segmentBytes;
    private final Opener opener;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel head;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final ArrayDeque<Rec> records = new ArrayDeque<>();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);
    /** Records up to this size are assembled in one reused direct buffer; a larger one gets a buffer of its own. */
    private static final int REUSED_RECORD_MAX = 1 << 20;
    private ByteBuffer record = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer headBuf = ByteBuffer.allocate(16);
    private final CRC32C crc = new CRC32C();
    /** Format names seen, with their record prefix (length byte and name): one instance each. */
    private final Map<String, byte[]> formats = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final ByteBuffer nameBuf = ByteBuffer.allocate(1 + Formats.MAX_LENGTH);
    /** Segment files due to be forced, not yet taken by {@link #takeUnforced()}. */
    private final ArrayList<FileChannel> unforced = new ArrayList<>(2);
    private long nextSeq;
    private long lines;
    private long bytes;
    private long lastSync;
    private boolean headDirty;
    private long recoveredLines;
    private int cuts;

    private DiskSpool(Path dir, Sync sync, long segmentBytes, Opener opener, FileChannel lockChannel, FileLock lock,
            FileChannel head) {
        this.dir = dir;
        this.sync = sync;
        this.segmentBytes = segmentBytes;
        this.opener = opener;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.head = head;
    }

    /**
     * Opens (creating it if needed) and recovers the spool in {@code dir}.
     *
     * @param dir the directory
     * @param sync when to force appends to the device
     * @param segmentBytes the size at which a new segment starts
     * @param opener opens files
     * @return the spool with every batch not yet delivered
     * @throws LockedException if the directory is in use
     * @throws IOException if the directory cannot be used
     */
    static DiskSpool open(Path dir, Sync sync, long segmentBytes, Opener opener) throws IOException {
        Files.createDirectories(dir);
        FileChannel lockChannel = opener.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (lock == null) {
            lockChannel.close();
            throw new LockedException("spool directory " + dir + " is in use by another osgimon");
        }
        DiskSpool spool = null;
        try {
            FileChannel head = opener.open(dir.resolve("head"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            spool = new DiskSpool(dir, sync, segmentBytes, opener, lockChannel, lock, head);
            spool.recover();
            return spool;
        } catch (IOException | RuntimeException e) {
            if (spool != null) {
                spool.close();
            } else {
                lock.release();
                lockChannel.close();
            }
            throw e;
        }
    }

    /** @return lines found not yet delivered at open */
    long recoveredLines() {
        return recoveredLines;
    }

    /** @return torn or corrupt records cut at open */
    int cuts() {
        return cuts;
    }

    /** @return the directory */
    Path dir() {
        return dir;
    }

    private void recover() throws IOException {
        long firstLive = readHead();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            ds.forEach(files::add);
        }
        files.sort(null);
        long lastSeq = -1;
        for (Path p : files) {
            String name = p.getFileName().toString();
            long number;
            try {
                number = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
            } catch (NumberFormatException e) {
                LOG.warn("Ignoring {} in the spool: not a segment", p);
                continue;
            }
            FileChannel ch = opener.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Segment seg = new Segment(number, p, ch, ch.size());
            segments.addLast(seg);
            lastSeq = scan(seg, firstLive, lastSeq);
        }
        nextSeq = Math.max(lastSeq + 1, firstLive);
        // segments whose batches were all delivered, except the last (appends go there)
        while (segments.size() > 1 && segments.peekFirst().live == 0) {
            deleteSegment(segments.removeFirst());
        }
        if (!records.isEmpty()) {
            LOG.info("Spool {}: {} lines in {} batches not yet delivered; sending them first", dir, lines,
                    records.size());
        }
        recoveredLines = lines;
    }

    private long scan(Segment seg, long firstLive, long lastSeq) throws IOException {
        long pos = 0;
        ByteBuffer payload = ByteBuffer.allocate(0);
        while (pos + HEADER <= seg.size) {
            header.clear();
            readFully(seg.channel, header, pos);
            header.flip();
            int magic = header.getInt();
            int len = header.getInt();
            int n = header.getInt();
            long seq = header.getLong();
            long time = header.getLong();
            int sum = header.getInt();
            if ((magic != MAGIC && magic != MAGIC_FORMAT) || len < 1 || len > MAX_RECORD || n < 1
                    || pos + HEADER + len > seg.size || seq <= lastSeq) {
                break;
            }
            String format = Formats.LINE;
            byte[] prefix = null;
            if (magic == MAGIC_FORMAT) {
                prefix = readFormat(seg, pos + HEADER);
                if (prefix == null || pos + HEADER + prefix.length + len > seg.size) {
                    break;
                }
                format = new String(prefix, 1, prefix.length - 1, StandardCharsets.US_ASCII);
            }
            int skip = HEADER + (prefix == null ? 0 : prefix.length);
            if (payload.capacity() < len) {
                payload = ByteBuffer.allocate(Math.max(len, payload.capacity() * 2));
            }
            payload.clear().limit(len);
            readFully(seg.channel, payload, pos + skip);
            if (checksum(len, n, seq, time, prefix, payload.array(), 0, len) != sum) {
                break;
            }
            if (prefix != null) {
                format = intern(format, prefix);
            }
            if (seq >= firstLive) {
                add(new Rec(seg, pos, skip, len, n, seq, time, format));
            }
            lastSeq = seq;
            pos += skip + len;
        }
        if (pos < seg.size) {
            LOG.warn("Spool {}: cut a torn or corrupt record at offset {} of {} ({} bytes lost after the last good"
                    + " record)", dir, pos, seg.path.getFileName(), seg.size - pos);
            cuts++;
            seg.channel.truncate(pos);
            seg.size = pos;
        }
        return lastSeq;
    }

    /** @return the length byte and the name of a record's format at {@code at}, or null if not a valid one */
    private byte[] readFormat(Segment seg, long at) throws IOException {
        if (at + 1 > seg.size) {
            return null;
        }
        nameBuf.clear().limit(1);
        readFully(seg.channel, nameBuf, at);
        int n = nameBuf.get(0) & 0xFF;
        if (n < 1 || n > Formats.MAX_LENGTH || at + 1 + n > seg.size) {
            return null;
        }
        nameBuf.limit(1 + n);
        readFully(seg.channel, nameBuf, at + 1);
        byte[] prefix = new byte[1 + n];
        nameBuf.get(0, prefix);
        String name = new String(prefix, 1, n, StandardCharsets.US_ASCII);
        return Formats.valid(name) && !Formats.LINE.equals(name) ? prefix : null;
    }

    /** @return the one instance of {@code format} this spool uses, remembering its prefix */
    private String intern(String format, byte[] prefix) {
        String known = names.putIfAbsent(format, format);
        formats.putIfAbsent(format, prefix);
        return known == null ? format : known;
    }

    /** @return the record prefix of {@code format}: its length byte and name */
    private byte[] prefix(String format) throws IOException {
        byte[] p = formats.get(format);
        if (p == null) {
            if (!Formats.valid(format) || Formats.LINE.equals(format)) {
                throw new IOException("'" + format + "' is not a format name");
            }
            byte[] name = format.getBytes(StandardCharsets.US_ASCII);
            p = new byte[1 + name.length];
            p[0] = (byte) name.length;
            System.arraycopy(name, 0, p, 1, name.length);
            formats.put(format, p);
        }
        return p;
    }

    private void add(Rec r) {
        records.addLast(r);
        r.segment.live++;
        lines += r.lines;
        bytes += r.skip + r.length;
    }

    private long readHead() throws IOException {
        headBuf.clear();
        int n = head.read(headBuf, 0);
        if (n < 16) {
            return 0;
        }
        headBuf.flip();
        long seq = headBuf.getLong();
        long check = headBuf.getLong();
        return check == ~seq ? seq : 0;
    }

    /** Records the oldest batch not yet delivered (no fsync: a stale head only resends batches). */
    private void writeHead() throws IOException {
        long firstLive = records.isEmpty() ? nextSeq : records.peekFirst().seq;
        headBuf.clear();
        headBuf.putLong(firstLive).putLong(~firstLive).flip();
        while (headBuf.hasRemaining()) {
            head.write(headBuf, headBuf.position());
        }
        headDirty = false;
    }

    /** @return an empty buffer of at least {@code size} bytes, the reused one when it fits */
    private ByteBuffer recordBuffer(int size) {
        if (size > REUSED_RECORD_MAX) {
            return ByteBuffer.allocate(size);
        }
        if (record.capacity() < size) {
            record = ByteBuffer.allocateDirect(Math.min(REUSED_RECORD_MAX, Math.max(size, 2 * record.capacity())));
        }
        record.clear();
        return record;
    }

    private int checksum(int len, int n, long seq, long time, byte[] prefix, byte[] buf, int off, int count) {
        crc.reset();
        ByteBuffer b = ByteBuffer.allocate(24).putInt(len).putInt(n).putLong(seq).putLong(time);
        crc.update(b.array(), 0, 24);
        if (prefix != null) {
            crc.update(prefix, 0, prefix.length);
        }
        crc.update(buf, off, count);
        return (int) crc.getValue();
    }

    @Override
    public void append(String format, byte[] buf, int off, int len, int n, long timeMillis) throws IOException {
        if (len < 1 || len > MAX_RECORD) {
            throw new IOException("a batch of " + len + " bytes does not fit a spool record");
        }
        byte[] prefix = Formats.LINE.equals(format) ? null : prefix(format);
        int skip = HEADER + (prefix == null ? 0 : prefix.length);
        Segment seg = segments.peekLast();
        if (seg == null || (seg.size > 0 && seg.size + skip + len > segmentBytes)) {
            seg = newSegment(seg == null ? 1 : seg.number + 1);
        }
        long seq = nextSeq;
        ByteBuffer record = recordBuffer(skip + len);
        record.putInt(prefix == null ? MAGIC : MAGIC_FORMAT).putInt(len).putInt(n).putLong(seq).putLong(timeMillis)
                .putInt(checksum(len, n, seq, timeMillis, prefix, buf, off, len));
        if (prefix != null) {
            record.put(prefix);
        }
        record.put(buf, off, len).flip();
        long at = seg.size;
        try {
            // one positional write of the whole record: no seek, no gathering of heap buffers
            while (record.hasRemaining()) {
                seg.channel.write(record, at + record.position());
            }
        } catch (IOException | RuntimeException e) {
            try {
                seg.channel.truncate(at);
            } catch (IOException | RuntimeException ignored) {
                // the next open cuts the torn record
            }
            throw e;
        }
        nextSeq++;
        seg.size = at + skip + len;
        seg.dirty = true;
        long now = System.currentTimeMillis();
        if (sync == Sync.BATCH || (sync == Sync.INTERVAL && now - lastSync >= INTERVAL_SYNC_MILLIS)) {
            lastSync = now;
            for (Segment s : segments) {
                if (s.dirty) {
                    s.dirty = false;
                    if (!unforced.contains(s.channel)) {
                        unforced.add(s.channel);
                    }
                }
            }
        }
        add(new Rec(seg, at, skip, len, n, seq, timeMillis, prefix == null ? Formats.LINE : format));
        if (headDirty) {
            try {
                writeHead();
            } catch (IOException e) {
                LOG.debug("Spool {}: cannot record delivered batches yet: {}", dir, e.toString());
            }
        }
    }

    private Segment newSegment(long number) throws IOException {
        Path p = dir.resolve(String.format("%020d", number) + SUFFIX);
        FileChannel ch = opener.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ch.truncate(0);
        Segment seg = new Segment(number, p, ch, 0);
        segments.addLast(seg);
        return seg;
    }

    @Override
    public boolean hasUnforced() {
        return !unforced.isEmpty();
    }

    @Override
    public List<FileChannel> takeUnforced() {
        if (unforced.isEmpty()) {
            return List.of();
        }
        List<FileChannel> out = List.copyOf(unforced);
        unforced.clear();
        return out;
    }

    @Override
    public void peek(Chunk into, int maxBytes, int maxBatches) throws IOException {
        into.clear();
        for (Rec r : records) {
            if (into.batches >= maxBatches || (into.batches > 0 && into.length + r.length > maxBytes)
                    || !into.takes(r.format)) {
                break;
            }
            into.ensure(r.length);
            readFully(r.segment.channel, ByteBuffer.wrap(into.bytes, into.length, r.length), r.offset + r.skip);
            into.format = r.format;
            into.length += r.length;
            into.lines += r.lines;
            into.batches++;
        }
    }

    @Override
    public long removeFirst(int n) {
        long removed = 0;
        for (int i = 0; i < n && !records.isEmpty(); i++) {
            Rec r = records.removeFirst();
            removed += r.lines;
            lines -= r.lines;
            bytes -= r.skip + r.length;
            r.segment.live--;
        }
        headDirty = true;
        try {
            writeHead();
            while (!segments.isEmpty() && segments.peekFirst().live == 0) {
                Segment seg = segments.peekFirst();
                if (segments.size() > 1) {
                    deleteSegment(segments.removeFirst());
                } else {
                    seg.channel.truncate(0);
                    seg.size = 0;
                    break;
                }
            }
        } catch (IOException e) {
            LOG.debug("Spool {}: cannot tidy up delivered batches: {}", dir, e.toString());
        }
        return removed;
    }

    private void deleteSegment(Segment seg) {
        unforced.remove(seg.channel); // nothing in it is needed any more
        try {
            seg.channel.close();
            Files.deleteIfExists(seg.path);
        } catch (IOException e) {
            LOG.debug("Spool {}: cannot delete {}: {}", dir, seg.path, e.toString());
        }
    }

    @Override
    public int batches() {
        return records.size();
    }

    @Override
    public long lines() {
        return lines;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public String firstFormat() {
        Rec r = records.peekFirst();
        return r == null ? null : r.format;
    }

    @Override
    public int firstLines() {
        Rec r = records.peekFirst();
        return r == null ? 0 : r.lines;
    }

    @Override
    public long firstBytes() {
        Rec r = records.peekFirst();
        return r == null ? 0 : r.skip + r.length;
    }

    @Override
    public long oldestMillis() {
        Rec r = records.peekFirst();
        return r == null ? 0 : r.timeMillis;
    }

    @Override
    public String mode() {
        return "disk";
    }

    @Override
    public void close() {
        if (headDirty) {
            try {
                writeHead();
            } catch (IOException e) {
                LOG.debug("Spool {}: cannot record delivered batches: {}", dir, e.toString());
            }
        }
        for (Segment seg : segments) {
            try {
                if (sync != Sync.NEVER) {
                    seg.channel.force(false);
                }
                seg.channel.close();
            } catch (IOException e) {
                LOG.debug("Spool {}: closing {}: {}", dir, seg.path, e.toString());
            }
        }
        segments.clear();
        records.clear();
        unforced.clear();
        try {
            head.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            lock.release();
        } catch (IOException | RuntimeException ignored) {
            // the channel close releases it
        }
        try {
            lockChannel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long at) throws IOException {
        long pos = at;
        while (into.hasRemaining()) {
            int n = ch.read(into, pos);
            if (n < 0) {
                throw new IOException("unexpected end of a spool segment at " + pos);
            }
            pos += n;
        }
    }

    @Override
    public String toString() {
        return "DiskSpool[" + dir + ", " + records.size() + " batches, " + bytes + " bytes]";
    }
}
