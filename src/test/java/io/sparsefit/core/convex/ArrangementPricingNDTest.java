package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sparsefit.core.network.RandomNetworks;
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
        PricingBound.Result b = new PricingBound(cube, 1).bound(r, null, 1e-3, Long.MAX_VALUE, 100_000_000L, null);
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
        PricingBound bound = new PricingBound(x, 1);
        for (long work : new long[] {1, 10_000, 1_000_000, 30_000_000}) {
            PricingBound.Result b = bound.bound(r, null, 1e-6, Long.MAX_VALUE, work, null);
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
}
