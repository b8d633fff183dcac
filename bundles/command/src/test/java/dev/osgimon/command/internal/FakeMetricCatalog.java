package dev.osgimon.command.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.osgimon.api.admin.MetricCatalog;
import dev.osgimon.api.model.Kind;
import dev.osgimon.api.model.MetricInfo;

/** A metric catalog holding what a test puts in, in the order given (the processor must sort). */
final class FakeMetricCatalog implements MetricCatalog {

    record Info(String source, String measurement, String field, Kind kind, String unit, String description,
            boolean declared) implements MetricInfo {
    }

    private final List<MetricInfo> metrics = new ArrayList<>();
    private final Set<String> sources = new LinkedHashSet<>();

    FakeMetricCatalog source(String name) {
        sources.add(name);
        return this;
    }

    FakeMetricCatalog add(String source, String measurement, String field, Kind kind, String unit, String description) {
        sources.add(source);
        metrics.add(new Info(source, measurement, field, kind, unit, description, true));
        return this;
    }

    @Override
    public List<MetricInfo> metrics() {
        return List.copyOf(metrics);
    }

    @Override
    public List<MetricInfo> metrics(String source) {
        if (!sources.contains(source)) {
            throw new IllegalArgumentException("no source " + source);
        }
        return metrics.stream().filter(m -> m.source().equals(source)).toList();
    }
}
