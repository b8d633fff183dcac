package dev.osgimon.itests.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.osgimon.itests.support.OtlpReceiver;
import dev.osgimon.itests.support.QuestDb;
import dev.osgimon.itests.support.Tcp;
import dev.osgimon.itests.support.Waits;

/**
 * osgimon on a real Apache Karaf 4.4.10: {@code feature:repo-add mvn:dev.osgimon/osgimon-features/...}
 * and {@code feature:install osgimon-all} as the docs say; every osgimon bundle active next to Karaf's
 * own pax-logging (not a second one); the {@code monitoring:*} commands in the Karaf console; the
 * TCP command protocol; points in a real QuestDB, over ILP/TCP and then over HTTP through the
 * influxdb-http bundle, and as OTLP to a receiver that decodes it with the official classes; and log levels changed over TCP leave Karaf's own logging configuration
 * (appenders, logger entries, the file log) intact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafFeaturesTest {

    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final List<String> BUNDLES = List.of("dev.osgimon.api", "dev.osgimon.core", "dev.osgimon.logging",
            "dev.osgimon.shell", "dev.osgimon.source.memory", "dev.osgimon.source.net", "dev.osgimon.source.http",
            "dev.osgimon.memtrace", "dev.osgimon.influxdb.http", "dev.osgimon.command", "dev.osgimon.source.osgi",
            "dev.osgimon.source.process", "dev.osgimon.source.health", "dev.osgimon.source.log", "dev.osgimon.web",
            "dev.osgimon.prometheus", "dev.osgimon.source.jmx", "dev.osgimon.source.micrometer",
            "dev.osgimon.source.dropwizard", "dev.osgimon.otlp");
    private static final String LOGGING_CFG = "org.ops4j.pax.logging.cfg";

    private static QuestDb questdb;
    private static Karaf karaf;
    private static String installOutput;
    private static Properties loggingBefore;

    @BeforeAll
    static void start() {
        questdb = QuestDb.startNew();
        karaf = Karaf.prepare(Map.of(
                "OSGIMON_TARGET", "tcp://127.0.0.1:" + questdb.ilpPort(),
                "OSGIMON_HOSTNAME", "karaf-itest"));
        karaf.start();
        loggingBefore = karaf.etc(LOGGING_CFG);
        installOutput = karaf.console(
                "feature:repo-add mvn:dev.osgimon/osgimon-features/" + VERSION + "/xml/features",
                "feature:install osgimon-all");
    }

    @AfterAll
    static void stop() {
        if (karaf != null) {
            karaf.close();
        }
        if (questdb != null) {
            questdb.close();
        }
    }

    @Test
    @Order(1)
    void featuresInstallAndEveryBundleIsActiveOnKarafsOwnPaxLogging() {
        assertThat(installOutput).as("feature:repo-add / feature:install output").doesNotContainIgnoringCase("error");
        String features = karaf.console("feature:list -i");
        for (String f : List.of("osgimon ", "osgimon-memory", "osgimon-net", "osgimon-http", "osgimon-memtrace",
                "osgimon-influxdb-http", "osgimon-osgi", "osgimon-process", "osgimon-health", "osgimon-log", "osgimon-web",
                "osgimon-prometheus", "osgimon-jmx", "osgimon-otlp", "osgimon-all")) {
            assertThat(features).as("installed features").contains(f);
        }
        Waits.until("every osgimon bundle active", Duration.ofSeconds(30), () -> {
            Map<String, String> states = bundleStates();
            return BUNDLES.stream().allMatch(b -> "Active".equals(states.get(b)));
        });
        Map<String, String> states = bundleStates();
        assertThat(states.keySet().stream().filter(b -> b.startsWith("dev.osgimon.")))
                .containsExactlyInAnyOrderElementsOf(BUNDLES);
        assertThat(states.keySet().stream().filter(b -> b.contains("pax-logging-api")))
                .as("one pax-logging API, Karaf's").containsExactly("org.ops4j.pax.logging.pax-logging-api");
        assertThat(states.keySet().stream().filter(b -> b.contains("pax-logging-log4j2")))
                .as("one pax-logging backend, Karaf's").hasSize(1);
        assertThat(karaf.etc("dev.osgimon.command.cfg").getProperty("commandPort"))
                .as("configfile installed into etc/").isEqualTo("${env:OSGIMON_COMMAND_PORT:-2323}");
        assertThat(karaf.console("config:property-list --pid dev.osgimon.command"))
                .as("${env:...} interpolated by Karaf's FileInstall")
                .contains("commandPort = " + karaf.port("OSGIMON_COMMAND_PORT"));
        assertThat(karaf.console("config:property-list --pid dev.osgimon.core"))
                .contains("target = tcp://127.0.0.1:" + questdb.ilpPort()).doesNotContain("commandPort");
    }

    @Test
    @Order(2)
    void pointsOfEverySourceArriveInQuestDb() throws IOException, InterruptedException {
        Waits.until("osgimon rows with vm=karaf-itest", Duration.ofSeconds(60),
                () -> questdb.number("select count() from osgimon where vm = 'karaf-itest'") >= 2);
        Waits.until("memory and net rows", Duration.ofSeconds(30),
                () -> questdb.number("select count() from jvm_memory where vm = 'karaf-itest'") >= 1
                        && questdb.number("select count() from net where vm = 'karaf-itest'") >= 1);

        // the http source counts what pax-web serves. pax-web puts the source's whiteboard preprocessor
        // into its chain on its own thread, some time after the bundle is active; requests before
        // that are served but not seen. So: requests until one is counted, then exactly three more.
        HttpClient http = HttpClient.newHttpClient();
        String total = "select max(total) from http_response where vm = 'karaf-itest'";
        Waits.until("a request counted by the http source", Duration.ofSeconds(60), () -> {
            notFound(http);
            return questdb.number(total) >= 1;
        });
        String cycles = "select max(cycles) from osgimon where vm = 'karaf-itest'";
        long before = questdb.settled(total, cycles, Duration.ofSeconds(60));
        for (int i = 0; i < 3; i++) {
            notFound(http);
        }
        Waits.until("3 more requests in http_response", Duration.ofSeconds(30),
                () -> questdb.number(total) >= before + 3);
        assertThat(questdb.settled(total, cycles, Duration.ofSeconds(60))).as("exactly three").isEqualTo(before + 3);
        // the OSGi-native sources: Karaf's bundles and components, the process, pax-logging's entries, Felix HC
        Waits.until("osgi, process, log and health rows", Duration.ofSeconds(30),
                () -> questdb.number("select max(active) from osgi_bundles where vm = 'karaf-itest'") > 50
                        && questdb.number("select max(active) from osgi_components where vm = 'karaf-itest'") > 10
                        && questdb.number("select max(memory_rss) from process where vm = 'karaf-itest'") > 0
                        && questdb.number("select max(\"count\") from log_entries where vm = 'karaf-itest' and level = 'info'") > 0
                        && questdb.number("select count() from health where vm = 'karaf-itest'") > 0);
        // the shipped check "osgimon delivery" runs in Karaf too, and delivery is fine
        Waits.until("the osgimon delivery check OK", Duration.ofSeconds(30), () -> questdb.number(
                "select status from health_check where vm = 'karaf-itest' and name = 'osgimon delivery'"
                        + " order by timestamp desc limit 1") == 0);
    }

    @Test
    @Order(3)
    void monitoringCommandsInTheKarafConsoleShareStateWithTcp() {
        int port = karaf.port("OSGIMON_COMMAND_PORT");
        String all = karaf.console("monitoring:m \"*\"");
        assertThat(all).startsWith("ok: *:enabled").contains("memory:enabled", "net:enabled", "http:enabled");
        assertThat(all.strip()).as("console answer = TCP answer").isEqualTo(Tcp.command(port, "m*").strip());

        assertThat(karaf.console("monitoring:M \"net:disable\"")).isEqualTo("ok\n");
        assertThat(Tcp.command(port, "mnet")).isEqualTo("ok: net:disabled\n");
        assertThat(karaf.console("monitoring:m")).isEqualTo("ok: *:enabled,net:disabled\n");
        assertThat(Tcp.command(port, "Mnet:enable")).isEqualTo("ok\n");
        assertThat(karaf.console("monitoring:m net")).isEqualTo("ok: net:enabled\n");

        assertThat(karaf.console("monitoring:m nosuchsource")).isEqualTo("error: unknown source: nosuchsource\n");
        assertThat(karaf.console("monitoring:collect")).as("one cycle preview")
                .contains("osgimon,").contains("vm=karaf-itest");
    }

    @Test
    @Order(4)
    void tcpProtocolAnswers() {
        int port = karaf.port("OSGIMON_COMMAND_PORT");
        assertThat(Tcp.command(port, "m")).startsWith("ok: *:enabled");
        assertThat(Tcp.command(port, "l")).startsWith("ok: *:info");
        assertThat(Tcp.command(port, "Lnot-a-level")).startsWith("error: ");
        assertThat(Tcp.command(port, "x")).startsWith("error: ");
    }

    @Test
    @Order(4)
    void theOperatorPageAnswersOnPaxWeb() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        URI page = URI.create("http://127.0.0.1:" + karaf.httpPort() + "/osgimon");
        Waits.until("osgimon-web answers on pax-web", Duration.ofSeconds(30),
                () -> http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'");
        assertThat(r.body()).contains("id=\"sources\"");
        // the http source's route filter learns the servlet on pax-web too: the page's latency is under its name
        try {
            Waits.until("http_latency,route=osgimon-web in QuestDB", Duration.ofSeconds(60), () -> questdb.number(
                    "select max(count) from http_latency where vm = 'karaf-itest' and route = 'osgimon-web'") >= 2);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("routes on pax-web: " + questdb.rows(
                    "select route, max(count) from http_latency where vm = 'karaf-itest'"), e);
        }
    }

    @Test
    @Order(4)
    void thePrometheusEndpointAnswersOnPaxWeb() throws IOException, InterruptedException {
        assertThat(karaf.console("feature:install osgimon-prometheus")).as("feature:install osgimon-prometheus")
                .doesNotContainIgnoringCase("error");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + karaf.httpPort() + "/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0").build();
        // served from the last cycle: wait for one that the endpoint has seen
        Waits.until("/metrics serves a cycle on pax-web", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = http.send(scrape, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && !r.body().contains("osgimon_prometheus_cycle_timestamp_seconds 0\n");
        });
        HttpResponse<String> r = http.send(scrape, HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.body()).contains("# TYPE http_response_4xx counter\n").contains("vm=\"karaf-itest\"")
                .contains("jvm_memory_used_bytes{").endsWith("# EOF\n");
    }

    @Test
    @Order(4)
    void karafsOwnMBeansArriveThroughOsgimonJmx() {
        assertThat(karaf.console("feature:install osgimon-jmx")).as("feature:install osgimon-jmx")
                .doesNotContainIgnoringCase("error");
        // the default set: Karaf's bundle, feature and system MBeans (name = the instance, root)
        String bundles = "select Bundles_rows from jmx_org_apache_karaf_bundle where vm = 'karaf-itest' and name = 'root'"
                + " order by timestamp desc limit 1";
        Waits.until("Karaf's MBeans in QuestDB", Duration.ofSeconds(60),
                () -> questdb.number(bundles) > 50
                        && questdb.number("select max(Features_rows) from jmx_org_apache_karaf_feature where vm = 'karaf-itest'") > 0
                        && questdb.number("select max(StartLevel) from jmx_org_apache_karaf_system where vm = 'karaf-itest'") > 0);
        // Karaf's bundle MBean and the osgi source count the same bundles in the same cycle
        String ts = questdb.value("select timestamp from jmx_org_apache_karaf_bundle where vm = 'karaf-itest'"
                + " order by timestamp desc limit 1");
        assertThat(questdb.number("select Bundles_rows from jmx_org_apache_karaf_bundle where vm = 'karaf-itest'"
                + " and timestamp = '" + ts + "'")).as("Karaf's bundle MBean at " + ts)
                .isEqualTo(questdb.number("select total from osgi_bundles where vm = 'karaf-itest' and timestamp = '" + ts + "'"));
        assertThat(questdb.number("select max(StartLevel) from jmx_org_apache_karaf_system where vm = 'karaf-itest'"))
                .as("Karaf's start level").isEqualTo(100);
        assertThat(questdb.number("select max(errors) from jmx_source where vm = 'karaf-itest'")).as("jmx errors").isZero();
    }

    @Test
    @Order(4)
    void theMicrometerAndDropwizardFeaturesResolveWithTheirLibrariesAndTheBridgesCollect() {
        assertThat(karaf.console("feature:install osgimon-micrometer osgimon-dropwizard"))
                .as("feature:install osgimon-micrometer osgimon-dropwizard").doesNotContainIgnoringCase("error");
        assertThat(karaf.console("feature:list -i")).contains("osgimon-micrometer", "osgimon-dropwizard");
        Waits.until("the bridges and their libraries active", Duration.ofSeconds(30), () -> {
            Map<String, String> states = bundleStates();
            return List.of("micrometer-core", "micrometer-commons", "io.dropwizard.metrics.core",
                    "dev.osgimon.source.micrometer", "dev.osgimon.source.dropwizard").stream()
                    .allMatch(b -> "Active".equals(states.get(b)));
        });
        int port = karaf.port("OSGIMON_COMMAND_PORT");
        assertThat(Tcp.command(port, "m*")).contains("micrometer:enabled", "dropwizard:enabled");
        Waits.until("the bridges' own points in QuestDB", Duration.ofSeconds(30),
                () -> questdb.number("select count() from osgimon_micrometer where vm = 'karaf-itest'") >= 1
                        && questdb.number("select count() from osgimon_dropwizard where vm = 'karaf-itest'") >= 1);
    }

    @Test
    @Order(4)
    void theOperatorPageIsATabOfKarafsWebConsole() throws IOException, InterruptedException {
        String out = karaf.console("feature:install webconsole");
        assertThat(out).as("feature:install webconsole").doesNotContainIgnoringCase("error");
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("karaf:karaf".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest tab = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + karaf.httpPort() + "/system/console/osgimon"))
                .header("Authorization", auth).build();
        Waits.until("the osgimon tab in Karaf's Web Console", Duration.ofSeconds(60),
                () -> http.send(tab, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        HttpResponse<String> r = http.send(tab, HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).as("the console frames our page").contains("id=\"sources\"").contains("/system/console/res/");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(tab.uri()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("the console's own authentication applies").isEqualTo(401);
    }

    @Test
    @Order(5)
    void logLevelsOverTcpLeaveKarafsLoggingConfigurationIntact() {
        int port = karaf.port("OSGIMON_COMMAND_PORT");
        Map<String, String> pidBefore = pid();
        assertThat(pidBefore).containsKey("log4j2.appender.rolling.fileName");

        assertThat(Tcp.command(port, "L*:debug")).isEqualTo("ok\n");
        Waits.until("root at debug in Karaf", Duration.ofSeconds(15),
                () -> karaf.console("log:get ROOT").strip().equalsIgnoreCase("DEBUG"));
        assertThat(Tcp.command(port, "l")).startsWith("ok: *:debug");
        Waits.until("Karaf writes the level back to etc/" + LOGGING_CFG, Duration.ofSeconds(15),
                () -> "DEBUG".equalsIgnoreCase(karaf.etc(LOGGING_CFG).getProperty("log4j2.rootLogger.level", "").strip()));

        assertThat(Tcp.command(port, "L*:info")).isEqualTo("ok\n");
        Waits.until("root at info in Karaf", Duration.ofSeconds(15),
                () -> karaf.console("log:get ROOT").strip().equalsIgnoreCase("INFO"));
        assertThat(Tcp.command(port, "l")).startsWith("ok: *:info");

        // the PID: every key Karaf had is still there; only levels may differ, and they are at info
        Map<String, String> pidAfter = pid();
        assertThat(pidAfter.keySet()).containsAll(pidBefore.keySet());
        assertThat(withoutLevels(pidAfter, pidBefore.keySet())).isEqualTo(withoutLevels(pidBefore, pidBefore.keySet()));
        assertThat(pidAfter.get("log4j2.rootLogger.level")).isEqualToIgnoringCase("INFO");

        // the file Karaf keeps the PID in: appenders and logger entries as they were
        Waits.until("Karaf writes the level back to etc/" + LOGGING_CFG, Duration.ofSeconds(15),
                () -> "INFO".equalsIgnoreCase(karaf.etc(LOGGING_CFG).getProperty("log4j2.rootLogger.level", "").strip()));
        Properties fileAfter = karaf.etc(LOGGING_CFG);
        for (String key : loggingBefore.stringPropertyNames()) {
            assertThat(fileAfter.getProperty(key)).as(LOGGING_CFG + " " + key).isNotNull();
            if (!key.endsWith(".level")) {
                assertThat(fileAfter.getProperty(key)).as(LOGGING_CFG + " " + key).isEqualTo(loggingBefore.getProperty(key));
            }
        }

        // and the file appender still writes
        String marker = "osgimon-karaf-itest-" + System.nanoTime();
        karaf.console("log:log " + marker);
        Waits.until("marker in karaf.log", Duration.ofSeconds(15), () -> karaf.logText().contains(marker));
        assertThat(karaf.logText()).as("no osgimon error in karaf.log")
                .doesNotContainPattern("\\| ERROR \\|[^\\n]*dev\\.osgimon");
    }

    @Test
    @Order(5)
    void expiringLevelsComeBackInKarafAndLeaveItsConfigurationFileAsItWas() {
        int port = karaf.port("OSGIMON_COMMAND_PORT");
        assertThat(karaf.console("monitoring:L \"org.foo:debug@15s,org.bar:trace@2s\"")).isEqualTo("ok\n");
        assertThat(Tcp.command(port, "lorg.foo,org.bar")).matches("ok: org\\.foo:debug@1[0-5]s,org\\.bar:trace@[12]s\n");
        Waits.until("org.bar back", Duration.ofSeconds(30), () -> Tcp.command(port, "lorg.bar").equals("ok: org.bar:info\n"));
        // Karaf writes the PID back to its file: the due time travels with the level, so a restart cannot keep it
        Waits.until("the due time of org.foo in etc/" + LOGGING_CFG, Duration.ofSeconds(15), () -> karaf.etc(LOGGING_CFG)
                .values().stream().anyMatch(v -> v.toString().startsWith("org.foo DEBUG - ")));
        Waits.until("org.foo back", Duration.ofSeconds(30), () -> Tcp.command(port, "lorg.foo").equals("ok: org.foo:info\n"));
        Waits.until("etc/" + LOGGING_CFG + " without org.foo, org.bar and their due times", Duration.ofSeconds(15), () -> {
            Properties file = karaf.etc(LOGGING_CFG);
            return file.values().stream().noneMatch(v -> v.toString().contains("org.foo") || v.toString().contains("org.bar"));
        });
    }

    @Test
    @Order(6)
    void httpTargetThroughTheInfluxDbHttpBundle() {
        String out = karaf.console(
                "config:edit dev.osgimon.core",
                "config:property-set target http://127.0.0.1:" + questdb.httpPort(),
                "config:property-set hostname karaf-http",
                "config:update");
        assertThat(out).doesNotContainIgnoringCase("error");
        Waits.until("rows sent over HTTP (v2 API, influxdb-client-java) with vm=karaf-http", Duration.ofSeconds(60),
                () -> questdb.number("select count() from osgimon where vm = 'karaf-http' and target = 'http'") >= 2);
        assertThat(questdb.number("select max(write_errors) from osgimon where vm = 'karaf-http'")).isZero();
    }

    @Test
    @Order(7)
    void otlpTargetThroughTheOtlpFeature() throws IOException {
        assertThat(karaf.console("feature:install osgimon-otlp")).as("feature:install osgimon-otlp")
                .doesNotContainIgnoringCase("error");
        try (OtlpReceiver otlp = new OtlpReceiver()) {
            String out = karaf.console(
                    "config:edit dev.osgimon.core",
                    "config:property-set target otlp+http://127.0.0.1:" + otlp.port(),
                    "config:property-set hostname karaf-otlp",
                    "config:update");
            assertThat(out).doesNotContainIgnoringCase("error");
            Waits.until("OTLP metrics from karaf-otlp, decoded by the official classes", Duration.ofSeconds(60),
                    () -> otlp.delivered().stream().flatMap(r -> r.body().getResourceMetricsList().stream())
                            .anyMatch(rm -> "karaf-otlp".equals(OtlpReceiver.attribute(rm.getResource().getAttributesList(),
                                    "host.name")) && rm.getScopeMetrics(0).getMetricsList().stream()
                                            .anyMatch(m -> m.getName().equals("osgimon.cycles"))));
            assertThat(otlp.errors()).as("bodies that did not decode").isEmpty();
            assertThat(otlp.delivered()).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/metrics"));
        }
    }

    /** The PID org.ops4j.pax.logging as the Karaf console shows it (interpolated). */
    private static Map<String, String> pid() {
        String out = karaf.console("config:property-list --pid org.ops4j.pax.logging");
        return out.lines().map(String::strip).filter(l -> l.contains(" = "))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(" = ")), l -> l.substring(l.indexOf(" = ") + 3),
                        (a, b) -> b, TreeMap::new));
    }

    private static Map<String, String> withoutLevels(Map<String, String> props, Set<String> keys) {
        return props.entrySet().stream().filter(e -> keys.contains(e.getKey()) && !e.getKey().endsWith(".level"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b, TreeMap::new));
    }

    /** Symbolic name to state, from {@code bundle:list -t 0 -s}. */
    private static Map<String, String> bundleStates() {
        String out = karaf.console("bundle:list -t 0 -s");
        return out.lines().filter(l -> l.matches("\\s*\\d+\\s*\\|.*")).map(l -> l.split("\\|"))
                .filter(cols -> cols.length >= 5)
                .collect(Collectors.toMap(cols -> cols[cols.length - 1].strip(), cols -> cols[1].strip(), (a, b) -> a + "," + b,
                        TreeMap::new));
    }

    /** A GET to a path nobody serves: pax-web answers 404. */
    private static void notFound(HttpClient http) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + karaf.httpPort() + "/osgimon-itest")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
    }
}
