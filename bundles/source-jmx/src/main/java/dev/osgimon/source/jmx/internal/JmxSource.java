package dev.osgimon.source.jmx.internal;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.Descriptor;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenMBeanAttributeInfo;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.Declarations;
import dev.osgimon.api.MetricSource;
import dev.osgimon.api.PointWriter;

/**
 * Metric source {@code jmx} (tag {@code jmx}): the numeric and boolean attributes of the MBeans of
 * the platform MBean server chosen by the {@code beans} patterns, one point per MBean. The naming
 * rule is {@link Names}'s; the pattern syntax is {@link BeanPattern}'s; both are documented in
 * {@code docs/app-metrics.md}.
 *
 * <p>Cost: the patterns are resolved to MBeans (one {@code queryNames} per pattern and one
 * {@code getMBeanInfo} per MBean) when the source starts and again only after the
 * {@link MBeanServerDelegate} announced the registration or unregistration of an MBean matching a
 * pattern. A cycle makes one {@code getAttributes} call per MBean, except for the platform MXBeans
 * of the platform MBean server whose chosen attributes are all numbers, booleans or strings: those are read
 * through their management interface's getters ({@link PlatformGetters}), which give the same
 * values without the MBean server's reflection. The attributes the {@code sampled} patterns name
 * are read only every {@code samplePeriod} seconds; in the cycles between, their last values are
 * written again (documented in {@code docs/app-metrics.md}).
 *
 * <p>Failures are counted, logged once per MBean at warn (later at debug) and skipped, never fatal:
 * an MBean that vanished, whose {@code getAttributes} threw, or that left out an attribute asked for
 * (a standard MBean leaves out an attribute whose getter threw) counts one in
 * {@code jmx_source.errors}; its other attributes are still written.
 *
 * <p>Kinds and units: an attribute whose {@link Descriptor} has {@code metricType} {@code counter} or
 * {@code gauge} and/or {@code units} is declared so (a composite's members take their attribute's);
 * the other fields of a measurement are declared gauges without unit. Each resolve makes the
 * declarations of the MBeans it found ({@link Declared}); {@link #declare} hands the core those of
 * the last resolve. When a resolve changed them (an MBean registered later brought a measurement or
 * a descriptor not declared yet, the last MBean of a measurement left, or a new configuration), the
 * cycle asks for another declare call through the {@code redeclare} callback it was given (the
 * component's {@link dev.osgimon.sourcekit.internal.Registrar}, which has the core declare the
 * source again on a thread of its own): at most one request a cycle, however many MBeans came or
 * went, repeated at the following cycles until the core has taken them. The points of a measurement
 * whose declarations changed are written from the first cycle after the core took them, so that no
 * field is written under a meaning it does not have; the other measurements are written as before.
 * Before its first declare call the source writes every MBean found.
 *
 * <p>Threads: {@link #collect} and the resolves run on the collector thread (the constructor's on
 * the activating one) under the source's lock; {@link #declare} takes no lock (it reads the last
 * resolve's declarations, immutable), so a cycle never waits for the core's declaring and the core
 * never waits for a cycle; the MBean server's notifications only mark the patterns to be resolved
 * again.
 */
