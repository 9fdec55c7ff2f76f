package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sparsefit.core.network.RandomNetworks;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The any-d enumeration of the T8 dual norm ({@link ArrangementPricingND}) against computations that share nothing with
 * it: {@link ActivationPatterns} (every one of the 2^N activation patterns, each pattern's program solved through its
 * Lagrange dual) in d = 2 to 5; the exact two-input sweep ({@link ExactPricing2D}) and the d = 3 circle sweep
 * ({@link ArrangementPricing3D}, degenerate lattices included) at sizes the brute force cannot reach; and the branch and
 * bound's upper bound in d = 4, 5 never below the enumerated maximum. Tolerance 1e-9 relative between two exact
 * computations (different summation orders and a 1e-9 on-plane test), 1e-12 for a bound (its margin is 1e-11 upwards).
 */
class ArrangementPricingNDTest {

    private static final double EXACT = 1e-9;
    private static final double ROUND = 1e-12;

    @ParameterizedTest
    @CsvSource({"2, 9, 1", "3, 8, 2", "3, 9, 3", "4, 8, 4", "4, 9, 5", "5, 8, 6", "5, 9, 7", "6, 9, 8"})
    void equalsTheMaximumOverAllActivationPatterns(int d, int n, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed + 300);
        DMatrixRMaj r = PricingTest.residual(x, 1, seed + 400);
        double brute = ActivationPatterns.maximum(x, r);
        assertThat(brute).isPositive();
        ArrangementPricingND.Result e = new ArrangementPricingND(x).best(r, null);
        assertThat(e.complete()).isTrue();
        assertThat(e.best().value()).isCloseTo(brute, offset(EXACT * brute));
        // The atom is the function's own value there, and a start never changes the maximum.
        assertThat(PricingTest.value(x, r, e.best().direction(), e.best().offset())).isCloseTo(e.best().value(),
                offset(ROUND * brute));
        Atom start = new LocalPricing(x, 1, seed).search(r, null, 4, 4, Double.POSITIVE_INFINITY, 1).get(0);
        assertThat(new ArrangementPricingND(x).best(r, start).best().value()).isCloseTo(brute, offset(EXACT * brute));
    }

    @Test
    void equalsTheExactSweepsInTwoAndThreeInputs() {
        for (long seed = 1; seed <= 3; seed++) {
            DMatrixRMaj x2 = RandomNetworks.matrix(40, 2, seed + 500);
            DMatrixRMaj r2 = PricingTest.residual(x2, 1, seed + 510);
            double sweep = new ExactPricing2D(x2, 1).best(r2, null).value();
            assertThat(new ArrangementPricingND(x2).best(r2, null).best().value()).isCloseTo(sweep, offset(EXACT * sweep));

            DMatrixRMaj x3 = RandomNetworks.matrix(25, 3, seed + 520);
            DMatrixRMaj r3 = PricingTest.residual(x3, 1, seed + 530);
            double circles = new ArrangementPricing3D(x3, 1).best(r3, null).value();
            assertThat(new ArrangementPricingND(x3).best(r3, null).best().value()).isCloseTo(circles, offset(EXACT * circles));
        }
    }

    @Test
    void handlesLatticesWhereManyHyperplanesMeetAVertex() {
        // A 3 x 3 x 2 integer lattice (eight points on each axis plane through a point) and the corners of cubes with
        // their centre: vertices with more than d - 1 hyperplanes through them, and repeated hyperplanes.
        DMatrixRMaj lattice = ArrangementPricing3DTest.lattice();
        for (long seed = 1; seed <= 3; seed++) {
            DMatrixRMaj r = PricingTest.residual(lattice, 1, seed + 540);
            double circles = new ArrangementPricing3D(lattice, 1).best(r, null).value();
            ArrangementPricingND.Result e = new ArrangementPricingND(lattice).best(r, null);
            assertThat(e.complete()).isTrue();
            assertThat(e.best().value()).isCloseTo(circles, offset(EXACT * circles));
        }
        // The corners of the 3-cube and its centre (brute force), then of the 4-cube and its centre.
        DMatrixRMaj small = cube(3);
        DMatrixRMaj rs = PricingTest.residual(small, 1, 551);
        double brute = ActivationPatterns.maximum(small, rs);
        ArrangementPricingND.Result e = new ArrangementPricingND(small).best(rs, null);
        assertThat(e.complete()).isTrue();
        assertThat(e.best().value()).isCloseTo(brute, offset(EXACT * brute));
        DMatrixRMaj cube = cube(4);
        // With the centre (17 rows, beyond the brute force's reach in time): inside the branch and bound's bracket.
        DMatrixRMaj r = PricingTest.residual(cube, 1, 550);
        ArrangementPricingND.Result c = new ArrangementPricingND(cube).best(r, null);
        OffsetCellBound.Result b = new OffsetCellBound(cube, 1).bound(r, null, 1e-3, Long.MAX_VALUE, 100_000_000L, null);
        assertThat(c.complete()).isTrue();
        assertThat(c.best().value()).isBetween(b.lower() * (1 - ROUND), b.upper() * (1 + ROUND));
    }

    /** The 2^d corners of [-1, 1]^d and the centre. */
    private static DMatrixRMaj cube(int d) {
        DMatrixRMaj x = new DMatrixRMaj((1 << d) + 1, d);
        for (int q = 0; q < 1 << d; q++) {
            for (int t = 0; t < d; t++) {
                x.data[d * q + t] = (q >>> t & 1) == 0 ? -1 : 1;
            }
        }
        return x;
    }

    @Test
    void saysItIsIncompleteWhenTheInputsDoNotSpanOrItIsStopped() {
        // Points on a plane in R^3: faces without vertices, so no claim of exactness.
        DMatrixRMaj x = RandomNetworks.matrix(12, 3, 560);
        for (int q = 0; q < 12; q++) {
            x.data[3 * q + 2] = 0.5 * x.data[3 * q] - x.data[3 * q + 1] + 1.0;
        }
        DMatrixRMaj r = PricingTest.residual(x, 1, 561);
        assertThat(new ArrangementPricingND(x).best(r, null).complete()).isFalse();
        DMatrixRMaj y = RandomNetworks.matrix(30, 4, 562);
        DMatrixRMaj ry = PricingTest.residual(y, 1, 563);
        assertThat(new ArrangementPricingND(y).stopWhen(() -> true).best(ry, null).complete()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"4, 20, 1", "5, 14, 2", "5, 18, 3"})
    void branchAndBoundBoundsAreNeverBelowTheEnumeratedMaximum(int d, int n, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed + 600);
        DMatrixRMaj r = PricingTest.residual(x, 1, seed + 610);
        double exact = new ArrangementPricingND(x).best(r, null).best().value();
        OffsetCellBound bound = new OffsetCellBound(x, 1);
        for (long work : new long[] {1, 10_000, 1_000_000, 30_000_000}) {
            OffsetCellBound.Result b = bound.bound(r, null, 1e-6, Long.MAX_VALUE, work, null);
            assertThat(b.upper()).as("d %d, work %d", d, work).isGreaterThanOrEqualTo(exact * (1 - ROUND));
            assertThat(b.lower()).isLessThanOrEqualTo(exact * (1 + ROUND));
        }
    }

    @Test
    void theWorkForecastCountsVerticesTimesTheirCost() {
        // N C(N - 1, d - 1) vertices: 10 * C(9, 2) = 360 in d = 3, each 10 * 8 + 27 + 9 * 9 = 188.
        assertThat(ArrangementPricingND.work(10, 3)).isEqualTo(360L * 188);
        assertThat(ArrangementPricingND.work(100_000, 10)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void fewerRowsThanInputsNeitherEnumeratesNorExhaustsMemory() {
        // N <= d: the forecast counts no vertex (0), but no d + 1 points span R^d, so nothing could be proven; the
        // buffers are sized by the degree cap, not by 2^(d-1) (2^19 x 400 doubles at d = 20, negative at d = 32).
        assertThat(ProvenDualNorm.enumerates(10, 20, 1)).isFalse();
        assertThat(ProvenDualNorm.enumerates(12, 24, 1)).isFalse();
        assertThat(ProvenDualNorm.enumerates(5, 5, 1)).isFalse();
        assertThat(ProvenDualNorm.enumerates(40, 12, 1)).isFalse();   // more inputs than the degree cap allows
        assertThat(ProvenDualNorm.enumerates(8, 4, 1)).isTrue();
        for (int[] size : new int[][] {{10, 20}, {30, 32}}) {
            DMatrixRMaj x = RandomNetworks.matrix(size[0], size[1], 570);
            DMatrixRMaj r = RandomNetworks.matrix(size[0], 1, 571);
            assertThat(new ArrangementPricingND(x).best(r, null).complete()).isFalse();
        }
    }

    @Test
    void saysItIsIncompleteOnANonFiniteResidual() {
        // A NaN fails every pruning comparison: before the check, every anchor was pruned and S = 0 claimed complete.
        DMatrixRMaj x = RandomNetworks.matrix(12, 4, 580);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            DMatrixRMaj r = PricingTest.residual(x, 1, 581);
            assertThat(new ArrangementPricingND(x).best(r, null).complete()).isTrue();
            r.data[3] = bad;
            ArrangementPricingND.Result e = new ArrangementPricingND(x).best(r, null);
            assertThat(e.complete()).as("%s", bad).isFalse();
            assertThat(e.best()).isNull();
        }
    }

    @Test
    void givesUpAtTheDegreeCapAndTheCertificateThenRestsOnTheBranchAndBound() {
        // {0,1,2}^4 at random, 39 rows: vertices with more than MAX_VERTEX_DEGREE hyperplanes through them.
        DMatrixRMaj x = grid(39, 4, 3, 590);
        assertThat(ProvenDualNorm.enumerates(39, 4, 1)).isTrue();
        DMatrixRMaj r = PricingTest.residual(x, 1, 591);
        ArrangementPricingND.Result e = new ArrangementPricingND(x).best(r, null);
        assertThat(e.complete()).isFalse();
        // Through ProvenDualNorm: with a branch and bound of one operation (it cannot converge), nothing is proven
        // (an enumeration that skipped the degenerate vertex instead of giving up would claim a proof here).
        Atom start = new LocalPricing(x, 1, 592).search(r, null, 4, 4, Double.POSITIVE_INFINITY, 1).get(0);
        ProvenDualNorm.Bracket cut = ProvenDualNorm.of(x, r, new Pricing.Best(start, false), false, 1e-9, 1, () -> false);
        assertThat(cut.proven()).isFalse();
        assertThat(cut.upper()).isGreaterThanOrEqualTo(cut.lower());
        // The enumeration's best atom, a value reached, is kept (and is the branch and bound's start).
        if (e.best() != null) {
            assertThat(cut.lower()).isGreaterThanOrEqualTo(e.best().value());
        }
        // With its full budget, proven exactly when the branch and bound converges, to the same bracket.
        ProvenDualNorm.Bracket full = ProvenDualNorm.of(x, r, new Pricing.Best(start, false), false, 1e-6, () -> false);
        OffsetCellBound.Result b = new OffsetCellBound(x, 1).bound(r, e.best() != null && e.best().value() > start.value()
                ? e.best() : start, 1e-6, Long.MAX_VALUE, ProvenDualNorm.WORK_BUDGET_LOW_D, () -> false);
        assertThat(full.proven()).isEqualTo(b.converged());
        assertThat(full.upper()).isEqualTo(Math.max(full.lower(), b.upper()));
    }

    @Test
    void countsItsWorkOnBinaryDataAndGivesUpPastItsLimit() {
        // d = 6, N = 15 random 0/1 features: forecast 2.75e8 in general position, but vertices with many hyperplanes
        // through them make the enumeration far more costly; its own count stops it at the limit.
        DMatrixRMaj x = grid(15, 6, 2, 11);
        DMatrixRMaj r = PricingTest.residual(x, 1, 600);
        assertThat(ArrangementPricingND.work(15, 6)).isLessThanOrEqualTo(ProvenDualNorm.ENUMERATION_WORK);
        long limit = 20_000_000L;
        ArrangementPricingND.Result e = new ArrangementPricingND(x).limitWork(limit).best(r, null);
        assertThat(e.complete()).isFalse();
        // One step past the limit at most: a vertex's subset bases, a candidate's evaluation or a (d - 1)-subset.
        long step = (1L << ArrangementPricingND.MAX_VERTEX_DEGREE) * 36 + 15 * 6 + 216 + 15 * 6;
        assertThat(e.work()).isGreaterThan(limit).isLessThanOrEqualTo(limit + step);
        // Random inputs of the same size, in general position, stay well within ProvenDualNorm's limit (measured: 0.8
        // to 1.9 times the forecast at the enumeration's reach in d = 4 to 10).
        DMatrixRMaj g = RandomNetworks.matrix(15, 6, 601);
        ArrangementPricingND.Result general = new ArrangementPricingND(g).limitWork(ProvenDualNorm.ENUMERATION_MAX_WORK)
                .best(PricingTest.residual(g, 1, 602), null);
        assertThat(general.complete()).isTrue();
        assertThat(general.work()).isLessThanOrEqualTo(2 * ArrangementPricingND.work(15, 6));
    }

    @Test
    void aStopLooksEveryMillionOperationsAndEndsTheAnchorInHand() {
        DMatrixRMaj x = grid(15, 6, 2, 11);
        DMatrixRMaj r = PricingTest.residual(x, 1, 600);
        AtomicInteger polls = new AtomicInteger();
        int k = 3;
        ArrangementPricingND.Result e = new ArrangementPricingND(x).stopWhen(() -> polls.incrementAndGet() >= k)
                .best(r, null);
        assertThat(e.complete()).isFalse();
        assertThat(polls.get()).isEqualTo(k);
        // One look before the first anchor, then one per POLL_WORK operations: stopped within the first anchor, after
        // (k - 1) POLL_WORK operations and less than a step more.
        long step = (1L << ArrangementPricingND.MAX_VERTEX_DEGREE) * 36 + 15 * 6 + 216 + 15 * 6;
        assertThat(e.work()).isBetween((k - 1) * ArrangementPricingND.POLL_WORK,
                (k - 1) * ArrangementPricingND.POLL_WORK + 2 * step);
    }

    /** N points with d coordinates drawn uniformly from {0, ..., levels - 1}. */
    private static DMatrixRMaj grid(int n, int d, int levels, long seed) {
        Random random = new Random(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int q = 0; q < n * d; q++) {
            x.data[q] = random.nextInt(levels);
        }
        return x;
    }
}
