package dev.osgimon.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of metric points, collected by the osgimon core every interval while it is enabled.
 *
 * <p>Register an implementation as an OSGi service with the properties {@link #NAME} (unique,
 * matching {@link #NAME_PATTERN}) and {@link #TAGS} (labels such as {@code memory}, {@code net},
 * {@code http}); with Declarative Services use {@link MetricSourceProperties}:
 *
 * <pre>{@code
 * @Component
 * @MetricSourceProperties(name = "memory", tags = {"memory", "jvm"})
 * public class MemorySource implements MetricSource {
 *     public void declare(Declarations d) {
 *         d.gauge("jvm_memory", "used", "By", "Memory in use").gauge("jvm_memory", "max", "By", "Most memory usable");
 *     }
 *     public void collect(PointWriter out) {
 *         out.point("jvm_memory").tag("area", "heap").field("used", used).field("max", max);
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #collect(PointWriter)} is called from one collector thread at a time. It should
 * return quickly (well below the interval): a source that throws is logged, counted and skipped
 * for that cycle; a source that overruns its time budget has its points discarded and is
 * counted. A disabled source is not called at all.
 */
@ConsumerType
public interface MetricSource {

    /** Service property: the unique source name, e.g. {@code memory}. */
    String NAME = "osgimon.source.name";

    /** Service property: the source's tags, a {@code String[]} such as {@code {"memory", "jvm"}}. */
    String TAGS = "osgimon.source.tags";

    /** The form a source name and a tag must have. */
    String NAME_PATTERN = "[a-z0-9][a-z0-9._-]*";

    /**
     * Writes this cycle's points. The writer is only valid during this call; do not keep it.
     *
     * @param out where the points go; the cycle's timestamp and the global tags are added by the core
     * @throws Exception any failure: the core logs it, counts it and goes on with the other sources
     */
    void collect(PointWriter out) throws Exception;

    /**
     * Declares what this source's fields mean: kind, unit, description. Called by the core when it
     * binds the source (before it is listed, collected or found in the catalog), and again whenever
     * the source's service properties are modified ({@code ServiceRegistration.setProperties}); never
     * per cycle. It must only name metrics and return at once. The default declares nothing, so every
     * field is a gauge without unit.
     *
     * <p>Each call replaces, whole, what the source declared before. A source that learns of new
     * metrics while it runs changes one of its service properties (a counter of its own, say), on a
     * thread of its own: this is called again on that thread, and when {@code setProperties} returns
     * the catalog shows the new declarations and cycles from then on resolve the fields with them.
     * The source keeps its place, its rules and its counters, and no cycle misses it. A cycle that runs
     * while this is called may still resolve the source's fields with the declarations before. A
     * change of {@link #NAME} or {@link #TAGS} lists the source anew, as an unregistration and a
     * registration would.
     *
     * @param declarations where to declare
     * @since 1.2
     */
    default void declare(Declarations declarations) {
    }
}
