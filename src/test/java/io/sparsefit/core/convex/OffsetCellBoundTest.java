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
 * number of outputs, {@link PricingBoundBruteForceTest#bruteForce}), over sign patterns and their Lagrange duals in any
 * number of inputs (one output, {@link ActivationPatterns}). Its upper bound is never below the maximum and its lower
 * bound never above it, under every cell budget; where it converges its bracket is within the tolerance; the atom it
 * reports has the value it reports.
 */
class OffsetCellBoundTest {

    private static final double ROUND = 1e-10;   // the bound's own inflation is 1e-11

    @Test
    void threeInputsNeverBoundBelowTheMaximumOverActivationPatterns() {
        for (long seed = 1; seed <= 24; seed++) {
            int n = 6 + (int) (seed % 4);
            int m = seed % 3 == 0 ? 2 : 1;
            DMatrixRMaj x = RandomNetworks.matrix(n, 3, 700 + seed);
            DMatrixRMaj r = PricingTest.residual(x, m, 800 + seed);
            double exact = PricingBoundBruteForceTest.bruteForce(x, r);
            assertThat(exact).isPositive();
            OffsetCellBound bound = new OffsetCellBound(x, m);
            for (long cells : new long[] {3, 10, 40, 200, 1000, 5000}) {
                PricingBound.Result b = bound.bound(r, null, 1e-6, cells, Long.MAX_VALUE, null);
                assertThat(b.upper()).as("seed %d, %d cells", seed, cells).isGreaterThanOrEqualTo(exact * (1 - ROUND));
                assertThat(b.lower()).as("seed %d, %d cells", seed, cells).isLessThanOrEqualTo(exact * (1 + ROUND));
            }
            double tol = m == 1 ? 1e-5 : 1e-2;   // several outputs: a bound of first order, slower to converge
            PricingBound.Result b = bound.bound(r, null, tol, 2_000_000, Long.MAX_VALUE, null);
            assertThat(b.converged()).as("seed %d", seed).isTrue();
            assertThat(b.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND)).isLessThanOrEqualTo(exact * (1 + tol + ROUND));
            assertThat(PricingTest.value(x, r, b.best().direction(), b.best().offset()))
                    .isCloseTo(b.lower(), offset(1e-12 * exact));
        }
    }

    @ParameterizedTest
    @CsvSource({"3, 11, 21", "4, 9, 23", "5, 10, 25", "6, 9, 26"})   // the brute force costs O(2^N N^(d+1))
    void anyInputsNeverBoundBelowTheMaximumOverSignPatterns(int d, int n, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed);
        DMatrixRMaj r = PricingTest.residual(x, 1, seed + 40);
        double exact = ActivationPatterns.maximum(x, r);
        OffsetCellBound bound = new OffsetCellBound(x, 1);
        for (long cells = 3; cells <= 19_683; cells *= 3) {
            PricingBound.Result b = bound.bound(r, null, 1e-9, cells, Long.MAX_VALUE, null);
            assertThat(b.upper()).as("%d cells", cells).isGreaterThanOrEqualTo(exact * (1 - ROUND));
            assertThat(b.lower()).as("%d cells", cells).isLessThanOrEqualTo(exact * (1 + ROUND));
        }
        double tol = d == 3 ? 1e-6 : 1e-2;   // from d = 4 on the cells shrink slowly in every direction
        PricingBound.Result b = bound.bound(r, null, tol, 2_000_000, Long.MAX_VALUE, null);
        assertThat(b.converged()).isTrue();
        assertThat(b.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND)).isLessThanOrEqualTo(exact * (1 + tol + ROUND));
    }

    @Test
    void aStartAtomIsALowerBoundAndStoppingKeepsTheUpperBound() {
        DMatrixRMaj x = RandomNetworks.matrix(11, 3, 31);
        DMatrixRMaj r = PricingTest.residual(x, 1, 32);
        double exact = PricingBoundBruteForceTest.bruteForce(x, r);   // three inputs: the fast brute force
        Atom start = new LocalPricing(x, 1, 3).search(r, null, 4, 4, Double.POSITIVE_INFINITY, 1).get(0);
        PricingBound.Result stopped = new OffsetCellBound(x, 1).bound(r, start, 1e-9, Long.MAX_VALUE, Long.MAX_VALUE,
                () -> true);
        assertThat(stopped.converged()).isFalse();
        assertThat(stopped.lower()).isGreaterThanOrEqualTo(start.value() * (1 - ROUND));
        assertThat(stopped.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND));
    }
}
