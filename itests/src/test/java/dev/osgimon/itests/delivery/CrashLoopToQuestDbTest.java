package dev.osgimon.itests.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Waits;

/**
 * The real distribution (its shipped {@code buffer=disk} spool) pushes every second into a QuestDB
 * that is down, and is killed with SIGKILL at random moments ten times, started again each time.
 * Then QuestDB comes up: every line any run put into the spool is in QuestDB, and every cycle of the
 * {@code osgimon} table exactly once (the table deduplicates with the recipe of {@code docs/delivery.md}).
 *
 * <p>What a run made is read where a user could read it: the spool's segment files (records of a
 * 32-byte header and the lines as they are, {@code docs/delivery.md}), just before the kill and again
 * once the process is dead. Each run gets its own {@code vm} tag; each cycle's lines share one
 * timestamp, and the {@code cycles} field of its {@code osgimon} point is the run's own count of the
 * cycles it made before it, so the newest spooled {@code osgimon} point says how many cycles the run
 * had collected: every one of them must be in the spool at the kill, and then in QuestDB. (The very
 * first cycle of a run may come before the core's own {@code monitoring} source is bound, so it may
 * hold no {@code osgimon} point; its other lines count all the same.)
 */
class CrashLoopToQuestDbTest {

    private static final int CRASHES = 10;
    private static final int MAGIC = 0x4F534D31; // "OSM1", docs/delivery.md
    private static final int HEADER = 32;
    private static final Pattern CYCLES = Pattern.compile("[ ,]cycles=(\\d+)i(?:,|$)");

    private static QuestDb questdb;
    private static Distribution osgimon;

    /** One line of the spool, as much as the test needs of it. */
    private record Line(String measurement, String vm, long timestampNanos, long cycles) {
    }

