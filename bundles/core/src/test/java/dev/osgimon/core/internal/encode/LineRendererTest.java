package dev.osgimon.core.internal.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.osgimon.api.PointWriter;

/**
 * What the collector sends: points written into a {@link CycleBuffer} (which checks them) and
 * rendered by a {@link LineRenderer}. Each test renders with one renderer, as the collector does.
 */
class LineRendererTest {

    private final LineRenderer renderer = new LineRenderer(16);

    private static final long TS = 1_700_000_000_123_456_789L;

    static Stream<Arguments> cases() {
        return Stream.of(
                row("no tags: no trailing comma", w -> w.point("cpu").field("v", 1L), "cpu v=1i"),
                row("tags in order", w -> w.point("cpu").tag("host", "a").tag("core", "0").field("v", 1L),
                        "cpu,host=a,core=0 v=1i"),
                row("measurement escapes comma and space, not equals",
                        w -> w.point("my meas,x=y").field("v", 1L), "my\\ meas\\,x=y v=1i"),
                row("tag key and value escape comma, equals, space",
                        w -> w.point("m").tag("k ,=", "v ,=").field("f", true), "m,k\\ \\,\\==v\\ \\,\\= f=t"),
                row("field key escapes comma, equals, space", w -> w.point("m").field("a b,c=d", 2L),
                        "m a\\ b\\,c\\=d=2i"),
                row("empty tag value left out", w -> w.point("m").tag("a", "").tag("b", null).tag("c", "x").field("f", 1L),
                        "m,c=x f=1i"),
                row("a left-out tag's key is not one of the point's keys", w -> w.point("m").tag("a", "").field("a", 1L),
                        "m a=1i"),
                row("NaN and infinities left out", w -> w.point("m").field("a", Double.NaN)
                        .field("b", Double.POSITIVE_INFINITY).field("c", 1.5).field("d", Double.NEGATIVE_INFINITY),
                        "m c=1.5"),
                row("point with only NaN is not written", w -> w.point("m").tag("t", "x").field("a", Double.NaN), ""),
                row("point with no fields is not written", w -> w.point("m").tag("t", "x"), ""),
                row("string escapes quote and backslash", w -> w.point("m").field("s", "say \"hi\" \\o/"),
                        "m s=\"say \\\"hi\\\" \\\\o/\""),
                row("newlines never break a line", w -> w.point("m\nx").tag("t", "a\nb").field("s", "l1\nl2\r\n"),
                        "m\\ x,t=a\\ b s=\"l1 l2  \""),
                row("non-ASCII text as UTF-8", w -> w.point("température").tag("ville", "Zürich 東京")
                        .field("note", "😀 ok"), "température,ville=Zürich\\ 東京 note=\"😀 ok\""),
                row("booleans", w -> w.point("m").field("t", true).field("f", false), "m t=t,f=f"),
                row("signed extremes", w -> w.point("m").field("min", Long.MIN_VALUE).field("max", Long.MAX_VALUE)
                        .field("zero", 0L).field("neg", -42L),
                        "m min=-9223372036854775808i,max=9223372036854775807i,zero=0i,neg=-42i"),
                row("unsigned off: clamped signed", w -> w.point("m").fieldUnsigned("a", 5).fieldUnsigned("b", -1L),
                        "m a=5i,b=9223372036854775807i"),
                row("doubles: the shortest decimal that reads back identical",
                        w -> w.point("m").field("a", 0.1).field("b", -2.5).field("c", 3.0).field("d", 0.0)
                        .field("e", 1e-7).field("f", 6.02214076e23).field("g", 123456.789).field("h", -0.0)
                        .field("i", 308719.45533265977),
                        "m a=0.1,b=-2.5,c=3,d=0,e=1e-7,f=6.02214076e+23,g=123456.789,h=-0,i=308719.45533265977"),
                row("two points", w -> {
                    w.point("a").field("x", 1L);
                    w.point("b").field("y", 2L);
                }, "a x=1i\nb y=2i"),
                row("backslashes in names and tag values become slashes: no parser can misread them",
                        w -> w.point("a\\b").tag("path", "C:\\").tag("k\\", "x\\,y").field("f\\", 1L),
                        "a/b,path=C:/,k/=x/\\,y f/=1i"),
                row("backslashes in string values are kept, escaped",
                        w -> w.point("m").field("s", "C:\\"), "m s=\"C:\\\\\""),
                row("tabs and other control characters are written as they are",
                        w -> w.point("m\tx").tag("t", "a\tb\u0001").field("s", "x\ty"), "m\tx,t=a\tb\u0001 s=\"x\ty\""),
                row("an unpaired surrogate becomes a question mark", w -> w.point("m").tag("t", "a\ud800b")
                        .field("s", "\udc00"), "m,t=a?b s=\"?\""));
    }

