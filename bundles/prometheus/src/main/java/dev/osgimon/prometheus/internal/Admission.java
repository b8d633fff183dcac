package dev.osgimon.prometheus.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.osgimon.api.model.Cycle;
import dev.osgimon.api.model.Kind;

/**
 * Which series of a cycle Prometheus may be given, for the scrape endpoint and remote write alike
 * (the table in {@code docs/prometheus.md}): the first series of a cycle to take a family name fixes
 * its kind and unit, and a later series is refused when
 * <ul>
 * <li>two of its tags map to one label name, or a histogram has a tag named {@code le};</li>
 * <li>its family is one of the user's own ({@link #own});</li>
 * <li>its family name is seen with another kind or unit;</li>
 * <li>one of the names its family would use (family and sample names) is used by another family;</li>
 * <li>its family has a series with the same labels already.</li>
 * </ul>
 * A refusal is counted ({@link #refused()}) and logged once per family name. Within one cycle the
 * decisions depend only on the order of the series, so both renderings of one cycle keep the same
 * series.
 *
 * <p>Allocates nothing for a cycle whose family and tag names were all seen before (its state is
 * stamped with the cycle's number instead of cleared). One instance per user, one thread at a time.
 */
final class Admission {

    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

    /** A family name and what the current cycle made of it. */
    private static final class Family {
        final String name;
        int epoch;
        Kind kind;
        String unit;
        boolean own;

        Family(String name) {
            this.name = name;
        }
    }

    /** Who uses a name in the current cycle. */
    private static final class Claim {
        Family family;
        int epoch;
    }

    private final Naming naming;
    private final String counted;
    private final Map<String, Family> families = new HashMap<>();
    private final Map<String, Claim> claims = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private int epoch;
    private long refused;
    private Cycle cycle;

    /** The label sets of the cycle: open addressing, an entry is used when its stamp is the epoch. */
    private long[] setHash = new long[256];
    private int[] setPoint = new int[256];
    private Family[] setFamily = new Family[256];
    private int[] setEpoch = new int[256];
    private int setCount;

    /**
     * @param naming maps tag keys to label names (shared with the user's encoder)
     * @param counted where a refusal is counted, for the log, e.g. {@code counted in x_total}
     */
    Admission(Naming naming, String counted) {
        this.naming = naming;
        this.counted = counted;
    }

    /**
     * Starts a cycle: no family name is taken.
     *
     * @param cycle the cycle the point indices of {@link #admit} refer to, read until the next call
     */
    void begin(Cycle cycle) {
        this.cycle = cycle;
        epoch++;
        if (epoch == 0) { // wrapped: forget every stamp
            java.util.Arrays.fill(setEpoch, 0);
            families.clear();
            claims.clear();
            epoch = 1;
        }
        setCount = 0;
        if (families.size() > Naming.MAX_CACHED) {
            families.clear();
            claims.clear();
        }
    }

    /**
     * Takes a family of the user's own for this cycle: no series of a source joins it or uses its names.
     *
     * @param name the family name
     * @param kind its kind
     * @param claimed every name it uses
     */
    void own(String name, Kind kind, String... claimed) {
        Family f = family(name);
        f.epoch = epoch;
        f.kind = kind;
        f.unit = "";
        f.own = true;
        for (String n : claimed) {
            claim(n, f);
        }
    }

    /** @return the series refused since this instance was made */
    long refused() {
        return refused;
    }

    /**
     * What is wrong with a point's tags, if anything.
     *
     * @param p the point's index
     * @param histogram whether the point is a histogram (a tag named {@code le} is then refused)
     * @return why its series are refused, or {@code null}
     */
    String tagProblem(int p, boolean histogram) {
        int tags = cycle.tags(p);
        for (int t = 0; t < tags; t++) {
            String name = naming.label(cycle.tagKey(p, t));
            for (int u = 0; u < t; u++) {
                if (naming.label(cycle.tagKey(p, u)).equals(name)) {
                    return "tags '" + cycle.tagKey(p, u) + "' and '" + cycle.tagKey(p, t) + "' both map to label " + name;
                }
            }
            if (histogram && name.equals("le")) {
                return "a histogram cannot have a tag named le";
            }
        }
        return null;
    }

    /**
     * A hash of a point's label set, the same whatever the order of its tags.
     *
     * @param p the point's index
     * @return the hash
     */
    long labelHash(int p) {
        long h = 0;
        for (int t = 0; t < cycle.tags(p); t++) {
            h += mix(((long) naming.label(cycle.tagKey(p, t)).hashCode() << 32) ^ (cycle.tagValue(p, t).hashCode() & 0xffffffffL));
        }
        return h;
    }

