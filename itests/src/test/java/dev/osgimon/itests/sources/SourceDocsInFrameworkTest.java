package dev.osgimon.itests.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.itests.support.Waits;

/**
 * {@code docs/sources.md} against the real sources: inside Felix with all seven source bundles (see
 * {@code itests/in-framework.bndrun}), each registered {@link MetricSource} service is asked to
 * {@link MetricSource#declare declare} its fields, and every declaration (measurement, field, kind,
 * unit) must be a row of that source's table in the docs, and every row a declaration.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class SourceDocsInFrameworkTest {

    /** The sources the distribution ships, each with a section {@code ## `name`} in the docs. */
    private static final List<String> SHIPPED = List.of("memory", "net", "http", "osgi", "process", "health", "log");

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern SECTION = Pattern.compile("^## `([a-z0-9._-]+)`");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @InjectBundleContext
    BundleContext context;
    @InjectService
    ConfigurationAdmin cm;

    @TempDir
    Path tmp;

    @Test
    void everyDeclaredFieldIsInTheDocsTableAndEveryDocumentedFieldIsDeclared() throws Exception {
        HelloBundle.serve(context, cm, tmp.resolve("hello.jar"));
        Map<String, MetricSource> sources = new TreeMap<>();
        Waits.until("the seven shipped sources", WAIT, () -> {
            sources.clear();
            for (ServiceReference<MetricSource> ref : context.getServiceReferences(MetricSource.class, null)) {
                Object name = ref.getProperty(MetricSource.NAME);
                MetricSource s = context.getService(ref);
                if (name instanceof String && s != null) {
                    sources.put((String) name, s);
                }
            }
            return sources.keySet().containsAll(SHIPPED);
        });
        Map<String, TreeSet<String>> documented = documented(docs().resolve("sources.md"));
        assertThat(documented.keySet()).as("sections with a kind/unit table").containsAll(SHIPPED);

        List<String> problems = new ArrayList<>();
        for (String name : SHIPPED) {
            TreeSet<String> declared = declared(sources.get(name));
            TreeSet<String> docs = documented.get(name);
            for (String d : declared) {
                if (!docs.contains(d)) {
                    problems.add(name + ": declared, not in the docs: " + d);
                }
            }
            for (String d : docs) {
                if (!declared.contains(d)) {
                    problems.add(name + ": in the docs, not declared: " + d);
                }
            }
            assertThat(declared).as(name + " declares something").isNotEmpty();
        }
        assertThat(problems).isEmpty();
    }

    /** @return the docs folder (the bndrun sets {@code osgimon.root} to the project's root) */
    private Path docs() {
        String root = context.getProperty("osgimon.root");
        Path docs = Path.of(root == null ? "../.." : root).resolve("docs").toAbsolutePath().normalize();
        assertThat(docs.resolve("sources.md")).as("docs/sources.md under osgimon.root").isRegularFile();
        return docs;
    }

    /** @return "measurement field kind unit" per declaration of the source; a histogram has field "–" */
    private static TreeSet<String> declared(MetricSource source) {
        TreeSet<String> out = new TreeSet<>();
        source.declare(new Declarations() {
            @Override
            public Declarations gauge(String measurement, String field, String unit, String description) {
                out.add(row(measurement, field, "gauge", unit));
                return this;
            }

            @Override
            public Declarations counter(String measurement, String field, String unit, String description) {
                out.add(row(measurement, field, "counter", unit));
                return this;
            }

            @Override
            public Declarations histogram(String measurement, String unit, String description) {
                out.add(row(measurement, "–", "histogram", unit));
                return this;
            }
        });
        return out;
    }

    private static String row(String measurement, String field, String kind, String unit) {
        return measurement + " " + field + " " + kind + " " + (unit.isEmpty() ? "–" : unit);
    }

    /**
     * Reads the tables {@code | measurement | tags | field | kind | unit | …} of each section
     * {@code ## `source`}: the measurement is the first code span of its cell, every code span of the
     * field cell is a field ({@code –} for a histogram), the unit is the code span of its cell
     * ({@code –} when empty).
     */
    static Map<String, TreeSet<String>> documented(Path sourcesMd) throws IOException {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        String section = null;
        boolean inTable = false;
        for (String line : Files.readAllLines(sourcesMd)) {
            Matcher h = SECTION.matcher(line);
            if (h.find()) {
                section = h.group(1);
                inTable = false;
                continue;
            }
            if (line.startsWith("## ")) {
                section = null;
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.size() >= 5 && cells.get(0).equals("measurement") && cells.get(2).equals("field")
                    && cells.get(3).equals("kind") && cells.get(4).equals("unit")) {
                inTable = section != null;
                continue;
            }
            if (!inTable || cells.get(0).startsWith("---")) {
                continue;
            }
            Matcher m = CODE.matcher(cells.get(0));
            if (!m.find()) {
                throw new AssertionError("no measurement in the row: " + line);
            }
            String measurement = m.group(1);
            String kind = cells.get(3);
            Matcher u = CODE.matcher(cells.get(4));
            String unit = u.find() ? u.group(1) : "–";
            TreeSet<String> rows = out.computeIfAbsent(section, k -> new TreeSet<>());
            if (kind.equals("histogram")) {
                rows.add(row(measurement, "–", kind, unit));
                continue;
            }
            Matcher f = CODE.matcher(cells.get(2));
            boolean any = false;
            while (f.find()) {
                rows.add(row(measurement, f.group(1), kind, unit));
                any = true;
            }
            if (!any) {
                throw new AssertionError("no field in the row: " + line);
            }
        }
        return out;
    }

    /** The cells of a table row, trimmed; an escaped {@code \|} stays inside its cell. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        return cells;
    }
}
