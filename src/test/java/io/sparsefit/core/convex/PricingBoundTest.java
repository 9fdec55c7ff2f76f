package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sparsefit.core.network.RandomNetworks;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The branch-and-bound bounds on the T8 dual norm against exact values computed independently: d = 1 by
 * {@link DualNorm1D}, d = 2 by {@link ExactPricing2D}, d = 3 by {@link ArrangementPricing3D} (itself checked
 * against a brute force in its own test). Always {@code lower <= exact <= upper} (up to the relative 1e-12 of
 * rounding), including under tight cell budgets where the search stops early; a converged search brackets the
 * exact value within its relative tolerance. Residuals are projected off [1, x] here.
 */
class PricingBoundTest {

    private static final double ROUND = 1e-12;

    @Test
    void theValueVanishesForOffsetsOutsideTheProjections() {
        // The fact the search relies on: r orthogonal to affine functions makes the value 0 once c leaves
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
    void oneInputIsExactAtOnce() {
        for (long seed = 1; seed <= 20; seed++) {
            int n = 5 + (int) (seed % 30);
            int m = 1 + (int) (seed % 3);
            DMatrixRMaj x = RandomNetworks.matrix(n, 1, seed);
            DMatrixRMaj r = PricingTest.residual(x, m, seed + 100);
            double exact = DualNorm1D.supremum(x.data, r);
            PricingBound.Result b = new PricingBound(x, m).bound(r, null, 1e-9, 100, Long.MAX_VALUE, null);
            assertThat(b.converged()).isTrue();
            assertThat(b.lower()).isCloseTo(exact, offset(1e-12 * exact));
            assertThat(b.upper()).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact * (1 + 1e-9));
        }
    }

    @ParameterizedTest
    @CsvSource({"10, 1, 1", "25, 1, 2", "40, 1, 3", "30, 2, 4", "60, 1, 5", "20, 3, 6"})
    void twoInputsBracketTheExactSweep(int n, int m, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 2, seed);
        DMatrixRMaj r = PricingTest.residual(x, m, seed + 200);
        double exact = new ExactPricing2D(x, r.numCols).best(r, null).value();
        PricingBound bound = new PricingBound(x, m);
        for (long budget : new long[] {2, 10, 50, 300}) {
            PricingBound.Result b = bound.bound(r, null, 1e-6, budget, Long.MAX_VALUE, null);
            assertBracket(b, exact);
        }
        PricingBound.Result b = bound.bound(r, null, 1e-7, 1_000_000, Long.MAX_VALUE, null);
        assertThat(b.converged()).isTrue();
        assertBracket(b, exact);
        assertThat(b.upper()).isLessThanOrEqualTo(exact * (1 + 1e-7) * (1 + ROUND));
        assertThat(PricingTest.value(x, r, b.best().direction(), b.best().offset())).isCloseTo(b.lower(), offset(ROUND * exact));
    }

    @Test
    void threeInputsBracketTheExactEnumerationOnManyProblems() {
        for (long seed = 1; seed <= 30; seed++) {
            int n = 6 + (int) (seed % 9);
            int m = seed % 4 == 0 ? 2 : 1;
            DMatrixRMaj x = RandomNetworks.matrix(n, 3, seed);
            DMatrixRMaj r = PricingTest.residual(x, m, seed + 300);
            double exact = new ArrangementPricing3D(x, r.numCols).best(r, null).value();
            PricingBound bound = new PricingBound(x, m);
            for (long budget : new long[] {3, 20, 100}) {
                assertBracket(bound.bound(r, null, 1e-6, budget, Long.MAX_VALUE, null), exact);
            }
            PricingBound.Result b = bound.bound(r, null, 1e-6, 2_000_000, Long.MAX_VALUE, null);
            assertThat(b.converged()).as("seed %d", seed).isTrue();
            assertBracket(b, exact);
            assertThat(b.upper()).isLessThanOrEqualTo(exact * (1 + 1e-6) * (1 + ROUND));
        }
    }

    @Test
    void aStartAtomSetsTheLowerBoundAndAStopSignalEndsWithValidBounds() {
        DMatrixRMaj x = RandomNetworks.matrix(40, 5, 9);
        DMatrixRMaj r = PricingTest.residual(x, 1, 10);
        Atom start = new LocalPricing(x, 1, 3).search(r, null, 8, 8, Double.POSITIVE_INFINITY, 1).get(0);
        // A stop signal (a fit's cancel or deadline) ends the search at once with valid bounds.
        PricingBound.Result s = new PricingBound(x, 1).bound(r, start, 1e-6, Long.MAX_VALUE, Long.MAX_VALUE, () -> true);
        assertThat(s.converged()).isFalse();
        assertThat(s.lower()).isGreaterThanOrEqualTo(start.value() * (1 - ROUND));
        assertThat(s.upper()).isGreaterThanOrEqualTo(s.lower());
        // Beyond the corner enumeration's dimension the half-diagonal cap still bounds a direct lower value.
        DMatrixRMaj wide = RandomNetworks.matrix(30, PricingBound.MAX_CORNER_DIMENSION + 3, 4);
        DMatrixRMaj rw = PricingTest.residual(wide, 1, 5);
        PricingBound.Result h = new PricingBound(wide, 1).bound(rw, null, 1e-6, 200, Long.MAX_VALUE, null);
        Atom local = new LocalPricing(wide, 1, 3).search(rw, null, 8, 8, Double.POSITIVE_INFINITY, 1).get(0);
        assertThat(h.upper()).isGreaterThanOrEqualTo(local.value() * (1 - ROUND));
    }

    private static void assertBracket(PricingBound.Result b, double exact) {
        assertThat(b.lower()).isLessThanOrEqualTo(exact * (1 + ROUND) + 1e-15);
        assertThat(b.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND));
        assertThat(b.upper()).isGreaterThanOrEqualTo(b.lower());
    }
}
