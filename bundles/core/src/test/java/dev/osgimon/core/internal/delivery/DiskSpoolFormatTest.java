package dev.osgimon.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's record layout with formats, on real files: formats survive a reopen; a spool of the
 * earlier layout reads as {@code influx-line}, and line batches are still written in it byte for
 * byte; a record naming its format is written as documented; a corrupt or torn one is cut like any
 * other.
 */
class DiskSpoolFormatTest {

    private static final long SEGMENT = 16 * 1024;
    private static final String SEG1 = "00000000000000000001.seg";

    @TempDir
    Path dir;

    private DiskSpool open() throws IOException {
        return DiskSpool.open(dir, DiskSpool.Sync.NEVER, SEGMENT, FileChannel::open);
    }

    private static void append(BatchStore s, String format, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.append(format, b, 0, b.length, (int) text.chars().filter(c -> c == '\n').count(), 1000);
    }

    /** Takes every batch out, front first, as the outbox would send them: {@code format:text} per write. */
    private static List<String> drain(BatchStore s) throws IOException {
        List<String> out = new ArrayList<>();
        Chunk c = new Chunk(16);
        while (s.batches() > 0) {
            String first = s.firstFormat();
            s.peek(c, Integer.MAX_VALUE, Integer.MAX_VALUE);
            assertThat(c.format).isEqualTo(first);
            out.add(c.format + ":" + new String(c.bytes, 0, c.length, StandardCharsets.UTF_8));
            s.removeFirst(c.batches);
        }
        return out;
    }

    private static final List<String[]> MIXED = List.of(
            new String[] {Formats.LINE, "m v=1i\n"},
            new String[] {"fmt-a", "a1\n"},
            new String[] {"fmt-a", "a2\na3\n"},
            new String[] {"prometheus-remote-write-1", "b1\n"},
            new String[] {Formats.LINE, "m v=2i\n"});

    private static final List<String> MIXED_WRITES = List.of("influx-line:m v=1i\n", "fmt-a:a1\na2\na3\n",
            "prometheus-remote-write-1:b1\n", "influx-line:m v=2i\n");

    /** @return the end offset of each record */
    private long[] writeMixed() throws IOException {
        long[] ends = new long[MIXED.size()];
        try (DiskSpool s = open()) {
            for (int i = 0; i < MIXED.size(); i++) {
                append(s, MIXED.get(i)[0], MIXED.get(i)[1]);
                ends[i] = s.bytes();
            }
        }
        return ends;
    }

    @Test
    void formatsSurviveAReopenAndOneWriteHoldsOneFormat() throws IOException {
        long[] ends = writeMixed();
        assertThat(Files.size(dir.resolve(SEG1))).as("bytes() counts what is on disk").isEqualTo(ends[ends.length - 1]);
        try (DiskSpool s = open()) {
            assertThat(s.recoveredLines()).isEqualTo(6);
            assertThat(s.bytes()).isEqualTo(ends[ends.length - 1]);
            assertThat(drain(s)).containsExactlyElementsOf(MIXED_WRITES);
        }
    }

    @Test
    void batchesMovedBetweenStoresKeepTheirFormat() throws IOException {
        MemoryStore memory = new MemoryStore();
        for (String[] b : MIXED) {
            append(memory, b[0], b[1]);
        }
        try (DiskSpool s = open()) {
            SpoolStore.moveAll(memory, s);
        }
        try (DiskSpool s = open()) {
            MemoryStore back = new MemoryStore();
            SpoolStore.moveAll(s, back);
            assertThat(drain(back)).containsExactlyElementsOf(MIXED_WRITES);
        }
    }

    /** A record of the earlier layout, built from its description (docs/delivery.md), not by the spool. */
    private static byte[] oldRecord(long seq, long time, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        int lines = (int) payload.chars().filter(c -> c == '\n').count();
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(24).putInt(p.length).putInt(lines).putLong(seq).putLong(time).array());
        crc.update(p);
        return ByteBuffer.allocate(32 + p.length).putInt(0x4F534D31).putInt(p.length).putInt(lines).putLong(seq)
                .putLong(time).putInt((int) crc.getValue()).put(p).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    @Test
    void aSpoolOfTheEarlierLayoutIsReadAsLineProtocolAndLineBatchesAreStillWrittenInIt() throws IOException {
        byte[] old = concat(oldRecord(0, 1000, "m v=1i\n"), oldRecord(1, 1000, "m v=2i\nm v=3i\n"));
        Files.createDirectories(dir);
        Files.write(dir.resolve(SEG1), old);
        try (DiskSpool s = open()) {
            assertThat(s.cuts()).isZero();
            assertThat(s.recoveredLines()).isEqualTo(3);
            assertThat(s.firstFormat()).isEqualTo(Formats.LINE);
            append(s, Formats.LINE, "m v=4i\n");
        }
        assertThat(Files.readAllBytes(dir.resolve(SEG1))).as("a line batch is appended in the earlier layout")
                .isEqualTo(concat(old, oldRecord(2, 1000, "m v=4i\n")));
        try (DiskSpool s = open()) {
            assertThat(drain(s)).containsExactly("influx-line:m v=1i\nm v=2i\nm v=3i\nm v=4i\n");
        }
    }

