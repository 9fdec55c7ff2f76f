package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sparsefit.core.network.RandomNetworks;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The branch and bound over directions and offsets ({@link OffsetCellBound}) against brute forces written in the tests,
 * independent of it: over activation patterns with anchors and face, edge and vertex candidates in three inputs (any
 * number of outputs, {@link DualNormBruteForceTest#bruteForce}), over sign patterns and their Lagrange duals in any
 * number of inputs (one output, {@link ActivationPatterns}); and against exact values computed independently in one
 * input ({@link DualNorm1D}) and two ({@link ExactPricing2D}). Its upper bound is never below the maximum and its lower
 * bound never above it, under every cell budget; where it converges its bracket is within the tolerance; the atom it
 * reports has the value it reports.
 */
class OffsetCellBoundTest {

    private static final double ROUND = 1e-10;   // the bound's own inflation is 1e-11
    /** Cells for two outputs to 1e-6 on 70 rows in three inputs: 2.7 times what the second-order bound needs. */
    private static final long TWO_OUTPUT_CELLS = 60_000;

    @Test
    void threeInputsNeverBoundBelowTheMaximumOverActivationPatterns() {
        for (long seed = 1; seed <= DualNormBruteForceTest.SMALL_PROBLEMS; seed++) {
            DMatrixRMaj[] xr = DualNormBruteForceTest.smallProblem(seed);
            DMatrixRMaj r = xr[1];
            bracketsUnderEveryBudget(new OffsetCellBound(xr[0], r.numCols), xr[0], r,
                    DualNormBruteForceTest.bruteForce(xr[0], r), seed);
        }
    }

    @Test
    void theValueVanishesForOffsetsOutsideTheProjections() {
        // The fact the roots rely on: r orthogonal to affine functions makes the value 0 once c leaves
        // [min u.x, max u.x] (all ramps off, or all on and then affine).
        for (long seed = 1; seed <= 5; seed++) {
            DMatrixRMaj x = RandomNetworks.matrix(15, 3, seed);
            DMatrixRMaj r = PricingTest.residual(x, 2, seed + 10);
            double[] u = ArrangementPricing3DTest.unit(new double[] {Math.sin(seed), Math.cos(3 * seed), 0.4});
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < x.numRows; i++) {
                double p = ArrangementPricing3DTest.dot(u, ArrangementPricing3DTest.row(x, i));
                lo = Math.min(lo, p);
                hi = Math.max(hi, p);
            }
            double scale = PricingTest.value(x, r, u, 0.5 * (lo + hi)) + 1;
            assertThat(PricingTest.value(x, r, u, hi)).isCloseTo(0.0, offset(1e-12 * scale));
            assertThat(PricingTest.value(x, r, u, hi + 3)).isCloseTo(0.0, offset(1e-12 * scale));
            assertThat(PricingTest.value(x, r, u, lo)).isCloseTo(0.0, offset(1e-12 * scale));
            assertThat(PricingTest.value(x, r, u, lo - 3)).isCloseTo(0.0, offset(1e-12 * scale));
        }
    }

    @Test
    void oneInputBracketsTheExactSweep() {
        for (long seed = 1; seed <= 20; seed++) {
            int n = 5 + (int) (seed % 30);
            int m = 1 + (int) (seed % 3);
            DMatrixRMaj x = RandomNetworks.matrix(n, 1, seed);
            DMatrixRMaj r = PricingTest.residual(x, m, seed + 100);
            bracketsUnderEveryBudget(new OffsetCellBound(x, m), x, r, DualNorm1D.supremum(x.data, r), seed);
        }
    }

    @ParameterizedTest
    @CsvSource({"10, 1, 1", "25, 1, 2", "40, 1, 3", "30, 2, 4", "60, 1, 5", "20, 3, 6"})
    void twoInputsBracketTheExactSweep(int n, int m, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 2, seed);
        DMatrixRMaj r = PricingTest.residual(x, m, seed + 200);
        double exact = new ExactPricing2D(x, r.numCols).best(r, null).value();
        bracketsUnderEveryBudget(new OffsetCellBound(x, m), x, r, exact, seed);
    }

    @Test
    void largerThreeInputProblemsNeverBoundBelowTheMaximumWithinEveryBudget() {
        // Ten and eleven points (up to 2^10 patterns per anchor): the bounds after few cells, where wide caps and the
        // linear relaxation of many ambiguous ramps carry the proof.
        for (long seed = 1; seed <= 4; seed++) {
            int n = 10 + (int) (seed % 2);
            DMatrixRMaj x = RandomNetworks.matrix(n, 3, 900 + seed);
            DMatrixRMaj r = PricingTest.residual(x, 1, 950 + seed);
            double exact = DualNormBruteForceTest.bruteForce(x, r);
            OffsetCellBound bound = new OffsetCellBound(x, 1);
            for (long cells = 3; cells <= 729; cells *= 3) {
                OffsetCellBound.Result b = bound.bound(r, null, 1e-9, cells, Long.MAX_VALUE, null);
                assertThat(b.upper()).as("seed %d, %d cells", seed, cells).isGreaterThanOrEqualTo(exact * (1 - ROUND));
                assertThat(b.lower()).isLessThanOrEqualTo(exact * (1 + ROUND));
            }
        }
    }

    /**
     * The bound's bracket holds the maximum {@code exact} under every cell budget, converges within 2,000,000 cells
     * to its tolerance (1e-5, 1e-4 with several outputs: the chords' bound is of second order too), and its atom has
     * its value; returns that converged result.
     */
    private static OffsetCellBound.Result bracketsUnderEveryBudget(OffsetCellBound bound, DMatrixRMaj x, DMatrixRMaj r,
                                                                   double exact, long seed) {
        for (long cells : new long[] {3, 10, 40, 200, 1000, 5000}) {
            OffsetCellBound.Result b = bound.bound(r, null, 1e-6, cells, Long.MAX_VALUE, null);
            assertThat(b.upper()).as("seed %d, %d cells", seed, cells).isGreaterThanOrEqualTo(exact * (1 - ROUND));
            assertThat(b.lower()).as("seed %d, %d cells", seed, cells).isLessThanOrEqualTo(exact * (1 + ROUND));
        }
        double tol = tolerance(r);
        OffsetCellBound.Result b = bound.bound(r, null, tol, 2_000_000, Long.MAX_VALUE, null);
        assertThat(b.converged()).as("seed %d", seed).isTrue();
        assertThat(b.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND)).isLessThanOrEqualTo(exact * (1 + tol + ROUND));
        assertThat(PricingTest.value(x, r, b.best().direction(), b.best().offset()))
                .isCloseTo(b.lower(), offset(1e-12 * exact));
        return b;
    }

    private static double tolerance(DMatrixRMaj r) {
        return r.numCols == 1 ? 1e-5 : 1e-4;
    }

    @ParameterizedTest
    @CsvSource({"3, 11, 21", "4, 9, 23", "5, 10, 25", "6, 9, 26"})   // the brute force costs O(2^N N^(d+1))
    void anyInputsNeverBoundBelowTheMaximumOverSignPatterns(int d, int n, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed);
        DMatrixRMaj r = PricingTest.residual(x, 1, seed + 40);
        double exact = ActivationPatterns.maximum(x, r);
        OffsetCellBound bound = new OffsetCellBound(x, 1);
        for (long cells = 3; cells <= 19_683; cells *= 3) {
            OffsetCellBound.Result b = bound.bound(r, null, 1e-9, cells, Long.MAX_VALUE, null);
            assertThat(b.upper()).as("%d cells", cells).isGreaterThanOrEqualTo(exact * (1 - ROUND));
            assertThat(b.lower()).as("%d cells", cells).isLessThanOrEqualTo(exact * (1 + ROUND));
        }
        double tol = d == 3 ? 1e-6 : 1e-2;   // from d = 4 on the cells shrink slowly in every direction
        OffsetCellBound.Result b = bound.bound(r, null, tol, 2_000_000, Long.MAX_VALUE, null);
        assertThat(b.converged()).isTrue();
        assertThat(b.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND)).isLessThanOrEqualTo(exact * (1 + tol + ROUND));
    }

    /**
     * A point orthogonal to the constants only (theory A2b, classification): the whole sphere counts and the offsets
     * below every data point carry the affine tail {@code ||sum r_n u . x_n||}. The maximum is the anchored brute force
     * over activation patterns (both signs of every candidate: the whole sphere; an anchor at the smallest projection is
     * the tail), checked here against a dense grid of directions over the whole sphere, each with every offset at a data
     * point (the smallest carries the tail: every offset below it has the same value), which may only fall short of it, and against the tail's own maximum {@code ||X^T r||} (one output).
     */
    @Test
    void constantsOnlyNeverBoundBelowTheMaximumOverTheWholeSphere() {
        int halfMissed = 0;
        for (long seed = 1; seed <= 12; seed++) {
            int n = 6 + (int) (seed % 4);
            int m = seed % 3 == 0 ? 2 : 1;
            DMatrixRMaj x = RandomNetworks.matrix(n, 3, 300 + seed);
            DMatrixRMaj r = centred(RandomNetworks.matrix(n, m, 400 + seed));
            double exact = DualNormBruteForceTest.bruteForce(x, r);
            double grid = PricingTest.fibonacciSphereBest(x, r, 20_000);   // every data-point offset: the tail too
            assertThat(grid).as("seed %d", seed).isLessThanOrEqualTo(exact * (1 + ROUND)).isGreaterThan(0.97 * exact);
            assertThat(tail(x, r)).as("seed %d", seed).isLessThanOrEqualTo(exact * (1 + ROUND));
            OffsetCellBound.Result b = bracketsUnderEveryBudget(new OffsetCellBound(x, m, true), x, r, exact, seed);
            double tol = tolerance(r);
            // The half sphere is not enough here: its cover misses the maximum on some seeds (counted below).
            OffsetCellBound.Result half = new OffsetCellBound(x, m).bound(r, null, tol, 2_000_000, Long.MAX_VALUE, null);
            if (half.upper() < exact * (1 - 2 * tol)) {
                halfMissed++;
            }
            Pricing.Best sampled = new Pricing.Best(b.best(), false);
            ProvenDualNorm.Bracket s = ProvenDualNorm.of(x, r, sampled, true, tol, () -> false);
            assertThat(s.proven()).isTrue();
            assertThat(s.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND)).isLessThanOrEqualTo(exact * (1 + tol + ROUND));
        }
        assertThat(halfMissed).isPositive();
    }

    /**
     * Two outputs beyond the three-input enumeration's rows: {@link ProvenDualNorm} proves S with this bound (the
     * chords' second-order bound) to 1e-6, against the enumeration of {@link ArrangementPricing3D} run here. The
     * second-order bound is what converges within {@link #TWO_OUTPUT_CELLS} cells: with it the search took 21,959 cells
     * (5.3e6 work), with the first-order bound alone (centre, {@code ||A||_F chord}, the ambiguous points' reach) 285,237
     * (2.9e7 work), so this fails without it (checked by deleting it). The proof above passes either way: its work
     * budget covers both.
     */
    @Test
    void twoOutputsBeyondTheEnumerationAreProvenToTheTolerance() {
        DMatrixRMaj x = RandomNetworks.matrix(70, 3, 61);
        DMatrixRMaj r = PricingTest.residual(x, 2, 62);
        double exact = new ArrangementPricing3D(x, 2).best(r, null).value();
        Pricing.Best found = new Pricing(x, 2, 63).best(r, null);
        assertThat(found.exact()).isFalse();
        ProvenDualNorm.Bracket s = ProvenDualNorm.of(x, r, found, false, 1e-6, () -> false);
        assertThat(s.proven()).isTrue();
        assertThat(s.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND)).isLessThanOrEqualTo(exact * (1 + 1e-6 + ROUND));
        assertThat(s.lower()).isLessThanOrEqualTo(exact * (1 + ROUND));
        OffsetCellBound.Result b = new OffsetCellBound(x, 2).bound(r, null, 1e-6, TWO_OUTPUT_CELLS, Long.MAX_VALUE, null);
        assertThat(b.converged()).as("converged within %d cells", TWO_OUTPUT_CELLS).isTrue();
        assertThat(b.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND)).isLessThanOrEqualTo(exact * (1 + 1e-6 + ROUND));
        assertThat(b.lower()).isLessThanOrEqualTo(exact * (1 + ROUND));
    }

    /** The affine tail alone dominates: a point whose best atom is active on every data point. */
    @Test
    void constantsOnlyBoundsTheAffineTail() {
        DMatrixRMaj x = RandomNetworks.matrix(9, 3, 51);
        DMatrixRMaj r = new DMatrixRMaj(9, 1);
        for (int q = 0; q < 9; q++) {
            r.data[q] = x.get(q, 0) + 0.5 * x.get(q, 2);   // correlated with a linear function: a large tail
        }
        r = centred(r);
        double exact = DualNormBruteForceTest.bruteForce(x, r);
        assertThat(tail(x, r)).isLessThanOrEqualTo(exact * (1 + ROUND)).isGreaterThan(0.5 * exact);
        OffsetCellBound.Result b = new OffsetCellBound(x, 1, true).bound(r, null, 1e-6, 2_000_000, Long.MAX_VALUE, null);
        assertThat(b.converged()).isTrue();
        assertThat(b.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND)).isLessThanOrEqualTo(exact * (1 + 1e-6 + ROUND));
    }

    /** Each column minus its mean. */
    static DMatrixRMaj centred(DMatrixRMaj a) {
        DMatrixRMaj out = a.copy();
        for (int c = 0; c < a.numCols; c++) {
            double mean = 0;
            for (int q = 0; q < a.numRows; q++) {
                mean += a.get(q, c) / a.numRows;
            }
            for (int q = 0; q < a.numRows; q++) {
                out.add(q, c, -mean);
            }
        }
        return out;
    }

    /** {@code ||X^T r||} (one output: the largest affine-tail value {@code |sum r_n u . x_n|} over unit u). */
    static double tail(DMatrixRMaj x, DMatrixRMaj r) {
        double s = 0;
        for (int t = 0; t < x.numCols; t++) {
            for (int i = 0; i < r.numCols; i++) {
                double v = 0;
                for (int q = 0; q < x.numRows; q++) {
                    v += x.get(q, t) * r.get(q, i);
                }
                s += v * v;
            }
        }
        return r.numCols == 1 ? Math.sqrt(s) : 0.0;
    }

    @Test
    void aStartAtomIsALowerBoundAndStoppingKeepsTheUpperBound() {
        DMatrixRMaj x = RandomNetworks.matrix(11, 3, 31);
        DMatrixRMaj r = PricingTest.residual(x, 1, 32);
        double exact = DualNormBruteForceTest.bruteForce(x, r);   // three inputs: the fast brute force
        Atom start = new LocalPricing(x, 1, 3).search(r, null, 4, 4, Double.POSITIVE_INFINITY, 1).get(0);
        OffsetCellBound.Result stopped = new OffsetCellBound(x, 1).bound(r, start, 1e-9, Long.MAX_VALUE, Long.MAX_VALUE,
                () -> true);
        assertThat(stopped.converged()).isFalse();
        assertThat(stopped.lower()).isGreaterThanOrEqualTo(start.value() * (1 - ROUND));
        assertThat(stopped.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND));
        // Beyond the corner enumeration's dimension the half-diagonal cap still bounds a value found by the local search.
        DMatrixRMaj wide = RandomNetworks.matrix(30, CapGeometry.MAX_CORNER_DIMENSION + 3, 4);
        DMatrixRMaj rw = PricingTest.residual(wide, 1, 5);
        OffsetCellBound.Result h = new OffsetCellBound(wide, 1).bound(rw, null, 1e-6, 200, Long.MAX_VALUE, null);
        Atom local = new LocalPricing(wide, 1, 3).search(rw, null, 8, 8, Double.POSITIVE_INFINITY, 1).get(0);
        assertThat(h.upper()).isGreaterThanOrEqualTo(local.value() * (1 - ROUND));
    }
}