    /**
     * Decides on one series of point {@code p}.
     *
     * @param m the series' names
     * @param p its point's index
     * @param labelHash {@link #labelHash} of the point
     * @param problem {@link #tagProblem} of the point
     * @return whether it may be given to Prometheus; if not, it was counted and logged
     */
    boolean admit(Naming.Mapped m, int p, long labelHash, String problem) {
        String name = m.family();
        if (problem != null) {
            return refuse(name, p, problem);
        }
        Family f = families.get(name);
        if (f != null && f.epoch == epoch) {
            if (f.own) {
                return refuse(name, p, "the name is the endpoint's own");
            }
            if (f.kind != m.kind() || !f.unit.equals(m.unit())) {
                return refuse(name, p, "it is a " + describe(m.kind(), m.unit()) + " here and a " + describe(f.kind, f.unit)
                        + " elsewhere");
            }
        } else {
            for (String n : m.claimed()) {
                Claim c = claims.get(n);
                if (c != null && c.epoch == epoch) {
                    return refuse(name, p, "its name " + n + " is taken by the " + c.family.kind.name().toLowerCase()
                            + " " + c.family.name);
                }
            }
            if (f == null) {
                f = family(name);
            }
            f.epoch = epoch;
            f.kind = m.kind();
            f.unit = m.unit();
            f.own = false;
            for (String n : m.claimed()) {
                claim(n, f);
            }
        }
        if (!addLabelSet(f, p, labelHash)) {
            return refuse(name, p, "the family has a series with these labels already");
        }
        return true;
    }

    private Family family(String name) {
        Family f = families.get(name);
        if (f == null) {
            f = new Family(name);
            families.put(name, f);
        }
        return f;
    }

    private void claim(String name, Family f) {
        Claim c = claims.get(name);
        if (c == null) {
            c = new Claim();
            claims.put(name, c);
        }
        c.family = f;
        c.epoch = epoch;
    }

    private static String describe(Kind kind, String unit) {
        return kind.name().toLowerCase() + (unit.isEmpty() ? "" : " in " + unit);
    }

    /** @return false when the family has this label set already in this cycle */
    private boolean addLabelSet(Family f, int p, long labelHash) {
        if (setCount * 2 >= setHash.length) {
            grow();
        }
        long h = mix(labelHash + f.name.hashCode() * 0x9E3779B97F4A7C15L);
        int mask = setHash.length - 1;
        int i = (int) h & mask;
        while (setEpoch[i] == epoch) {
            if (setHash[i] == h && setFamily[i] == f && sameLabels(setPoint[i], p)) {
                return false;
            }
            i = (i + 1) & mask;
        }
        setEpoch[i] = epoch;
        setHash[i] = h;
        setFamily[i] = f;
        setPoint[i] = p;
        setCount++;
        return true;
    }

    private void grow() {
        long[] hashes = setHash;
        int[] points = setPoint;
        Family[] fams = setFamily;
        int[] epochs = setEpoch;
        int n = hashes.length * 2;
        setHash = new long[n];
        setPoint = new int[n];
        setFamily = new Family[n];
        setEpoch = new int[n];
        int mask = n - 1;
        for (int j = 0; j < hashes.length; j++) {
            if (epochs[j] == epoch) {
                int i = (int) hashes[j] & mask;
                while (setEpoch[i] == epoch) {
                    i = (i + 1) & mask;
                }
                setEpoch[i] = epoch;
                setHash[i] = hashes[j];
                setFamily[i] = fams[j];
                setPoint[i] = points[j];
            }
        }
    }

    /** Whether two points without tag problems have the same labels (mapped names and values), in any order. */
    private boolean sameLabels(int p, int q) {
        int tags = cycle.tags(p);
        if (tags != cycle.tags(q)) {
            return false;
        }
        for (int t = 0; t < tags; t++) {
            String name = naming.label(cycle.tagKey(p, t));
            boolean found = false;
            for (int u = 0; u < tags && !found; u++) {
                found = naming.label(cycle.tagKey(q, u)).equals(name) && cycle.tagValue(q, u).equals(cycle.tagValue(p, t));
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private boolean refuse(String name, int p, String why) {
        refused++;
        if (warned.size() < Naming.MAX_CACHED && warned.add(name)) {
            StringBuilder labels = new StringBuilder("{");
            for (int t = 0; t < cycle.tags(p); t++) {
                labels.append(t == 0 ? "" : ",").append(naming.label(cycle.tagKey(p, t))).append("=\"")
                        .append(cycle.tagValue(p, t)).append('"');
            }
            LOG.warn("Prometheus: refused the series {}{}}: {}; {} (logged once per name)", name, labels, why, counted);
        }
        return false;
    }

    /** The finalizer of a 64-bit hash (MurmurHash3's fmix64). */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe53a87e5L;
        h ^= h >>> 33;
        return h;
    }
}