    @Test
    void aRecordNamingItsFormatIsWrittenAsDocumented() throws IOException {
        try (DiskSpool s = open()) {
            append(s, "fmt-a", "a1\na2\n");
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(SEG1)));
        assertThat(b.getInt()).as("magic OSM2").isEqualTo(0x4F534D32);
        int len = b.getInt();
        int lines = b.getInt();
        long seq = b.getLong();
        long time = b.getLong();
        int sum = b.getInt();
        int n = b.get();
        byte[] name = new byte[n];
        b.get(name);
        byte[] payload = new byte[len];
        b.get(payload);
        assertThat(b.hasRemaining()).isFalse();
        assertThat(new String(name, StandardCharsets.US_ASCII)).isEqualTo("fmt-a");
        assertThat(new String(payload, StandardCharsets.UTF_8)).isEqualTo("a1\na2\n");
        assertThat(lines).isEqualTo(2);
        assertThat(seq).isZero();
        assertThat(time).isEqualTo(1000);
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(24).putInt(len).putInt(lines).putLong(seq).putLong(time).array());
        crc.update(new byte[] {(byte) n});
        crc.update(name);
        crc.update(payload);
        assertThat(sum).as("the CRC covers the format").isEqualTo((int) crc.getValue());
    }

    /**
     * A corrupt format (its length byte, a letter of its name, a name that is not a format name) or
     * CRC in a record naming its format cuts it and everything after it, as any corrupt record; the
     * records before keep their formats.
     */
    @Test
    void aCorruptFormatCutsItsRecordAndEverythingAfterIt() throws IOException {
        long[] ends = writeMixed();
        byte[] whole = Files.readAllBytes(dir.resolve(SEG1));
        int at = (int) ends[1]; // the third record: fmt-a "a2\na3\n"
        int nameAt = at + DiskSpool.HEADER;
        record Corruption(String what, Consumer<byte[]> change) {
        }
        List<Corruption> corruptions = List.of(
                new Corruption("name length zero", b -> b[nameAt] = 0),
                new Corruption("name length one more", b -> b[nameAt]++),
                new Corruption("name length one less", b -> b[nameAt]--),
                new Corruption("name length beyond the limit", b -> b[nameAt] = 33),
                new Corruption("a letter of the name", b -> b[nameAt + 1] = 'g'),
                new Corruption("a name with a capital", b -> b[nameAt + 1] = 'F'),
                new Corruption("crc", b -> b[at + 28] ^= 0x01),
                new Corruption("magic of a format record on a line record", b -> b[(int) ends[0] + 3] = '1'));
        for (Corruption c : corruptions) {
            byte[] bytes = whole.clone();
            c.change().accept(bytes);
            Files.write(dir.resolve(SEG1), bytes);
            Files.deleteIfExists(dir.resolve("head"));
            try (DiskSpool s = open()) {
                assertThat(s.cuts()).as(c.what()).isEqualTo(1);
                long cutAt = c.what().startsWith("magic") ? ends[0] : ends[1];
                assertThat(Files.size(dir.resolve(SEG1))).as(c.what()).isEqualTo(cutAt);
                List<String> kept = drain(s);
                if (cutAt == ends[0]) {
                    assertThat(kept).as(c.what()).containsExactly("influx-line:m v=1i\n");
                } else {
                    assertThat(kept).as(c.what()).containsExactly("influx-line:m v=1i\n", "fmt-a:a1\n");
                }
            }
        }
    }

    /** A file of mixed formats torn at any byte offset keeps exactly the records wholly before the tear. */
    @Test
    void aMixedFileTornAtEveryByteOffsetKeepsTheRecordsBeforeTheTearWithTheirFormats() throws IOException {
        long[] ends = writeMixed();
        byte[] whole = Files.readAllBytes(dir.resolve(SEG1));
        for (int cut = 0; cut <= whole.length; cut++) {
            Files.write(dir.resolve(SEG1), Arrays.copyOf(whole, cut));
            Files.deleteIfExists(dir.resolve("head"));
            int before = 0;
            while (before < ends.length && ends[before] <= cut) {
                before++;
            }
            MemoryStore expected = new MemoryStore();
            for (int i = 0; i < before; i++) {
                append(expected, MIXED.get(i)[0], MIXED.get(i)[1]);
            }
            try (DiskSpool s = open()) {
                assertThat(drain(s)).as("cut at %d", cut).containsExactlyElementsOf(drain(expected));
            }
        }
    }
}
