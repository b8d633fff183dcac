package dev.osgimon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RatesTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void aCounterIsItsIncreaseOverTheTimeBetweenCycles() {
        Rates.Change c = Rates.change(new long[] {1000, 3000, 4000, 8000}, new Double[] {10.0, 30.0, 30.0, 50.0});
        assertThat(c.increase()).containsExactly(null, 20.0, 0.0, 20.0);
        assertThat(c.seconds()).containsExactly(0, 2, 1, 4);
        assertThat(c.perSecond()).containsExactly(null, 10.0, 0.0, 5.0);
    }

    @Test
    void aDropIsARestartCountedFromTheNewValueNeverNegative() {
        // the source restarted between 3 s and 4 s and counted 4 since
        Rates.Change c = Rates.change(new long[] {1000, 2000, 3000, 4000, 5000},
                new Double[] {100.0, 110.0, 120.0, 4.0, 9.0});
        assertThat(c.increase()).containsExactly(null, 10.0, 10.0, 4.0, 5.0);
        assertThat(c.perSecond()).containsExactly(null, 10.0, 10.0, 4.0, 5.0);
        // restarted to 0 exactly
        assertThat(Rates.change(new long[] {1000, 2000}, new Double[] {7.0, 0.0}).perSecond()).containsExactly(null, 0.0);
    }

    @Test
    void aGapIsBridgedByTheLastValueBeforeItOverTheWholeTime() {
        Rates.Change c = Rates.change(new long[] {1000, 2000, 3000, 5000}, new Double[] {null, 10.0, null, 40.0});
        assertThat(c.increase()).containsExactly(null, null, null, 30.0);
        assertThat(c.seconds()).containsExactly(0, 0, 0, 3);
        assertThat(c.perSecond()).containsExactly(null, null, null, 10.0);
    }

    @Test
    void noDataGivesNoRate() {
        assertThat(Rates.change(new long[0], new Double[0]).perSecond()).isEmpty();
        assertThat(Rates.change(new long[] {1000}, new Double[] {5.0}).perSecond()).containsExactly((Double) null);
        assertThat(Rates.change(new long[] {1000, 2000}, new Double[] {null, null}).perSecond()).containsExactly(null, null);
        assertThat(Rates.change(new long[] {1000, 1000}, new Double[] {1.0, 2.0}).perSecond())
                .as("no time passed: no rate").containsExactly(null, null);
        assertThatThrownBy(() -> Rates.change(new long[] {1}, new Double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aQuantileIsInterpolatedWithinItsBucketAsHistogramQuantileDoes() {
        double[] bounds = {0.1, 0.5, 1, INF};
        double[] cumulative = {10, 30, 40, 40};
        // rank 20 lies in (0.1, 0.5]: 10 below it, 20 in it → halfway
        assertThat(Rates.quantile(0.5, bounds, cumulative)).isCloseTo(0.3, within(1e-12));
        // rank 4 in the first bucket, from 0
        assertThat(Rates.quantile(0.1, bounds, cumulative)).isCloseTo(0.04, within(1e-12));
        // rank 39.6 in (0.5, 1]: 30 below, 10 in it
        assertThat(Rates.quantile(0.99, bounds, cumulative)).isCloseTo(0.98, within(1e-12));
        assertThat(Rates.quantile(1, bounds, cumulative)).isEqualTo(1.0);
    }

    @Test
    void aRankInTheInfBucketIsTheHighestFiniteBound() {
        double[] bounds = {0.1, 0.5, INF};
        assertThat(Rates.quantile(0.99, bounds, new double[] {1, 2, 10})).isEqualTo(0.5);
        assertThat(Rates.quantile(0.5, bounds, new double[] {0, 0, 3})).isEqualTo(0.5);
    }

    @Test
    void emptyBucketsArePassedOver() {
        double[] bounds = {0.005, 0.01, 0.025, 0.05, INF};
        double[] cumulative = {0, 0, 0, 8, 8};
        // everything is in (0.025, 0.05]
        assertThat(Rates.quantile(0.5, bounds, cumulative)).isCloseTo(0.0375, within(1e-12));
        assertThat(Rates.quantile(0, bounds, cumulative)).as("the lower bound of the first bucket with values")
                .isEqualTo(0.025);
        // a rank right at a bucket's upper count belongs to that bucket, not to the empty ones after it
        assertThat(Rates.quantile(0.5, new double[] {1, 2, 3, INF}, new double[] {5, 5, 5, 10})).isEqualTo(1.0);
    }

    @Test
    void noValuesOrNoInfBucketGiveNoQuantile() {
        assertThat(Rates.quantile(0.5, new double[] {0.1, INF}, new double[] {0, 0})).isNaN();
        assertThat(Rates.quantile(0.5, new double[] {0.1, 1}, new double[] {1, 2})).as("no +Inf bucket").isNaN();
        assertThat(Rates.quantile(0.5, new double[] {INF}, new double[] {3})).as("one bucket").isNaN();
        assertThat(Rates.quantile(0.5, new double[] {-1, 1, INF}, new double[] {5, 10, 10}))
                .as("a first bucket bounded at or below 0 gives its bound").isEqualTo(-1.0);
    }

    @Test
    void countsFallingFromOneBucketToTheNextAreReadAsTheCountBefore() {
        // rank 6 in (2, 3]: 4 below (not 3.9999), 4 in it
        assertThat(Rates.quantile(0.75, new double[] {1, 2, 3, INF}, new double[] {4, 3.9999, 8, 8}))
                .isCloseTo(2.5, within(1e-12));
    }

    @Test
    void badQuantilesAndMismatchedArraysAreRefused() {
        double[] b = {1, INF};
        double[] c = {1, 1};
        assertThatThrownBy(() -> Rates.quantile(-0.1, b, c)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("within 0 and 1");
        assertThatThrownBy(() -> Rates.quantile(1.5, b, c)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rates.quantile(Double.NaN, b, c)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rates.quantile(0.5, b, new double[] {1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bucketIncreasesArePerIntervalAndARestartStartsFromTheNewCounts() {
        double[][] cumulative = {
            {1, 2, 2},
            null,
            {3, 5, 6},
            {3, 5, 6},
            {1, 1, 1}, // restarted: fewer than before
        };
        double[][] inc = Rates.bucketIncreases(cumulative);
        assertThat(inc[0]).isNull();
        assertThat(inc[1]).isNull();
        assertThat(inc[2]).containsExactly(2, 3, 4);
        assertThat(inc[3]).containsExactly(0, 0, 0);
        assertThat(inc[4]).containsExactly(1, 1, 1);
        Double[] p50 = Rates.quantiles(0.5, new double[] {0.1, 1, INF}, inc);
        assertThat(p50[2]).as("rank 2 of 4: reached by the 2 values up to 0.1").isCloseTo(0.1, within(1e-12));
        assertThat(p50[3]).as("nothing recorded in the interval").isNull();
        assertThat(p50[4]).isCloseTo(0.05, within(1e-12));
        assertThat(p50[0]).isNull();
    }
}
