package dev.osgimon.itests.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Waits;

/**
 * The real distribution pushes over ILP/TCP into a real QuestDB every second; QuestDB goes away for
 * several intervals and comes back on the same port: every cycle of the outage arrives, nothing is
 * dropped.
 */
class PushToQuestDbTest {

    private static QuestDb questdb;
    private static Distribution osgimon;

    @BeforeAll
    static void start() throws Exception {
        questdb = QuestDb.startNew();
        // TCP has no acknowledgement: lines written just before the receiver went away are written
        // again (at least once); the dedup recipe of docs/delivery.md folds the repeats
        questdb.exec("CREATE TABLE osgimon (target SYMBOL, vm SYMBOL, timestamp TIMESTAMP) TIMESTAMP(timestamp)"
                + " PARTITION BY DAY WAL DEDUP UPSERT KEYS(timestamp, vm, target)");
        osgimon = Distribution.start(Map.of(
                "OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort(),
                "OSGIMON_HOSTNAME", "itest-vm"));
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
    void monitoringRowsArriveWithTheVmTagAndSurviveAnOutage() {
        Waits.until("osgimon rows in QuestDB", Duration.ofSeconds(60),
                () -> questdb.number("select count() from osgimon where vm = 'itest-vm'") >= 3);
        assertThat(questdb.value("select target from osgimon limit 1")).isEqualTo("tcp");

        long before = questdb.number("select max(cycles) from osgimon");
        questdb.stop();
        Waits.until("osgimon notices the outage", Duration.ofSeconds(30),
                () -> osgimon.logText().contains("Cannot send to tcp://127.0.0.1:" + questdb.ilpPort()));
        // several intervals of collection while nobody listens: lines must be buffered
        long outageStart = System.nanoTime();
        Waits.until("5 s of outage", Duration.ofSeconds(10),
                () -> System.nanoTime() - outageStart > Duration.ofSeconds(5).toNanos());
        questdb.start();

        // every cycle from the first to one collected after the reconnection is there, exactly once.
        // A cycle number alone does not say "after": on a slow machine the outage can span more
        // cycles than any fixed count, and those all arrive in the first flush. A row that already
        // counts the reconnection was collected after it.
        Waits.until("a row collected after the reconnection", Duration.ofSeconds(90),
                () -> questdb.number("select max(reconnects) from osgimon") >= 1);
        try {
            Waits.until("no gap in cycles", Duration.ofSeconds(30), () -> {
                List<String> row = questdb.rows("select count_distinct(cycles), min(cycles), max(cycles), count() from osgimon")
                        .get(0);
                long distinct = Long.parseLong(row.get(0));
                long min = Long.parseLong(row.get(1));
                long max = Long.parseLong(row.get(2));
                return min == 0 && distinct == max + 1;
            });
        } catch (AssertionError | RuntimeException e) {
            // say which cycles are missing and what the agent logged, so a failure can be explained
            List<List<String>> seen = questdb.rows("select cycles from osgimon order by cycles");
            throw new AssertionError("cycles in QuestDB: " + seen + "\n(outage began after cycle " + before
                    + ")\nosgimon log:\n" + osgimon.logText(), e);
        }
        List<String> row = questdb.rows("select count_distinct(cycles), max(cycles), count(), count_distinct(timestamp)"
                + " from osgimon").get(0);
        assertThat(Long.parseLong(row.get(0))).as("distinct cycles").isEqualTo(Long.parseLong(row.get(1)) + 1);
        assertThat(Long.parseLong(row.get(2))).as("rows = cycles, no duplicate").isEqualTo(Long.parseLong(row.get(0)));
        assertThat(Long.parseLong(row.get(3))).as("one timestamp per cycle").isEqualTo(Long.parseLong(row.get(0)));
        assertThat(questdb.number("select max(lines_dropped) from osgimon")).as("dropped lines").isZero();
        assertThat(osgimon.logText()).as("one warning per outage, not one per cycle")
                .containsOnlyOnce("Cannot send to tcp://127.0.0.1:" + questdb.ilpPort());
    }
}