    @BeforeAll
    static void start() throws Exception {
        questdb = QuestDb.startNew();
        // the dedup recipe of docs/delivery.md: a resent cycle overwrites itself
        questdb.exec("CREATE TABLE osgimon (target SYMBOL, vm SYMBOL, timestamp TIMESTAMP) TIMESTAMP(timestamp)"
                + " PARTITION BY DAY WAL DEDUP UPSERT KEYS(timestamp, vm, target)");
        questdb.stop();
        osgimon = Distribution.prepare(Map.of("OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort()));
    }

    @AfterAll
    static void stop() {
        if (osgimon != null) {
            osgimon.close();
        }
        if (questdb != null) {
            questdb.close();
        }
    }

    @Test
    void everyCycleOfEveryKilledRunArrivesOnceQuestDbIsBack() throws Exception {
        // run -> measurement -> the timestamps (ns) of its lines in the spool once the run was dead
        Map<String, Map<String, Set<Long>>> spooled = new TreeMap<>();
        // run -> the cycles counters of its osgimon points, and their timestamps
        Map<String, TreeSet<Long>> counters = new TreeMap<>();
        Map<String, TreeSet<Long>> osgimonTimes = new TreeMap<>();
        StringBuilder record = new StringBuilder();
        for (int run = 0; run < CRASHES; run++) {
            String vm = "run" + run;
            osgimon.env().put("OSGIMON_HOSTNAME", vm);
            osgimon.start();
            // once a cycle with the run's own counter is in the spool, a random moment within the
            // next two seconds
            Waits.until(vm + " spooled a cycle", Duration.ofSeconds(30),
                    () -> spool().stream().anyMatch(l -> l.vm().equals(vm) && l.cycles() >= 0));
            long wait = ThreadLocalRandom.current().nextLong(2000);
            Waits.until(vm + " is " + wait + " ms old", Duration.ofSeconds(10),
                    new java.util.concurrent.Callable<>() {
                        private final long end = System.nanoTime() + wait * 1_000_000L;

                        @Override
                        public Boolean call() {
                            return System.nanoTime() - end >= 0;
                        }
                    });
            Set<Line> before = of(spool(), vm);
            osgimon.kill();
            Set<Line> after = of(spool(), vm);

            // the kill takes nothing out of the spool
            assertThat(after).as("%s: the spool after the kill holds what it held before", vm).containsAll(before);
            // the collected cycles, by the run's own count: 0 .. the newest osgimon point's counter
            TreeSet<Long> cycles = after.stream().filter(l -> l.cycles() >= 0).map(Line::cycles)
                    .collect(Collectors.toCollection(TreeSet::new));
            TreeSet<Long> cycleTimes = after.stream().map(Line::timestampNanos).collect(Collectors.toCollection(TreeSet::new));
            assertThat(cycles).as("%s: osgimon points in the spool", vm).isNotEmpty();
            long collected = cycles.last() + 1;
            assertThat(cycles).as("%s: every cycle counted by the run is in the spool", vm)
                    .containsAll(LongStream.range(1, collected).boxed().toList());
            assertThat(cycleTimes).as("%s: one cycle (one timestamp) for each cycle the run counted", vm)
                    .hasSize((int) collected);
            assertThat(after.stream().filter(l -> l.cycles() >= 0).count()).as("%s: one osgimon point a cycle", vm)
                    .isEqualTo(cycles.size());

            Map<String, Set<Long>> byMeasurement = new TreeMap<>();
            for (Line l : after) {
                byMeasurement.computeIfAbsent(l.measurement(), m -> new TreeSet<>()).add(l.timestampNanos());
            }
            spooled.put(vm, byMeasurement);
            counters.put(vm, cycles);
            osgimonTimes.put(vm, after.stream().filter(l -> l.cycles() >= 0).map(Line::timestampNanos)
                    .collect(Collectors.toCollection(TreeSet::new)));
            record.append(String.format("%s: killed %d ms after its first counted cycle was spooled; %d cycles collected,"
                    + " in the spool: cycles %s, %d cycle timestamps, lines of %d measurements%n", vm, wait, collected, cycles,
                    cycleTimes.size(), byMeasurement.size()));
        }
        System.out.print(record);

        questdb.start();
        osgimon.env().put("OSGIMON_HOSTNAME", "run" + CRASHES);
        osgimon.start();
        try {
            Waits.until("every spooled line of every killed run in QuestDB", Duration.ofSeconds(120),
                    () -> missing(spooled).isEmpty());
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("in the spool at the kills:\n" + record + "missing in QuestDB: " + missing(spooled)
                    + "\nper run (count, distinct timestamps, min, max of cycles): "
                    + questdb.rows("select vm, count(), count_distinct(timestamp), min(cycles), max(cycles)"
                            + " from osgimon order by vm") + "\n" + osgimon.logText(), e);
        }
        for (String vm : counters.keySet()) {
            // every osgimon row of the run: its cycles counter and its timestamp (µs)
            List<List<String>> rows = questdb.rows("select cycles, cast(timestamp as long) from osgimon where vm = '" + vm
                    + "' order by timestamp");
            List<Long> cyclesInDb = rows.stream().map(r -> Long.parseLong(r.get(0))).toList();
            List<Long> timesInDb = rows.stream().map(r -> Long.parseLong(r.get(1))).toList();
            assertThat(cyclesInDb).as("%s: the cycles in QuestDB, each once (total rows)", vm)
                    .containsExactlyElementsOf(counters.get(vm));
            assertThat(new TreeSet<>(timesInDb)).as("%s: their timestamps, each once (distinct rows)", vm)
                    .hasSize(rows.size())
                    .containsExactlyElementsOf(osgimonTimes.get(vm).stream().map(t -> t / 1000).toList());
        }
        Waits.until("the last run reports what it replayed", Duration.ofSeconds(60),
                () -> questdb.number("select max(lines_replayed) from osgimon where vm = 'run" + CRASHES + "'") > 0);
        assertThat(questdb.number("select max(lines_dropped) from osgimon")).isZero();
        assertThat(questdb.number("select max(spool_errors) from osgimon")).as("no record cut at any start").isZero();
        osgimon.stop();
    }

    /** What of {@code spooled} QuestDB lacks: measurement, run and timestamp (ns) of each line not found. */
    private static List<String> missing(Map<String, Map<String, Set<Long>>> spooled) {
        Map<String, Set<String>> inDb = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Map<String, Set<Long>>> run : spooled.entrySet()) {
            for (Map.Entry<String, Set<Long>> m : run.getValue().entrySet()) {
                Set<String> have = inDb.computeIfAbsent(m.getKey(), measurement -> questdb
                        .rows("select distinct vm, cast(timestamp as long) from '" + measurement + "'").stream()
                        .map(r -> r.get(0) + " " + r.get(1)).collect(Collectors.toSet()));
                for (long t : m.getValue()) {
                    if (!have.contains(run.getKey() + " " + t / 1000)) {
                        missing.add(m.getKey() + " " + run.getKey() + " " + t);
                    }
                }
            }
        }
        return missing;
    }

    private static Set<Line> of(List<Line> lines, String vm) {
        return lines.stream().filter(l -> l.vm().equals(vm)).collect(Collectors.toCollection(HashSet::new));
    }

    /**
     * Every line in the spool's segments, read record by record as docs/delivery.md describes them
     * (magic, payload length, ...; the payload is the lines as they are). Reading stops at a record
     * not whole yet.
     */
    private static List<Line> spool() throws IOException {
        Path dir = osgimon.home().resolve("spool");
        List<Line> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
        for (Path seg : segments) {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(seg));
            int pos = 0;
            while (pos + HEADER <= b.limit() && b.getInt(pos) == MAGIC) {
                int len = b.getInt(pos + 4);
                if (len < 1 || pos + HEADER + len > b.limit()) {
                    break;
                }
                String payload = new String(b.array(), pos + HEADER, len, StandardCharsets.UTF_8);
                for (String text : payload.split("\n")) {
                    if (!text.isEmpty()) {
                        out.add(parse(text));
                    }
                }
                pos += HEADER + len;
            }
        }
        return out;
    }

    /** Measurement, {@code vm} tag, timestamp and (osgimon points) the {@code cycles} counter, -1 if none. */
    private static Line parse(String text) {
        int keyEnd = unescaped(text, ' ', 0);
        String key = text.substring(0, keyEnd);
        int comma = unescaped(key, ',', 0);
        String measurement = key.substring(0, comma);
        String vm = "";
        for (String tag : key.split("(?<!\\\\),")) {
            if (tag.startsWith("vm=")) {
                vm = tag.substring(3);
            }
        }
        long timestamp = Long.parseLong(text.substring(text.lastIndexOf(' ') + 1));
        long cycles = -1;
        if (measurement.equals("osgimon")) {
            Matcher m = CYCLES.matcher(text.substring(keyEnd, text.lastIndexOf(' ')));
            if (m.find()) {
                cycles = Long.parseLong(m.group(1));
            }
        }
        return new Line(measurement, vm, timestamp, cycles);
    }

    /** The index of the first {@code c} not escaped with a backslash, or the length. */
    private static int unescaped(String text, char c, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == c) {
                return i;
            }
        }
        return text.length();
    }
}
