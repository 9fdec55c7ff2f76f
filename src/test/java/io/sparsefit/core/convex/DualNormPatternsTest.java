package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sparsefit.core.network.RandomNetworks;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The proven dual norms of theory T8 (issue 20) against {@link ActivationPatterns}, a brute force over all 2^N
 * activation patterns written for the tests: the d = 3 enumeration ({@link ArrangementPricing3D}) equals it; the
 * branch and bound's upper bound ({@link OffsetCellBound}) is never below it, whatever its budget, in d = 3, 4 and 5, and
 * its lower bound never above it; {@link ProvenDualNorm}'s bracket contains it and is as tight as it says when proven.
 * Residuals are projected off [1, x] (PricingTest.residual). Tolerances: 1e-9 relative for two exact computations
 * (rounding of different summation orders), 1e-12 relative for a bound (its own rounding margin is 1e-11 upwards).
 */
class DualNormPatternsTest {

    private static final double ROUND = 1e-12;

    @ParameterizedTest
    @CsvSource({"6, 1", "7, 2", "8, 3", "9, 4", "10, 5", "8, 6", "9, 7", "10, 8", "7, 9", "9, 10"})
    void theThreeInputEnumerationEqualsTheMaximumOverAllActivationPatterns(int n, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 3, seed);
        DMatrixRMaj r = PricingTest.residual(x, 1, seed + 70);
        double brute = ActivationPatterns.maximum(x, r);
        assertThat(brute).isPositive();
        assertThat(new ArrangementPricing3D(x, r.numCols).best(r, null).value()).isCloseTo(brute, offset(1e-9 * brute));
    }

    @Test
    void theBruteForceAgreesWithTheExactSweepInTwoInputs() {
        // The brute force itself, checked where an exact answer is known independently of it (ExactPricing2D).
        for (long seed = 1; seed <= 6; seed++) {
            DMatrixRMaj x = RandomNetworks.matrix(6 + (int) seed, 2, seed);
            DMatrixRMaj r = PricingTest.residual(x, 1, seed + 90);
            assertThat(ActivationPatterns.maximum(x, r)).isCloseTo(new ExactPricing2D(x, r.numCols).best(r, null).value(), offset(1e-9));
        }
    }

    @ParameterizedTest
    @CsvSource({"3, 8, 1", "3, 10, 2", "4, 8, 3", "4, 9, 4", "5, 8, 5", "5, 10, 6"})
    void branchAndBoundBoundsAreNeverBelowTheEnumeratedMaximumUnderEveryWorkBudget(int d, int n, long seed) {
        // Under cell budgets and to convergence: OffsetCellBoundTest (the same brute force).
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed);
        DMatrixRMaj r = PricingTest.residual(x, 1, seed + 30);
        double brute = ActivationPatterns.maximum(x, r);
        OffsetCellBound bound = new OffsetCellBound(x, 1);
        for (long work : new long[] {1, 1_000, 100_000}) {
            OffsetCellBound.Result b = bound.bound(r, null, 1e-6, Long.MAX_VALUE, work, null);
            assertThat(b.upper()).as("d %d, work %d", d, work).isGreaterThanOrEqualTo(brute * (1 - ROUND));
            assertThat(b.lower()).isLessThanOrEqualTo(brute * (1 + ROUND));
            assertThat(b.work()).isPositive();
        }
    }

    @ParameterizedTest
    @CsvSource({"3, 9, 11", "3, 70, 12", "4, 9, 13", "5, 8, 14", "4, 45, 15"})
    void theProvenBracketContainsTheTrueValue(int d, int n, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed);
        DMatrixRMaj r = PricingTest.residual(x, 1, seed + 40);
        // N = 70 > EXACT_3D_MAX_ROWS and d = 4, N = 45 beyond ProvenDualNorm.ENUMERATION_WORK take the branch and bound;
        // the enumerations are the reference there.
        double exact = n <= 12 ? ActivationPatterns.maximum(x, r) : d == 3
                ? new ArrangementPricing3D(x, r.numCols).best(r, null).value()
                : new ArrangementPricingND(x).best(r, null).best().value();
        Pricing.Best found = new Pricing(x, 1, seed).best(r, null);
        assertThat(found.exact()).isFalse();
        double tol = d == 3 ? 1e-6 : 0.05;   // see the branch-and-bound test for d >= 4
        boolean enumerated = d == 3 ? n <= Pricing.EXACT_3D_MAX_ROWS : ProvenDualNorm.enumerates(n, d, 1);
        ProvenDualNorm.Bracket s = ProvenDualNorm.of(x, r, found, false, tol, () -> false);
        assertThat(s.proven()).isEqualTo(d == 3 || enumerated || s.upper() <= s.lower() * (1 + tol));
        if (d == 3 || enumerated) {
            assertThat(s.proven()).isTrue();
        }
        if (enumerated) {   // exact, not only to the tolerance
            assertThat(s.lower()).isCloseTo(exact, offset(1e-9 * exact));
            assertThat(s.upper()).isLessThanOrEqualTo(s.lower() * (1 + ProvenDualNorm.ENUMERATION_ROUNDING));
        }
        assertThat(s.lower()).isGreaterThanOrEqualTo(found.value()).isLessThanOrEqualTo(exact * (1 + ROUND));
        assertThat(s.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND));
        if (s.proven()) {
            assertThat(s.upper()).isLessThanOrEqualTo(s.lower() * (1 + tol) * (1 + ProvenDualNorm.ENUMERATION_ROUNDING));
        }
        assertThat(PricingTest.value(x, r, s.best().direction(), s.best().offset())).isCloseTo(s.lower(), offset(1e-12 * exact));

        // A budget too small to converge: not proven, and the upper bound still holds.
        ProvenDualNorm.Bracket cut = ProvenDualNorm.of(x, r, found, false, 1e-6, 1, () -> false);
        if (!enumerated) {
            assertThat(cut.proven()).isFalse();
            assertThat(cut.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND));
        }
        // Stopped at once: the enumeration has no bound, the branch and bound keeps its roots' bound.
        ProvenDualNorm.Bracket stopped = ProvenDualNorm.of(x, r, found, false, 1e-6, () -> true);
        assertThat(stopped.proven()).isFalse();
        assertThat(stopped.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND));
        // Taken as orthogonal to the constants only (the whole sphere; r here is orthogonal to [1, x] too, so S is the
        // same): the bracket still contains S, and is as tight as it says when proven.
        ProvenDualNorm.Bracket constants = ProvenDualNorm.of(x, r, found, true, tol, () -> false);
        assertThat(constants.upper()).isGreaterThanOrEqualTo(exact * (1 - ROUND));
        assertThat(constants.lower()).isLessThanOrEqualTo(exact * (1 + ROUND));
        if (d == 3) {
            assertThat(constants.proven()).isTrue();
        }
        if (constants.proven()) {
            assertThat(constants.upper()).isLessThanOrEqualTo(constants.lower() * (1 + tol) * (1 + ROUND));
        }
    }

    @Test
    void theToleranceMovesTheDualValueByTheSlackAndNoMore() {
        // A squared-loss dual value as a function of the norm used to scale: D(s) = t ry - t^2 rr / 2, t = min(1, l / s).
        double ry = 3.0;
        double rr = 2.5;
        double lambda = 1.0;
        java.util.function.DoubleUnaryOperator dual = s -> {
            double t = Math.min(1.0, lambda / s);
            return t * ry - 0.5 * t * t * rr;
        };
        for (double sampled : new double[] {1.2, 1.0001, 2.0}) {
            for (double primal : new double[] {dual.applyAsDouble(sampled) + 0.5, dual.applyAsDouble(sampled) + 1e-9}) {
                double at = dual.applyAsDouble(sampled);
                double slack = Math.max(ProvenDualNorm.GAP_SLACK * (primal - at), ProvenDualNorm.ABSOLUTE_SLACK * Math.max(1, primal));
                double rho = ProvenDualNorm.tolerance(dual, sampled, primal);
                assertThat(rho).isBetween(ProvenDualNorm.MIN_REL_TOL, 1.0);
                assertThat(dual.applyAsDouble(sampled * (1 + rho))).isGreaterThanOrEqualTo(at - slack * (1 + 1e-9));
                if (rho < 0.5) {
                    assertThat(dual.applyAsDouble(sampled * (1 + rho * 1.01))).isLessThan(at - slack);
                }
            }
        }
        // Below lambda the scale is 1 whatever s: only values above lambda count.
        assertThat(ProvenDualNorm.tolerance(dual, 0.5, dual.applyAsDouble(0.5) + 1e-9)).isGreaterThanOrEqualTo(1.0 - 1e-9);
    }

    @Test
    void anUnprovenBranchAndBoundIsFollowedByTheEnumeration() {
        // d = 4, N = 45: beyond the enumeration taken first (ENUMERATION_WORK); 4 times its forecast within the budget
        // less its thirtieth
        DMatrixRMaj x = RandomNetworks.matrix(45, 4, 15);
        DMatrixRMaj r = PricingTest.residual(x, 1, 55);
        assertThat(ProvenDualNorm.enumerates(45, 4, 1)).isFalse();
        assertThat(ProvenDualNorm.enumeratesAfterSearch(45, 4, 1, ProvenDualNorm.WORK_BUDGET_LOW_D)).isTrue();
        assertThat(ProvenDualNorm.enumeratesAfterSearch(45, 4, 1, ArrangementPricingND.work(45, 4))).isFalse();
        assertThat(ProvenDualNorm.enumeratesAfterSearch(45, 4, 2, ProvenDualNorm.WORK_BUDGET_LOW_D)).isFalse();
        double exact = new ArrangementPricingND(x).best(r, null).best().value();
        Pricing.Best found = new Pricing(x, 1, 15).best(r, null);
        // a tolerance of 1e-12, below the branch and bound's rounding margin (1e-11): it cannot prove, the enumeration does
        ProvenDualNorm.Bracket s = ProvenDualNorm.of(x, r, found, false, 1e-12, () -> false);
        assertThat(s.proven()).isTrue();
        assertThat(s.lower()).isCloseTo(exact, offset(1e-9 * exact));
        assertThat(s.upper()).isLessThanOrEqualTo(s.lower() * (1 + ProvenDualNorm.ENUMERATION_ROUNDING));
        assertThat(PricingTest.value(x, r, s.best().direction(), s.best().offset())).isCloseTo(s.lower(), offset(1e-12 * exact));
    }

    @Test
    void theEnumerationAfterTheSearchReachesAsStated() {
        // 4 ArrangementPricingND.work(N, d) <= 3e9 - 1e8: the last row in and the first out, as the docs state them
        int[][] lastIn = {{4, 47}, {5, 25}, {6, 17}, {7, 13}, {8, 12}};
        for (int[] c : lastIn) {
            assertThat(ProvenDualNorm.enumeratesAfterSearch(c[1], c[0], 1, ProvenDualNorm.WORK_BUDGET_LOW_D)).isTrue();
            assertThat(ProvenDualNorm.enumeratesAfterSearch(c[1] + 1, c[0], 1, ProvenDualNorm.WORK_BUDGET_LOW_D)).isFalse();
        }
        // nine and ten inputs: no row beyond the enumeration taken first
        for (int d : new int[] {9, 10}) {
            for (int n = d + 1; n < 40; n++) {
                assertThat(ProvenDualNorm.enumeratesAfterSearch(n, d, 1, ProvenDualNorm.WORK_BUDGET_LOW_D)).isFalse();
            }
        }
    }
}
