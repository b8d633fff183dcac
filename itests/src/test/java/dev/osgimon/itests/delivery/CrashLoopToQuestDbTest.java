package dev.osgimon.itests.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Waits;

/**
 * The real distribution (its shipped {@code buffer=disk} spool) pushes every second into a QuestDB
 * that is down, and is killed with SIGKILL at random moments ten times, started again each time.
 * Then QuestDB comes up: every cycle any run made is in QuestDB, none twice (the table deduplicates
 * with the recipe of {@code docs/delivery.md}), none missing.
 *
 * <p>Each run gets its own {@code vm} tag; the {@code cycles} field of each cycle's {@code osgimon}
 * point is the run's own count of the cycles it made before it, so a run's cycles are complete when
 * they run from the first to the last without a gap, one row each. (The very first cycle of a run
 * may come before the core's own {@code monitoring} source is bound, so it may hold no such point.)
 */
class CrashLoopToQuestDbTest {

    private static final int CRASHES = 10;
    private static QuestDb questdb;
    private static Distribution osgimon;

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
        for (int run = 0; run < CRASHES; run++) {
            osgimon.env().put("OSGIMON_HOSTNAME", "run" + run);
            osgimon.start();
            // once a cycle with the run's own counter is in the spool, a random moment within the
            // next two seconds
            String marker = "osgimon,target=tcp,vm=run" + run + " ";
            Waits.until("run " + run + " spooled a cycle", Duration.ofSeconds(30), () -> spoolText().contains(marker));
            long wait = ThreadLocalRandom.current().nextLong(2000);
            Waits.until("run " + run + " is " + wait + " ms old", Duration.ofSeconds(10),
                    new java.util.concurrent.Callable<>() {
                        private final long end = System.nanoTime() + wait * 1_000_000L;

                        @Override
                        public Boolean call() {
                            return System.nanoTime() - end >= 0;
                        }
                    });
            osgimon.kill();
        }
        assertThat(spoolBytes()).as("the cycles wait in the spool").isPositive();

        questdb.start();
        osgimon.env().put("OSGIMON_HOSTNAME", "run" + CRASHES);
        osgimon.start();
        try {
            Waits.until("every cycle of every killed run in QuestDB", Duration.ofSeconds(120), () -> {
                for (int run = 0; run < CRASHES; run++) {
                    if (!complete(run)) {
                        return false;
                    }
                }
                return true;
            });
        } catch (RuntimeException | AssertionError e) {
            throw new AssertionError("per run (count, distinct timestamps, min, max of cycles): "
                    + questdb.rows("select vm, count(), count_distinct(timestamp), min(cycles), max(cycles)"
                            + " from osgimon order by vm") + "\n" + osgimon.logText(), e);
        }
        long cycles = 0;
        for (int run = 0; run < CRASHES; run++) {
            List<String> r = questdb.rows("select count(), count_distinct(timestamp), min(cycles), max(cycles)"
                    + " from osgimon where vm = 'run" + run + "'").get(0);
            assertThat(r.get(0)).as("run %d: one row per cycle", run).isEqualTo(r.get(1));
            assertThat(Long.parseLong(r.get(3)) - Long.parseLong(r.get(2)) + 1)
                    .as("run %d: cycles min..max, none missing", run).isEqualTo(Long.parseLong(r.get(0)));
            cycles += Long.parseLong(r.get(0));
        }
        assertThat(cycles).as("the killed runs made cycles").isGreaterThanOrEqualTo(CRASHES);
        Waits.until("the last run reports what it replayed", Duration.ofSeconds(60),
                () -> questdb.number("select max(lines_replayed) from osgimon where vm = 'run" + CRASHES + "'") > 0);
        assertThat(questdb.number("select max(lines_dropped) from osgimon")).isZero();
        osgimon.stop();
    }

    /** The spool's segments as text (records hold the lines as they are). */
    private static String spoolText() throws java.io.IOException {
        java.nio.file.Path spool = osgimon.home().resolve("spool");
        StringBuilder all = new StringBuilder();
        if (java.nio.file.Files.isDirectory(spool)) {
            try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(spool)) {
                for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) files::iterator) {
                    if (p.toString().endsWith(".seg")) {
                        all.append(new String(java.nio.file.Files.readAllBytes(p), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return all.toString();
    }

    private static long spoolBytes() throws java.io.IOException {
        java.nio.file.Path spool = osgimon.home().resolve("spool");
        if (!java.nio.file.Files.isDirectory(spool)) {
            return 0;
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(spool)) {
            long n = 0;
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) files::iterator) {
                if (p.toString().endsWith(".seg")) {
                    n += java.nio.file.Files.size(p);
                }
            }
            return n;
        }
    }

    /** Whether a run's cycles are all in QuestDB: {@code cycles} 0..max, one row each. */
    private static boolean complete(int run) {
        List<List<String>> rows = questdb.rows("select count(), min(cycles), max(cycles) from osgimon where vm = 'run"
                + run + "'");
        if (rows.isEmpty() || rows.get(0).get(1).isEmpty()) {
            return false;
        }
        List<String> r = rows.get(0);
        return Long.parseLong(r.get(2)) - Long.parseLong(r.get(1)) + 1 == Long.parseLong(r.get(0));
    }
}