    private static Arguments row(String name, Consumer<PointWriter> write, String expected) {
        return Arguments.of(name, write, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void encodes(String name, Consumer<PointWriter> write, String expected) {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(TS);
        write.accept(enc);
        enc.finish();
        String want = expected.isEmpty() ? "" : expected.replace("\n", " " + TS + "\n") + " " + TS + "\n";
        assertThat(text(enc)).isEqualTo(want);
        assertThat(lines(enc)).isEqualTo(want.isEmpty() ? 0 : (int) want.chars().filter(c -> c == '\n').count());
    }

    @Test
    void unsignedOnUsesUAndTheFullRange() {
        CycleBuffer enc = new CycleBuffer();
        renderer.uintSupport(true);
        enc.reset(1);
        enc.point("m").fieldUnsigned("a", 5).fieldUnsigned("max", -1L).fieldUnsigned("big", Long.MIN_VALUE);
        enc.finish();
        assertThat(text(enc)).isEqualTo("m a=5u,max=18446744073709551615u,big=9223372036854775808u 1\n");
    }

    @Test
    void globalTagsFollowThePointTagsAndWinOverThem() {
        CycleBuffer enc = new CycleBuffer();
        enc.globalTags(new String[] {"vm", "dc", "empty"}, new String[] {"host 1", "eu", ""});
        enc.reset(7);
        enc.point("m").tag("vm", "mine").tag("a", "b").field("f", 1L);
        enc.point("n").field("f", 2L);
        enc.finish();
        assertThat(text(enc)).isEqualTo("m,a=b,vm=host\\ 1,dc=eu f=1i 7\nn,vm=host\\ 1,dc=eu f=2i 7\n");
    }

    @Test
    void tagAfterFieldIsAnError() {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(1);
        enc.point("m").field("f", 1L);
        assertThatThrownBy(() -> enc.tag("t", "x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("after a field");
        assertThatThrownBy(() -> new CycleBuffer().field("f", 1L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> enc.point("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.point("m").field("", 1L)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                refusal("a measurement starting with # (a comment to parsers)", w -> w.point("#m").field("f", 1L), "starts with '#'"),
                refusal("an InfluxDB system source as measurement", w -> w.point("_measurements").field("f", 1L),
                        "system source"),
                refusal("a measurement starting with a tab (white space to InfluxDB)", w -> w.point("\tm").field("f", 1L),
                        "starts with a tab"),
                refusal("a field key starting with NUL (white space to InfluxDB)", w -> w.point("m").field("\u0000f", 1L),
                        "starts with a tab or NUL"),
                refusal("tag key time", w -> w.point("m").tag("time", "x").field("f", 1L), "reserved"),
                refusal("field key time", w -> w.point("m").field("time", 1L), "reserved"),
                refusal("field key Time", w -> w.point("m").field("Time", 1.5), "reserved"),
                refusal("QuestDB's timestamp column", w -> w.point("m").tag("timestamp", "x").field("f", 1L), "reserved"),
                refusal("InfluxDB 2's _measurement", w -> w.point("m").tag("_measurement", "x").field("f", 1L), "reserved"),
                refusal("InfluxDB 2's _field", w -> w.point("m").field("_field", "x"), "reserved"),
                refusal("a tag key twice", w -> w.point("m").tag("t", "a").tag("t", "b").field("f", 1L), "used twice"),
                refusal("a field key twice", w -> w.point("m").field("f", 1L).field("f", 2L), "used twice"),
                refusal("a tag and a field of one name", w -> w.point("m").tag("k", "a").field("k", 1L), "used twice"),
                refusal("keys that differ in case only (one column in QuestDB)",
                        w -> w.point("m").field("Used", 1L).field("used", 2L), "used twice"),
                refusal("an empty tag key", w -> w.point("m").tag("", "a").field("f", 1L), "must not be empty"),
                refusal("a series key InfluxDB cannot store", w -> w.point("m").tag("t", "x".repeat(70_000)).field("f", 1L),
                        "65535"));
    }

    private static Arguments refusal(String name, Consumer<PointWriter> write, String message) {
        return Arguments.of(name, write, message);
    }

    /** A refused point throws, leaves no byte behind and takes no other point with it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWhatAReceiverWouldRejectOrSwallow(String name, Consumer<PointWriter> write, String message) {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(1);
        enc.point("before").field("f", 1L);
        assertThatThrownBy(() -> write.accept(enc)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
        enc.point("after").field("f", 2L);
        enc.finish();
        assertThat(text(enc)).isEqualTo("before f=1i 1\nafter f=2i 1\n");
        assertThat(lines(enc)).isEqualTo(2);
    }

    @Test
    void aSourceThatCarriesOnAfterARefusalLosesOnlyTheRefusedPoint() {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(1);
        enc.point("m").tag("a", "1").field("f", 1L);
        try {
            enc.point("m").tag("a", "2").field("time", 2L);
        } catch (IllegalArgumentException expected) {
            // the source catches it and goes on writing the same point
        }
        enc.field("g", 3L).field("h", true);
        enc.point("m").tag("a", "3").field("f", 4L);
        enc.finish();
        assertThat(text(enc)).isEqualTo("m,a=1 f=1i 1\nm,a=3 f=4i 1\n");
    }

    /** The collector's sequence: mark, let a source write, roll it back when it throws, go on. */
    @Test
    void aSourceThatLetsARefusalOutLosesItsCycleAndTheNextSourceNothing() {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(1);
        enc.point("first").field("f", 1L);
        enc.finish();
        int mark = enc.points();
        assertThatThrownBy(() -> enc.point("bad").field("ok", 1L).point("bad").tag("t", "a").field("Time", 2L))
                .isInstanceOf(IllegalArgumentException.class);
        enc.rollback(mark);
        enc.point("next").tag("t", "b").field("f", 3L);
        enc.finish();
        assertThat(text(enc)).isEqualTo("first f=1i 1\nnext,t=b f=3i 1\n");
        assertThat(lines(enc)).isEqualTo(2);
    }

    @Test
    void aFieldWhoseTypeChangesIsRefusedInLaterCyclesToo() {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(1);
        enc.point("m").field("v", 1L).field("u", 2L);
        enc.point("n").field("v", 1.5); // another measurement: another field
        enc.finish();
        enc.reset(2);
        assertThatThrownBy(() -> enc.point("m").field("v", 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'v' of 'm' was written as a signed integer, now as a double");
        assertThatThrownBy(() -> enc.point("m").fieldUnsigned("u", 2L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("now as an unsigned integer");
        assertThatThrownBy(() -> enc.point("n").field("v", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> enc.point("n").field("v", true)).isInstanceOf(IllegalArgumentException.class);
        enc.point("m").field("v", 7L).field("u", 8L);
        enc.finish();
        assertThat(text(enc)).isEqualTo("m v=7i,u=8i 2\n");
    }

    /** The encoder skips the checks for a point shaped like the last good one: they must still catch what differs. */
    @Test
    void aPointShapedLikeAnEarlierOneIsStillCheckedWhereItDiffers() {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(1);
        enc.point("m").tag("t", "x").field("Used", 1L).field("free", 2L);
        enc.point("m").tag("t", "y").field("Used", 3L).field("free", 4L);
        assertThatThrownBy(() -> enc.point("m").tag("t", "z").field("Used", 5L).field("free", 6L).field("used", 7L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("used twice");
        assertThatThrownBy(() -> enc.point("m").tag("t", "z").field("Used", 5L).tag("u", "v"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> enc.point("m").tag("t", "z").field("Used", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was written as a signed integer");
        assertThatThrownBy(() -> enc.point("m").tag("t", "z").tag("T", "w").field("Used", 5L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("used twice");
        enc.point("m").tag("t", "w").field("Used", 8L);
        enc.finish();
        enc.globalTags(new String[] {"free"}, new String[] {"g"});
        enc.reset(2);
        assertThatThrownBy(() -> enc.point("m").tag("t", "x").field("Used", 1L).field("free", 2L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("global tag");
        enc.finish();
        assertThat(text(enc)).isEmpty();
        enc.reset(3);
        enc.point("m").tag("t", "x").field("Used", 9L);
        enc.finish();
        assertThat(text(enc)).isEqualTo("m,t=x,free=g Used=9i 3\n");
    }

    @Test
    void aFieldWithTheKeyOfAGlobalTagIsRefused() {
        CycleBuffer enc = new CycleBuffer();
        enc.globalTags(new String[] {"vm"}, new String[] {"h"});
        enc.reset(1);
        assertThatThrownBy(() -> enc.point("m").field("vm", 1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("global tag");
        enc.finish();
        assertThat(enc.points()).isZero();
        assertThat(text(enc)).isEmpty();
    }

    @Test
    void rollbackForgetsAFailedSource() {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(1);
        enc.point("ok").field("f", 1L);
        enc.finish();
        int mark = enc.points();
        enc.point("bad").field("f", 2L);
        enc.point("bad2").tag("x", "y");
        enc.rollback(mark);
        enc.point("next").field("f", 3L);
        enc.finish();
        assertThat(text(enc)).isEqualTo("ok f=1i 1\nnext f=3i 1\n");
    }

    @Test
    void doublesReadBackIdentical() {
        Random random = new Random(42);
        CycleBuffer enc = new CycleBuffer();
        for (int i = 0; i < 100_000; i++) {
            double v = switch (i % 4) {
                case 0 -> random.nextDouble();
                case 1 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
                case 2 -> Double.longBitsToDouble(random.nextLong());
                default -> random.nextInt(1_000_000) / 1000.0;
            };
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            enc.reset(1);
            enc.point("m").field("v", v);
            enc.finish();
            String line = text(enc);
            String number = line.substring(4, line.indexOf(' ', 4));
            assertThat(Double.doubleToRawLongBits(Double.parseDouble(number))).as("%s written as %s", v, number)
                    .isEqualTo(Double.doubleToRawLongBits(v));
        }
    }

    @Test
    void steadyStateDoesNotGrowTheBuffer() {
        CycleBuffer enc = new CycleBuffer();
        for (int i = 0; i < 3; i++) {
            enc.reset(1);
            for (int p = 0; p < 100; p++) {
                enc.point("jvm_memory").tag("area", "heap").field("used", 123456L).field("ratio", 0.25);
            }
            enc.finish();
        }
        text(enc);
        byte[] buffer = renderer.buffer();
        enc.reset(1);
        for (int p = 0; p < 100; p++) {
            enc.point("jvm_memory").tag("area", "heap").field("used", 123456L).field("ratio", 0.25);
        }
        enc.finish();
        text(enc);
        assertThat(renderer.buffer()).isSameAs(buffer);
    }

    @Test
    void repeatedAndChangingTagValuesEncodeTheSame() {
        CycleBuffer enc = new CycleBuffer();
        StringBuilder want = new StringBuilder();
        enc.reset(1);
        for (int i = 0; i < 50; i++) {
            String dynamic = "value " + i;           // a new string every time
            String constant = "G1 Old Gen";            // the same string every time
            String equal = new String("a=b,c");        // equal, not identical
            enc.point("m").tag("d", dynamic).tag("c", constant).tag("e", equal).field("f", (long) i);
            want.append("m,d=value\\ ").append(i).append(",c=G1\\ Old\\ Gen,e=a\\=b\\,c f=").append(i).append("i 1\n");
        }
        enc.finish();
        assertThat(text(enc)).isEqualTo(want.toString());
    }

    /**
     * A point that repeats the keys and String tag values of the last good point of its measurement
     * is written from that point's bytes: whatever it repeats or changes, one encoder writes each
     * point exactly as a fresh buffer and renderer write it alone.
     */
    @Test
    void aPointWrittenFromItsShapeIsTheSameAsOneWrittenAlone() {
        String[] globalKeys = {"vm"};
        String[] globalValues = {"host 1"};
        StringBuilder mutable = new StringBuilder("sb1");
        String[] values = {"a", "b", "", null, "G1 Old Gen", "x,y=z"};
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        CycleBuffer shared = new CycleBuffer();
        shared.globalTags(globalKeys, globalValues);
        shared.reset(5);
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            String measurement = random.nextInt(4) == 0 ? "other" : "m";
            int tags = random.nextInt(4); // 0..3 of the tags t0, t1, t2, in order
            Object[] tagValues = new Object[tags];
            for (int t = 0; t < tags; t++) {
                int pick = random.nextInt(values.length + 1);
                tagValues[t] = pick == values.length ? mutable : values[pick];
            }
            boolean globalKeyAsTag = random.nextInt(20) == 0;
            // 1..4 of the field keys, in any order: the renderer keeps the last keys of each measurement
            // (one of them longer than the 16 bytes it copies as two words)
            int[] fieldOrder = {0, 1, 2, 3};
            for (int k = 3; k > 0; k--) {
                int j = random.nextInt(k + 1);
                int swap = fieldOrder[k];
                fieldOrder[k] = fieldOrder[j];
                fieldOrder[j] = swap;
            }
            int fields = random.nextInt(8) == 0 ? 1 + random.nextInt(4) : 3;
            if (random.nextInt(10) == 0) {
                mutable.setLength(0);
                mutable.append("sb").append(i); // same object, new content
            }
            CycleBuffer alone = new CycleBuffer();
            alone.globalTags(globalKeys, globalValues);
            alone.reset(5);
            for (CycleBuffer e : new CycleBuffer[] {shared, alone}) {
                PointWriter w = e.point(measurement);
                for (int t = 0; t < tags; t++) {
                    w.tag(TAG_KEYS[t], (CharSequence) tagValues[t]);
                    if (globalKeyAsTag && t == 0) {
                        w.tag("vm", "ignored");
                    }
                }
                for (int k = 0; k < fields; k++) {
                    switch (fieldOrder[k]) {
                        case 0 -> w.field("f", (long) i);
                        case 1 -> w.field("g", 0.5);
                        case 2 -> w.field(LONG_FIELD_KEY, (long) -i);
                        default -> w.field(FIELD_WITH_ESCAPES, "s" + i);
                    }
                }
            }
            alone.finish();
            LineRenderer fresh = new LineRenderer(16);
            fresh.render(alone);
            want.append(fresh.text());
        }
        shared.finish();
        assertThat(text(shared)).isEqualTo(want.toString());
    }

    /** The rows docs/line-protocol.md shows for a histogram, global tags and all. */
    @Test
    void aHistogramIsWrittenAsCumulativeBucketRowsThenItsSummary() {
        CycleBuffer enc = new CycleBuffer();
        enc.globalTags(new String[] {"vm"}, new String[] {"box"});
        enc.reset(9);
        enc.point("http_latency").tag("route", "/osgimon")
                .histogram(new double[] {0.005, 0.25, 1, 2.5}, new long[] {3, 0, 2, 0, 1}, 12.75, 0.001, 9.5);
        enc.point("empty latency").histogram(new double[] {1}, new long[] {0, 0}, 0, Double.NaN, Double.NaN);
        enc.finish();
        String want = """
                http_latency_bucket,route=/osgimon,vm=box,le=0.005 count=3i 9
                http_latency_bucket,route=/osgimon,vm=box,le=0.25 count=3i 9
                http_latency_bucket,route=/osgimon,vm=box,le=1 count=5i 9
                http_latency_bucket,route=/osgimon,vm=box,le=2.5 count=5i 9
                http_latency_bucket,route=/osgimon,vm=box,le=+Inf count=6i 9
                http_latency,route=/osgimon,vm=box count=6i,sum=12.75,min=0.001,max=9.5 9
                empty\\ latency_bucket,vm=box,le=1 count=0i 9
                empty\\ latency_bucket,vm=box,le=+Inf count=0i 9
                empty\\ latency,vm=box count=0i,sum=0 9
                """;
        assertThat(text(enc)).isEqualTo(want);
        assertThat(lines(enc)).isEqualTo(9);
        assertThat(text(enc)).as("rendered again from the caches").isEqualTo(want);
    }

    /** A histogram point between plain points of its measurement and others: every line as if alone. */
    @Test
    void histogramsAndPlainPointsShareTheCachesWithoutMixingUp() {
        CycleBuffer enc = new CycleBuffer();
        enc.reset(1);
        dev.osgimon.api.Histogram h = new dev.osgimon.api.Histogram("lat", 1, 2);
        h.record(1.5);
        for (int i = 0; i < 3; i++) {
            enc.point("lat_bucket").tag("x", "y").field("n", (long) i);
            h.collect(enc, "x", "y");
            h.collect(enc, "x", "z" + i);
        }
        enc.finish();
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            want.append("lat_bucket,x=y n=").append(i).append("i 1\n");
            for (String v : new String[] {"y", "z" + i}) {
                want.append("lat_bucket,x=").append(v).append(",le=1 count=0i 1\n")
                        .append("lat_bucket,x=").append(v).append(",le=2 count=1i 1\n")
                        .append("lat_bucket,x=").append(v).append(",le=+Inf count=1i 1\n")
                        .append("lat,x=").append(v).append(" count=1i,sum=1.5,min=1.5,max=1.5 1\n");
            }
        }
        assertThat(text(enc)).isEqualTo(want.toString());
    }

    private static final String[] TAG_KEYS = {"t0", "t1", "t2"};
    private static final String FIELD_WITH_ESCAPES = "a b,c=d";
    private static final String LONG_FIELD_KEY = "allocated_bytes_since_start";

    /** Renders the buffer with this test's renderer. */
    private String text(CycleBuffer enc) {
        renderer.render(enc);
        return renderer.text();
    }

    /** The lines rendered, after checking that the buffer counts as many. */
    private int lines(CycleBuffer enc) {
        renderer.render(enc);
        assertThat(enc.lines()).as("lines counted by the buffer").isEqualTo(renderer.lines());
        return renderer.lines();
    }
}