public final class JmxSource implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(JmxSource.class);
    private static final String SELF = "jmx_source";
    private static final int MAX_DEPTH = 4;
    private static final int MAX_WARNED = 1000;
    /** A sampled read is due this much before its period is over: the cycle's own timing jitter. */
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final Set<String> WRITABLE_TYPES = Set.of(
            "int", "long", "short", "byte", "double", "float", "boolean",
            Integer.class.getName(), Long.class.getName(), Short.class.getName(), Byte.class.getName(),
            Double.class.getName(), Float.class.getName(), Boolean.class.getName(),
            BigInteger.class.getName(), BigDecimal.class.getName(),
            CompositeData.class.getName(), TabularData.class.getName());

    /** Marks plans whose {@link Plan#declared} flags are not set yet. */
    private static final Declared UNMARKED = Declared.of(Map.of(), Set.of());

    private final MBeanServer server;
    private final LongSupplier clock;
    private final Runnable redeclare;
    private volatile List<BeanPattern> patterns;
    private volatile List<BeanPattern> sampled;
    private volatile int maxSeries;
    private volatile long samplePeriodNanos;
    private final NotificationListener listener = this::handle;

    private volatile boolean dirty = true;
    private List<Plan> plans = List.of();
    /** The declarations of {@link #plans}: written under the lock, read by {@link #declare} without. */
    private volatile Declared resolved = Declared.NONE;
    /** The declarations the core took at the last {@link #declare} call, null before the first. */
    private volatile Declared taken;
    /** The {@link #taken} the plans' {@link Plan#declared} flags were set for, {@link #UNMARKED} after a resolve. */
    private Declared markedFor = UNMARKED;
    /** How many plans are {@link Plan#declared}. */
    private int writable;
    private final Set<ObjectName> warned = new HashSet<>();
    private final TreeSet<String> keysOfPoint = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    private long errors;
    private long dropped;
    private long resolves;

    /**
     * Starts the source on the platform MBean server with nobody to ask for another declare call
     * (a measurement whose declarations change after the first declare call is then not written):
     * for measuring it outside a framework. {@link JmxComponent} is the source the framework runs.
     *
     * @param config its configuration
     * @throws IllegalArgumentException if a pattern or {@code maxSeries} is malformed (the source is then not started)
     */
    public JmxSource(JmxConfig config) {
        this(ManagementFactory.getPlatformMBeanServer(), config, System::nanoTime, () -> { });
    }

    /**
     * Starts the source: resolves the patterns and listens to the MBean server's registrations.
     *
     * @param server the MBean server
     * @param config its configuration
     * @param clock the time in nanoseconds, as {@link System#nanoTime()}, for {@code samplePeriod}
     * @param redeclare asks the core for another {@link #declare} call; must return at once (called by the collector thread)
     * @throws IllegalArgumentException if a pattern or {@code maxSeries} is malformed (nothing is then started)
     */
    JmxSource(MBeanServer server, JmxConfig config, LongSupplier clock, Runnable redeclare) {
        this.patterns = validate(config);
        this.sampled = BeanPattern.parseAll(config.sampled(), "sampled");
        this.maxSeries = config.maxSeries();
        this.samplePeriodNanos = TimeUnit.SECONDS.toNanos(config.samplePeriod());
        this.server = server;
        this.clock = clock;
        this.redeclare = redeclare;
        try {
            server.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
        } catch (InstanceNotFoundException e) {
            throw new IllegalStateException("the MBean server has no delegate", e);
        }
        synchronized (this) {
            resolve();
        }
    }

    /**
     * Takes a new configuration; the patterns are resolved again at the next cycle. A bad one is
     * refused (logged by SCR as an error) and the previous one stays in force.
     *
     * @param config the new configuration
     * @throws IllegalArgumentException if a pattern or {@code maxSeries} is malformed
     */
    synchronized void modified(JmxConfig config) {
        List<BeanPattern> next = validate(config);
        List<BeanPattern> nextSampled = BeanPattern.parseAll(config.sampled(), "sampled");
        patterns = next;
        sampled = nextSampled;
        maxSeries = config.maxSeries();
        samplePeriodNanos = TimeUnit.SECONDS.toNanos(config.samplePeriod());
        dirty = true;
    }

    private static List<BeanPattern> validate(JmxConfig config) {
        if (config.maxSeries() < 0) {
            throw new IllegalArgumentException("maxSeries must not be negative, was " + config.maxSeries());
        }
        if (config.samplePeriod() < 0) {
            throw new IllegalArgumentException("samplePeriod must not be negative, was " + config.samplePeriod());
        }
        BeanPattern.parseAll(config.sampled(), "sampled");
        return BeanPattern.parseAll(config.beans(), "beans");
    }

    /** @return the MBeans of the current plans read through their platform MXBean getters (for tests) */
    synchronized List<ObjectName> directlyRead() {
        List<ObjectName> out = new ArrayList<>();
        for (Plan p : plans) {
            if (p.target != null) {
                out.add(p.name);
            }
        }
        return out;
    }

    /** Stops listening to the MBean server (removes the listener). */
    void close() {
        try {
            server.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener);
        } catch (JMException e) {
            LOG.debug("JMX listener already gone", e);
        }
    }

    private void handle(Notification n, Object handback) {
        if (n instanceof MBeanServerNotification && !dirty) {
            ObjectName name = ((MBeanServerNotification) n).getMBeanName();
            for (BeanPattern p : patterns) {
                if (p.pattern().apply(name)) {
                    dirty = true;
                    return;
                }
            }
        }
    }

    /** Declares the self metrics and the declarations of the last resolve; takes no lock. */
    @Override
    public void declare(Declarations d) {
        Declared now = resolved;
        d.gauge(SELF, "mbeans", "{mbean}", "MBeans the patterns match")
                .gauge(SELF, "series", "{series}", "Points (one per MBean) written by the last cycle")
                .counter(SELF, "series_dropped", "{series}", "MBeans left out because the cycle had maxSeries points, since the source started")
                .counter(SELF, "errors", "{error}", "MBeans that vanished, threw or left out an attribute, since the source started")
                .counter(SELF, "resolves", "{resolve}", "Times the patterns were resolved to MBeans, since the source started");
        now.declareTo(d);
        taken = now;
    }

    @Override
    public synchronized void collect(PointWriter out) {
        if (dirty) {
            resolve();
        }
        Declared core = taken;
        if (core != null && core != resolved) {
            redeclare.run();
        }
        if (markedFor != core) {
            mark(core);
        }
        int written = 0;
        int max = maxSeries;
        long now = clock.getAsLong();
        long period = samplePeriodNanos;
        for (Plan p : plans) {
            if (!p.declared) {
                continue;
            }
            if (written == max) {
                dropped += writable - written;
                break;
            }
            boolean sample = p.hasSampled && (!p.sampledOnce || now - p.sampledAt >= period - SLACK_NANOS);
            if (write(out, p, sample, now)) {
                written++;
            }
        }
        out.point(SELF).field("mbeans", plans.size()).field("series", written).field("series_dropped", dropped)
                .field("errors", errors).field("resolves", resolves);
    }

    /**
     * Sets which plans are written: those whose measurement the core has taken as the last resolve
     * declares it (all of them before the first declare call).
     *
     * @param core what the core took, null if it took nothing yet
     */
    private void mark(Declared core) {
        Declared now = resolved;
        int n = 0;
        for (Plan p : plans) {
            p.declared = core == null || core == now || now.sameFor(core, p.measurement);
            if (p.declared) {
                n++;
            }
        }
        writable = n;
        markedFor = core;
    }

    /**
     * Reads one MBean (its sampled attributes too if {@code sample}) and writes its point.
     *
     * @return whether a point was started for the MBean
     */
    private boolean write(PointWriter out, Plan p, boolean sample, long now) {
        int missing = p.target != null ? readDirect(p, sample) : readServer(p, sample);
        if (missing < 0) {
            return false;
        }
        if (sample && sampledAllRead(p)) {
            p.sampledAt = now;
            p.sampledOnce = true;
        }
        if (missing > 0) {
            failed(p.name, "left out " + missing + " of the attributes " + String.join(",", sample ? p.attributes : p.everyCycle), null);
        }
        try {
            out.point(p.measurement);
            for (int i = 0; i < p.tagKeys.length; i++) {
                out.tag(p.tagKeys[i], p.tagValues[i]);
            }
            // Keys of plain values are known distinct (Plan.distinctKeys): the keys written are only
            // tracked once a composite or tabular value brings keys of its own.
            boolean tracked = !p.distinctKeys;
            if (tracked) {
                track(p, 0);
            }
            for (int i = 0; i < p.attributes.length; i++) {
                Object v = p.values[i];
                if (v == Plan.MISSING) {
                    continue;
                }
                if (!tracked) {
                    if (v instanceof Number || v instanceof Boolean) {
                        scalar(out, p.fieldKeys[i], v);
                        continue;
                    }
                    if (!(v instanceof CompositeData) && !(v instanceof TabularData)) {
                        continue;
                    }
                    tracked = true;
                    track(p, i);
                }
                value(out, p.fieldKeys[i], v, 0);
            }
            return true;
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            failed(p.name, "could not be written", e);
            return true;
        }
    }

    /** @return whether every sampled attribute was returned; if not, they are read again at the next cycle */
    private static boolean sampledAllRead(Plan p) {
        for (int i = 0; i < p.attributes.length; i++) {
            if (p.sampled[i] && p.values[i] == Plan.MISSING) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the attributes due through the MBean server into {@code p.values}, in one
     * {@code getAttributes} call.
     *
     * @return how many attributes asked for were not returned, -1 if the MBean vanished or the call threw
     */
    private int readServer(Plan p, boolean sample) {
        String[] names = sample ? p.attributes : p.everyCycle;
        if (names.length == 0) {
            return 0;
        }
        AttributeList values;
        try {
            values = server.getAttributes(p.name, names);
        } catch (InstanceNotFoundException e) {
            dirty = true;
            failed(p.name, "vanished", e);
            return -1;
        } catch (JMException | RuntimeException e) {
            failed(p.name, "threw", e);
            return -1;
        }
        for (int i = 0; i < p.attributes.length; i++) {
            if (sample || !p.sampled[i]) {
                p.values[i] = Plan.MISSING;
            }
        }
        int a = 0;
        int found = 0;
        for (Object o : values) {
            if (!(o instanceof Attribute)) {
                continue;
            }
            Attribute attr = (Attribute) o;
            int at = index(p, attr.getName(), a);
            if (at >= 0 && (sample || !p.sampled[at])) {
                p.values[at] = attr.getValue();
                a = at + 1;
                found++;
            }
        }
        return names.length - found;
    }

    /** @return the index of the attribute, looked for from {@code from} on first, -1 if not asked for */
    private static int index(Plan p, String name, int from) {
        for (int i = from; i < p.attributes.length; i++) {
            if (p.attributes[i].equals(name)) {
                return i;
            }
        }
        for (int i = 0; i < from && i < p.attributes.length; i++) {
            if (p.attributes[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads the attributes due of a platform MXBean through its getters into {@code p.values}. A
     * getter that throws leaves its attribute out, as the MBean server's {@code getAttributes} does.
     *
     * @return how many attributes due could not be read
     */
    private int readDirect(Plan p, boolean sample) {
        int missing = 0;
        for (int i = 0; i < p.attributes.length; i++) {
            if (sample || !p.sampled[i]) {
                try {
                    p.values[i] = p.getters[i].get(p.target);
                } catch (Exception e) {
                    p.values[i] = Plan.MISSING;
                    missing++;
                    LOG.debug("JMX source: {}.{} threw", p.name, p.attributes[i], e);
                }
            }
        }
        return missing;
    }

    /** Starts tracking the keys of the point: its tags and the plain fields written before attribute {@code upTo}. */
    private void track(Plan p, int upTo) {
        keysOfPoint.clear();
        Collections.addAll(keysOfPoint, p.tagKeys);
        for (int j = 0; j < upTo; j++) {
            if (p.values[j] instanceof Number || p.values[j] instanceof Boolean) {
                keysOfPoint.add(p.fieldKeys[j]);
            }
        }
    }

    /** Writes a number or boolean. */
    private static void scalar(PointWriter out, String key, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.field(key, ((Number) v).longValue());
        } else if (v instanceof BigInteger && ((BigInteger) v).bitLength() < 64) {
            out.field(key, ((BigInteger) v).longValue());
        } else if (v instanceof Number) {
            out.field(key, ((Number) v).doubleValue());
        } else {
            out.field(key, ((Boolean) v).booleanValue());
        }
    }

    private void value(PointWriter out, String key, Object v, int depth) {
        if (v instanceof Number || v instanceof Boolean) {
            if (keysOfPoint.add(key)) {
                scalar(out, key, v);
            }
        } else if (v instanceof CompositeData && depth < MAX_DEPTH) {
            CompositeData c = (CompositeData) v;
            for (String member : c.getCompositeType().keySet()) {
                value(out, key + "_" + Names.key(member), c.get(member), depth + 1);
            }
        } else if (v instanceof TabularData) {
            String rows = key + "_rows";
            if (keysOfPoint.add(rows)) {
                out.field(rows, ((TabularData) v).size());
            }
        }
    }

    private void failed(ObjectName name, String what, Exception e) {
        errors++;
        if (warned.size() < MAX_WARNED && warned.add(name)) {
            LOG.warn("JMX source: MBean {} {}; counted in jmx_source.errors, skipped (further failures of it at debug)", name, what, e);
        } else {
            LOG.debug("JMX source: MBean {} {}", name, what, e);
        }
    }

    /** Resolves the patterns to MBeans and makes their plans and declarations. */
    private void resolve() {
        dirty = false;
        resolves++;
        List<BeanPattern> patterns = this.patterns;
        List<BeanPattern> sampledPatterns = this.sampled;
        Map<ObjectName, LinkedHashSet<String>> chosen = new LinkedHashMap<>();
        Map<ObjectName, Map<String, MBeanAttributeInfo>> infos = new HashMap<>();
        Map<ObjectName, MBeanInfo> mbeanInfos = new HashMap<>();
        for (BeanPattern bp : patterns) {
            for (ObjectName name : new TreeSet<>(server.queryNames(bp.pattern(), null))) {
                Map<String, MBeanAttributeInfo> info = infos.get(name);
                if (info == null) {
                    MBeanInfo mbeanInfo = mbeanInfo(name);
                    if (mbeanInfo == null) {
                        continue;
                    }
                    info = new LinkedHashMap<>();
                    for (MBeanAttributeInfo a : mbeanInfo.getAttributes()) {
                        info.put(a.getName(), a);
                    }
                    infos.put(name, info);
                    mbeanInfos.put(name, mbeanInfo);
                }
                LinkedHashSet<String> attrs = chosen.computeIfAbsent(name, k -> new LinkedHashSet<>());
                if (bp.all()) {
                    for (MBeanAttributeInfo a : info.values()) {
                        if (a.isReadable() && WRITABLE_TYPES.contains(a.getType())) {
                            attrs.add(a.getName());
                        }
                    }
                } else {
                    for (String a : bp.attributes()) {
                        MBeanAttributeInfo ai = info.get(a);
                        if (ai != null && ai.isReadable()) {
                            attrs.add(a);
                        } else if (warned.size() < MAX_WARNED && warned.add(name)) {
                            LOG.info("JMX source: MBean {} has no readable attribute {}; left out", name, a);
                        }
                    }
                }
            }
        }
        List<Plan> next = new ArrayList<>();
        Map<String, Map<String, Declared.Meaning>> decl = new TreeMap<>();
        Set<String> open = new TreeSet<>();
        for (Map.Entry<ObjectName, LinkedHashSet<String>> e : chosen.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            ObjectName name = e.getKey();
            String measurement = Names.measurement(name);
            TreeMap<String, String> tags = new TreeMap<>();
            for (Map.Entry<String, String> kp : name.getKeyPropertyList().entrySet()) {
                if (!kp.getKey().equals("type")) {
                    tags.put(Names.key(kp.getKey()), Names.unquote(kp.getValue()));
                }
            }
            String[] attributes = e.getValue().toArray(new String[0]);
            String[] fieldKeys = new String[attributes.length];
            for (int i = 0; i < attributes.length; i++) {
                fieldKeys[i] = Names.key(attributes[i]);
                if (!declare(decl, measurement, fieldKeys[i], infos.get(name).get(attributes[i]))) {
                    open.add(measurement);
                }
            }
            boolean[] isSampled = new boolean[attributes.length];
            for (BeanPattern sp : sampledPatterns) {
                if (sp.pattern().apply(name)) {
                    for (int i = 0; i < attributes.length; i++) {
                        isSampled[i] |= sp.all() || sp.attributes().contains(attributes[i]);
                    }
                }
            }
            PlatformGetters.Direct direct = PlatformGetters.find(server, name, mbeanInfos.get(name), attributes);
            next.add(new Plan(name, measurement, tags.keySet().toArray(new String[0]), tags.values().toArray(new String[0]),
                    attributes, fieldKeys, isSampled, direct == null ? null : direct.target(), direct == null ? null : direct.getters()));
        }
        plans = List.copyOf(next);
        Declared made = Declared.of(decl, open);
        Declared core = taken;
        // the same declarations as before: the same object, so that a cycle sees at once there is nothing to ask
        resolved = made.equals(core) ? core : made.equals(resolved) ? resolved : made;
        markedFor = UNMARKED;
        LOG.debug("JMX source: {} patterns resolved to {} MBeans", patterns.size(), plans.size());
    }

    /** @return the MBean's info, null if it vanished or could not be read */
    private MBeanInfo mbeanInfo(ObjectName name) {
        try {
            return server.getMBeanInfo(name);
        } catch (InstanceNotFoundException e) {
            return null;
        } catch (JMException | RuntimeException e) {
            failed(name, "has no readable MBeanInfo", e);
            return null;
        }
    }

    /**
     * Declares the fields of one attribute from its descriptor's {@code metricType} and {@code units}.
     *
     * @return whether every field of the attribute is declared by name
     */
    private static boolean declare(Map<String, Map<String, Declared.Meaning>> decl, String measurement, String key, MBeanAttributeInfo info) {
        Descriptor d = info.getDescriptor();
        Object metricType = d == null ? null : d.getFieldValue("metricType");
        Object units = d == null ? null : d.getFieldValue("units");
        if (metricType == null && units == null) {
            return false;
        }
        boolean counter = metricType != null && metricType.toString().equalsIgnoreCase("counter");
        String unit = Names.unit(units == null ? null : units.toString());
        OpenType<?> type = openType(info, d);
        String description = info.getDescription() == null || info.getDescription().isBlank()
                ? "JMX attribute " + info.getName() : info.getDescription();
        Map<String, Declared.Meaning> fields = decl.computeIfAbsent(measurement, k -> new TreeMap<>());
        if (type instanceof CompositeType || type instanceof TabularType) {
            List<String> keys = new ArrayList<>();
            members(keys, key, type, 0);
            for (String k : keys) {
                boolean rows = k.endsWith("_rows") && type instanceof TabularType;
                fields.putIfAbsent(k, new Declared.Meaning(!rows && counter, rows ? "{row}" : unit, description));
            }
            return true;
        }
        if (type != null && !(type instanceof SimpleType)) {
            return false;
        }
        if (type == null && !WRITABLE_TYPES.contains(info.getType())) {
            return false;
        }
        if (CompositeData.class.getName().equals(info.getType()) || TabularData.class.getName().equals(info.getType())) {
            return false;
        }
        fields.putIfAbsent(key, new Declared.Meaning(counter, unit, description));
        return true;
    }

    private static OpenType<?> openType(MBeanAttributeInfo info, Descriptor d) {
        if (info instanceof OpenMBeanAttributeInfo) {
            return ((OpenMBeanAttributeInfo) info).getOpenType();
        }
        Object t = d.getFieldValue("openType");
        return t instanceof OpenType ? (OpenType<?>) t : null;
    }

    private static void members(List<String> out, String key, OpenType<?> type, int depth) {
        if (type instanceof CompositeType && depth < MAX_DEPTH) {
            CompositeType c = (CompositeType) type;
            for (String m : c.keySet()) {
                members(out, key + "_" + Names.key(m), c.getType(m), depth + 1);
            }
        } else if (type instanceof TabularType) {
            out.add(key + "_rows");
        } else if (type instanceof SimpleType && WRITABLE_TYPES.contains(type.getClassName())) {
            out.add(key);
        }
    }
}
