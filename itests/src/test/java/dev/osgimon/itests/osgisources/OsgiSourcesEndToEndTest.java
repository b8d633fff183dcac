package dev.osgimon.itests.osgisources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.osgimon.itests.osgisources.probes.HealthActivator;
import dev.osgimon.itests.osgisources.probes.LoggerActivator;
import dev.osgimon.itests.osgisources.probes.ThrowerActivator;
import dev.osgimon.itests.osgisources.probes.VictimActivator;
import dev.osgimon.itests.support.Distribution;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Waits;

/**
 * The OSGi-native sources end to end: the real distribution pushes into a real QuestDB while test
 * bundles built here are dropped into its {@code deploy/} folder. Each test reads a value, changes
 * the framework, and waits until the value in QuestDB has moved by exactly the expected amount.
 * The tests run in order: the log test first, before the other bundles log anything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OsgiSourcesEndToEndTest {

    private static final String VM = "osgisources-itest";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static QuestDb questdb;
    private static Distribution osgimon;
    private static Path deploy;

    @BeforeAll
    static void start() throws IOException {
        questdb = QuestDb.startNew();
        osgimon = Distribution.prepare(Map.of(
                "OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort(),
                "OSGIMON_HOSTNAME", VM,
                "JAVA_OPTS", "-Xmx256m"));
        Files.writeString(osgimon.home().resolve("etc/dev.osgimon.source.log.cfg"), "perBundle = true\n");
        // the shipped "osgimon delivery" check, with a threshold a test can wait for
        Files.writeString(osgimon.home().resolve("etc/dev.osgimon.health.delivery.cfg"),
                "warnAfterSeconds = 5\ncriticalAfterSeconds = 3600\n");
        osgimon.start();
        deploy = osgimon.home().resolve("deploy");
        Waits.until("first osgi_bundles, log_entries and health rows", WAIT,
                () -> latest("osgi_bundles", "active", "") > 0 && latest("log_entries", "\"count\"", "level = 'error'") >= 0
                        && latest("health", "checks", "") >= 0);
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

    /** The value of a column in the newest row of a table written by this distribution, or -1. */
    static long latest(String table, String column, String where) {
        return questdb.number("select " + column + " from " + table + " where vm = '" + VM + "'"
                + (where.isEmpty() ? "" : " and " + where) + " order by timestamp desc limit 1");
    }

    /** The newest value once it has stayed the same for three cycles (nothing else is moving it). */
    static long settled(String table, String column, String where) {
        return questdb.settled("select " + column + " from " + table + " where vm = '" + VM + "'"
                + (where.isEmpty() ? "" : " and " + where) + " order by timestamp desc limit 1",
                "select cycles from osgimon where vm = '" + VM + "' order by timestamp desc limit 1", WAIT);
    }

    /** Waits until a value reaches {@code expected}, then three more cycles, and checks that it stayed there. */
    static void reachesAndStays(String what, String table, String column, String where, long expected) {
        Waits.until(what, WAIT, () -> latest(table, column, where) == expected);
        long cycles = latest("osgimon", "cycles", "");
        Waits.until("three more cycles", WAIT, () -> latest("osgimon", "cycles", "") >= cycles + 3);
        assertThat(latest(table, column, where)).as(what + ", three cycles later").isEqualTo(expected);
    }

    @Test
    @Order(1)
    void fiveErrorsLoggedByABundleRaiseTheErrorCountByFive() throws IOException {
        long before = settled("log_entries", "\"count\"", "level = 'error'");
        TestBundle.named("dev.osgimon.itests.logger")
                .activator(LoggerActivator.class, "org.osgi.framework;version=\"[1.8,2)\",org.slf4j;version=\"[1.7,3)\"")
                .writeInto(deploy);
        reachesAndStays("log_entries,level=error up by 5", "log_entries", "\"count\"", "level = 'error'",
                before + LoggerActivator.ERRORS);
        // perBundle is on (etc/dev.osgimon.source.log.cfg): the errors are attributed to a bundle
        assertThat(questdb.number("select max(error) from log_bundle_entries where vm = '" + VM + "'"))
                .isGreaterThanOrEqualTo(LoggerActivator.ERRORS);
    }

    @Test
    @Order(2)
    void aComponentWithAnUnsatisfiedReferenceIsCountedAndNamed() throws IOException {
        long before = settled("osgi_components", "unsatisfied_reference", "");
        TestBundle.named("dev.osgimon.itests.unsatisfied")
                .header("Service-Component", "OSGI-INF/itest.unsatisfied.xml")
                .resource("OSGI-INF/itest.unsatisfied.xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="itest.unsatisfied">
                          <implementation class="dev.osgimon.itests.NeverLoaded"/>
                          <reference name="missing" interface="dev.osgimon.itests.NobodyProvidesThis" cardinality="1..1"/>
                        </scr:component>
                        """)
                .writeInto(deploy);
        reachesAndStays("unsatisfied_reference up by one", "osgi_components", "unsatisfied_reference", "", before + 1);
        List<List<String>> problems = questdb.rows("select bundle, state, unsatisfied_references from osgi_component_problem"
                + " where vm = '" + VM + "' and component = 'itest.unsatisfied' order by timestamp desc limit 1");
        assertThat(problems).containsExactly(List.of("dev.osgimon.itests.unsatisfied", "unsatisfied_reference", "missing"));
    }

    @Test
    @Order(3)
    void aFrameworkErrorEventIsCounted() throws IOException {
        long before = settled("osgi_events", "framework_errors", "");
        TestBundle.named("dev.osgimon.itests.thrower")
                .activator(ThrowerActivator.class, "org.osgi.framework;version=\"[1.8,2)\"")
                .writeInto(deploy);
        reachesAndStays("framework_errors up by one", "osgi_events", "framework_errors", "", before + 1);
    }

    @Test
    @Order(4)
    void stoppingABundleLowersActiveByOne() throws IOException {
        long total = settled("osgi_bundles", "total", "");
        TestBundle.named("dev.osgimon.itests.victim")
                .activator(VictimActivator.class, "org.osgi.framework;version=\"[1.8,2)\",org.osgi.service.cm;version=\"[1.5,2)\"")
                .writeInto(deploy);
        Waits.until("the victim installed", WAIT, () -> latest("osgi_bundles", "total", "") == total + 1);
        long active = settled("osgi_bundles", "active", "");
        long resolved = latest("osgi_bundles", "resolved", "");
        // its configuration arrives through FileInstall and the bundle stops itself
        Files.writeString(osgimon.home().resolve("etc/" + VictimActivator.PID + ".cfg"), "stop = now\n");
        reachesAndStays("active down by one", "osgi_bundles", "active", "", active - 1);
        assertThat(latest("osgi_bundles", "resolved", "")).isEqualTo(resolved + 1);
    }

    @Test
    @Order(5)
    void processAndLoadPointsArrive() {
        Waits.until("process rows", WAIT, () -> latest("process", "memory_rss", "") > 0);
        assertThat(latest("process", "threads", "")).isPositive();
        assertThat(latest("process", "open_fds", "")).isPositive();
        assertThat(latest("system_load", "cpus", "")).isPositive();
        assertThat(questdb.number("select count() from process where vm = '" + VM + "' and cpu_usage >= 0")).isPositive();
        assertThat(questdb.number("select count() from jvm_memory where vm = '" + VM + "'"))
                .as("memory still writes its own points").isPositive();
    }

    @Test
    @Order(6)
    void aFailingHealthCheckShowsItsStatusAndAHangingOneShowsAsAnErrorWithoutBlockingTheCycle() throws IOException {
        assertThat(latest("health", "status", "")).as("only the shipped delivery check, nothing wrong").isZero();
        long overrunsBefore = latest("osgimon_source", "overruns", "source = 'health'");
        TestBundle.named("dev.osgimon.itests.health")
                .activator(HealthActivator.class, "org.osgi.framework;version=\"[1.8,2)\",org.apache.felix.hc.api;version=\"[2.0,3)\"")
                .writeInto(deploy);
        Waits.until("the failing check as CRITICAL (3)", WAIT,
                () -> latest("health_check", "status", "name = '" + HealthActivator.FAILING + "'") == 3);
        assertThat(questdb.value("select ok from health_check where vm = '" + VM + "' and name = '"
                + HealthActivator.FAILING + "' order by timestamp desc limit 1")).isEqualTo("false");
        Waits.until("the hanging check as HEALTH_CHECK_ERROR (4)", WAIT,
                () -> latest("health_check", "status", "name = '" + HealthActivator.HANGING + "'") == 4);
        assertThat(latest("health", "status", "")).as("the worst status").isEqualTo(4);

        // the cycle goes on every second while the check hangs, and the health source never overran
        long cycles = latest("osgimon", "cycles", "");
        Waits.until("five more cycles", WAIT, () -> latest("osgimon", "cycles", "") >= cycles + 5);
        assertThat(latest("osgimon_source", "overruns", "source = 'health'")).isEqualTo(overrunsBefore);
        assertThat(osgimon.isAlive()).isTrue();
    }

    /** The shipped check's name, a tag value of its {@code health_check} rows. */
    private static final String DELIVERY_CHECK = "osgimon delivery";

    @Test
    @Order(7)
    void theShippedDeliveryCheckWarnsWhileTheTargetIsAwayAndTheRowsOfTheOutageArriveAfterIt() {
        String where = "name = '" + DELIVERY_CHECK + "'";
        Waits.until("the delivery check OK (0) in QuestDB", WAIT, () -> latest("health_check", "status", where) == 0);
        questdb.stop();
        try {
            // nothing reaches QuestDB now: the operator page's in-process history shows what is collected
            Waits.until("the delivery check WARN (1) on the operator page", WAIT,
                    () -> newestOnPage("health_check", "status", "name=" + DELIVERY_CHECK + ",vm=" + VM) == 1);
        } finally {
            questdb.start();
        }
        // the rows collected during the outage arrive, WARN among them; then the check is OK again
        Waits.until("WARN rows of the outage in QuestDB", WAIT, () -> questdb.number("select count() from health_check"
                + " where vm = '" + VM + "' and " + where + " and status = 1") > 0);
        assertThat(questdb.value("select ok from health_check where vm = '" + VM + "' and " + where
                + " and status = 1 limit 1")).isEqualTo("false");
        Waits.until("the delivery check OK again in QuestDB", WAIT, () -> latest("health_check", "status", where) == 0);
    }

    /** The newest value of a series in the operator page's history, or -1. */
    private static double newestOnPage(String measurement, String field, String tags) {
        String url = "http://127.0.0.1:" + osgimon.port("OSGIMON_HTTP_PORT") + "/osgimon/api/points.json?m="
                + URLEncoder.encode(measurement, StandardCharsets.UTF_8) + "&f=" + URLEncoder.encode(field, StandardCharsets.UTF_8)
                + "&tags=" + URLEncoder.encode(tags, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            String body = r.body();
            int v = body.indexOf("\"v\":[");
            int end = v < 0 ? -1 : body.indexOf(']', v);
            if (r.statusCode() != 200 || end < 0) {
                return -1;
            }
            String[] values = body.substring(v + 5, end).split(",");
            String last = values[values.length - 1].trim();
            return last.isEmpty() || last.equals("null") ? -1 : Double.parseDouble(last);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
