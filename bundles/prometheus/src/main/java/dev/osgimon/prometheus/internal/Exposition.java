package dev.osgimon.prometheus.internal;

import java.util.List;

import dev.osgimon.api.model.Kind;

/**
 * Renders families as Prometheus text 0.0.4 or OpenMetrics 1.0.0: metadata lines, then the samples
 * of each family together, no timestamps. It writes into one scratch buffer, kept from one rendering
 * to the next (so its size is that of the largest rendering), and hands out an exact copy: a
 * rendering allocates its result and the text of non-integral doubles, nothing else.
 */
final class Exposition {

    private final ByteSink scratch = new ByteSink(4096);

    /**
     * Renders.
     *
     * @param families the families, each name once, samples of a family contiguous
     * @param format the format
     * @return the bytes, UTF-8
     */
    synchronized byte[] render(List<Family> families, Format format) {
        scratch.reset();
        write(families, format, scratch);
        return scratch.toByteArray();
    }

    private static void write(List<Family> families, Format format, ByteSink out) {
        boolean om = format == Format.OPENMETRICS;
        for (Family f : families) {
            metadata(out, f, om);
            String name = f.name();
            switch (f.kind()) {
                case COUNTER:
                    for (Series s : f.series()) {
                        out.text(name).text("_total");
                        labels(out, s, null);
                        value(out, s);
                    }
                    break;
                case HISTOGRAM:
                    for (Series s : f.series()) {
                        for (int b = 0; b < s.le.length; b++) {
                            out.text(name).text("_bucket");
                            labels(out, s, s.le[b]);
                            out.ascii(' ').decimal(s.cumulative[b]).ascii('\n');
                        }
                        out.text(name).text("_sum");
                        labels(out, s, null);
                        out.ascii(' ').number(s.sum).ascii('\n');
                        out.text(name).text("_count");
                        labels(out, s, null);
                        out.ascii(' ').decimal(s.count).ascii('\n');
                    }
                    break;
                default:
                    for (Series s : f.series()) {
                        out.text(name);
                        labels(out, s, null);
                        value(out, s);
                    }
            }
        }
        if (om) {
            out.text("# EOF\n");
        }
    }

    private static void metadata(ByteSink out, Family f, boolean om) {
        String type = f.kind() == Kind.COUNTER ? "counter" : f.kind() == Kind.HISTOGRAM ? "histogram" : "gauge";
        // text 0.0.4 names a counter family by its sample name; OpenMetrics by the name without _total
        boolean suffixed = !om && f.kind() == Kind.COUNTER;
        if (!f.help().isEmpty()) {
            out.text("# HELP ").text(f.name());
            if (suffixed) {
                out.text("_total");
            }
            out.ascii(' ').escaped(f.help(), om).ascii('\n');
        }
        out.text("# TYPE ").text(f.name());
        if (suffixed) {
            out.text("_total");
        }
        out.ascii(' ').text(type).ascii('\n');
        if (om && !f.unit().isEmpty()) {
            out.text("# UNIT ").text(f.name()).ascii(' ').text(f.unit()).ascii('\n');
        }
    }

    private static void labels(ByteSink out, Series s, String le) {
        int n = s.labelNames.length;
        if (n == 0 && le == null) {
            return;
        }
        out.ascii('{');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.ascii(',');
            }
            out.text(s.labelNames[i]).ascii('=').ascii('"').escaped(s.labelValues[i], true).ascii('"');
        }
        if (le != null) {
            if (n > 0) {
                out.ascii(',');
            }
            out.text("le=\"").text(le).ascii('"');
        }
        out.ascii('}');
    }

    private static void value(ByteSink out, Series s) {
        out.ascii(' ');
        switch (s.type) {
            case Series.UNSIGNED:
                out.unsigned(s.bits);
                break;
            case Series.DOUBLE:
                out.number(Double.longBitsToDouble(s.bits));
                break;
            default:
                out.decimal(s.bits);
        }
        out.ascii('\n');
    }
}
