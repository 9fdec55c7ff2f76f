package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.linalg.CholeskyDelete;
import io.sparsefit.core.network.RandomNetworks;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GroupLasso.ActiveFactor} built from a previous factor (rows reused on a shared prefix, members left out
 * rotated out by {@link CholeskyDelete}, new members appended) against EJML's Cholesky decomposition
 * ({@code DecompositionFactory_DDRM.chol}) of the Gram matrix on the same ordered set, formed afresh, on random SPD Gram
 * matrices: after appends, after removals at the start, the middle and the end, and after a long random walk of both.
 * Tolerance: {@code 1e-12 * max_p G_pp} per entry of L (the factors agree to rounding; the walk's drift is measured
 * against it too), on well-conditioned Gram matrices (Gaussian features, N = 3 K / 2: condition 12-90, measured with
 * EJML's singular values); the nearly dependent sets of the restricted solve in the last walk, against a fresh factor
 * (which has EJML's bits). Mutants it was checked against: a rotated pivot's square taken for the pivots before the
 * first deleted member, re-forming without restarting the rows there, the first unchanged row taken from the last
 * deleted member, and the sign of the Givens rotation's second entry fail it (the first two also fail
 * GroupLassoWarmTest and GroupLassoNearNullTest, the review of twod found); no re-forming at all after a
 * rounding-level rotated pivot passes every test (its pivot stays positive where a fresh one may not, which a
 * rounding-level pivot may do anyway, so the walk allows it at a near-null pivot): that guard is not pinned.
 */
class ActiveFactorTest {

    private static final double TOLERANCE = 1e-12;

    /** Gaussian features N x K: their Gram matrix is SPD with probability one. */
    private static GroupLasso lasso(int n, int k, long seed) {
        DMatrixRMaj f = RandomNetworks.matrix(n, k, seed);
        return new GroupLasso(f, RandomNetworks.matrix(n, 1, seed + 1), 0.1);
    }

    private static double[] gram(int k, long seed, int n) {
        DMatrixRMaj f = RandomNetworks.matrix(n, k, seed);
        double[] g = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += f.data[i * k + a] * f.data[i * k + b];
                }
                g[a * k + b] = s;
            }
        }
        return g;
    }

    /** EJML's lower factor of the Gram matrix on {@code set} (in its order). */
    private static double[] ejmlFactor(double[] g, int k, int[] set) {
        int c = set.length;
        DMatrixRMaj a = new DMatrixRMaj(c, c);
        for (int p = 0; p < c; p++) {
            for (int q = 0; q < c; q++) {
                a.data[p * c + q] = g[set[p] * k + set[q]];
            }
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(c, true);
        assertThat(chol.decompose(a)).isTrue();
        return chol.getT(null).data;
    }

    private static void assertFactorsAgree(GroupLasso.ActiveFactor factor, double[] g, int k) {
        int c = factor.count;
        double[] expected = ejmlFactor(g, k, factor.set);
        double scale = 0;
        for (int p = 0; p < c; p++) {
            scale = Math.max(scale, g[factor.set[p] * k + factor.set[p]]);
        }
        assertThat(factor.factored).isEqualTo(c);
        for (int i = 0; i < c * c; i++) {
            assertThat(Math.abs(factor.lower[i] - expected[i]))
                    .as("entry (%d, %d) of %s", i / c, i % c, Arrays.toString(factor.set))
                    .isLessThanOrEqualTo(TOLERANCE * scale);
        }
        for (int p = 0; p < c; p++) {
            double diagonal = expected[p * c + p];
            assertThat(Math.abs(factor.pivots[p] - diagonal * diagonal)).isLessThanOrEqualTo(10 * TOLERANCE * scale);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 13, 19})
    void removalAnywhereMatchesEjmlsFactorOfTheRemainingSet(int removed) {
        int n = 30;
        int k = 20;
        GroupLasso lasso = lasso(n, k, 41);
        double[] g = gram(k, 41, n);
        int[] all = {4, 0, 9, 17, 2, 11, 5, 19, 13, 6, 1, 8, 15, 3, 18, 10, 7, 14, 12, 16};
        GroupLasso.ActiveFactor full = lasso.new ActiveFactor(all, k);
        assertFactorsAgree(full, g, k);
        int[] rest = new int[k - 1];
        for (int p = 0, q = 0; p < k; p++) {
            if (p != removed) {
                rest[q++] = all[p];
            }
        }
        GroupLasso.ActiveFactor updated = lasso.new ActiveFactor(rest, k - 1, full);
        assertFactorsAgree(updated, g, k);
        // the rows before the removed one are the previous factor's, to the bit
        for (int p = 0; p < removed; p++) {
            for (int r = 0; r <= p; r++) {
                assertThat(updated.lower[p * (k - 1) + r]).isEqualTo(full.lower[p * k + r]);
            }
        }
    }

    @Test
    void removalsAtStartMiddleAndEndWithAppendsMatchEjml() {
        int k = 40;
        GroupLasso lasso = lasso(60, k, 42);
        double[] g = gram(k, 42, 60);
        int[] set = {3, 17, 25, 8, 30, 1, 12, 39, 22, 5};
        GroupLasso.ActiveFactor factor = lasso.new ActiveFactor(set, set.length);
        int[][] steps = {
            {17, 25, 8, 30, 1, 12, 39, 22, 5},                  // the start out
            {17, 25, 8, 1, 12, 39, 22, 5},                      // the middle out
            {17, 25, 8, 1, 12, 39, 22},                         // the end out
            {17, 25, 8, 1, 12, 39, 22, 33, 0},                  // two appended
            {25, 1, 12, 22, 33, 0, 14},                         // three out (start, middle, one before the end), one in
            {25, 1, 12, 22, 33, 0, 14, 7, 9, 10, 11, 13, 15},   // appends
        };
        for (int[] next : steps) {
            factor = lasso.new ActiveFactor(next, next.length, factor);
            assertFactorsAgree(factor, g, k);
        }
    }

    /**
     * A walk of 400 feature-sign-like steps (one member out at a random place, or one appended) on K = 80: the factor
     * is never formed afresh, and still agrees with EJML's at the end and on the way.
     */
    @Test
    void longWalkOfRemovalsAndAppendsStaysWithinTolerance() {
        int k = 80;
        SplittableRandom random = new SplittableRandom(43);
        GroupLasso lasso = lasso(120, k, 43);
        double[] g = gram(k, 43, 120);
        int[] set = random.ints(0, k).distinct().limit(30).toArray();
        GroupLasso.ActiveFactor factor = lasso.new ActiveFactor(set, set.length);
        for (int step = 0; step < 400; step++) {
            boolean remove = set.length > 50 || (set.length > 5 && random.nextBoolean());
            int[] next;
            if (remove) {
                int at = random.nextInt(set.length);
                next = new int[set.length - 1];
                System.arraycopy(set, 0, next, 0, at);
                System.arraycopy(set, at + 1, next, at, set.length - at - 1);
            } else {
                int candidate;
                do {
                    candidate = random.nextInt(k);
                } while (contains(set, candidate));
                next = Arrays.copyOf(set, set.length + 1);
                next[set.length] = candidate;
            }
            set = next;
            factor = lasso.new ActiveFactor(set, set.length, factor);
            if (step % 50 == 49) {
                assertFactorsAgree(factor, g, k);
            }
        }
        assertFactorsAgree(factor, g, k);
    }

    /**
     * A walk over features with exact and near duplicates (columns 20-23 copy columns 2, 6, 10 and 14, the last two
     * plus noise of 1e-9: squared pivots at or below rounding, what two-input column generation piles up), removing
     * the first, a middle or the last member, or appending one, in turn: after every step the updated factor agrees
     * with a fresh one of the same ordered set (EJML's arithmetic, {@link #assertFactorsAgree}): where its factorization
     * stops (a pivot that is not positive; either side of zero only at a near-null one), where the near-dependence tests fire ({@link GroupLasso#NEAR_NULL},
     * {@link GroupLasso#NEAR_DEPENDENT}), the entries and pivots of L before the first nearly dependent column (to
     * {@code 1e-12 max G_pp}), and the rows and pivots before the first removed member, to the bit.
     */
    @Test
    void walkOverNearlyDependentFeaturesAgreesWithAFreshFactorAfterEveryStep() {
        int n = 40;
        int k = 24;
        DMatrixRMaj f = RandomNetworks.matrix(n, k, 45);
        DMatrixRMaj noise = RandomNetworks.matrix(n, 4, 46);
        int[] copied = {2, 6, 10, 14};
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < n; i++) {
                f.data[i * k + 20 + c] = f.data[i * k + copied[c]] + (c < 2 ? 0.0 : 1e-9 * noise.data[i * 4 + c]);
            }
        }
        GroupLasso lasso = new GroupLasso(f, RandomNetworks.matrix(n, 1, 47), 0.1);
        DMatrixRMaj gramMatrix = new DMatrixRMaj(k, k);
        org.ejml.dense.row.CommonOps_DDRM.multTransA(f, f, gramMatrix);
        double[] g = gramMatrix.data;
        SplittableRandom random = new SplittableRandom(48);
        int[] set = {0, 2, 4, 6, 8, 20, 10, 12, 21, 14, 16, 22, 18, 23};
        GroupLasso.ActiveFactor factor = lasso.new ActiveFactor(set, set.length);
        int reformed = 0;
        int stopped = 0;
        for (int step = 0; step < 240; step++) {
            int[] next;
            int phase = step % 4;
            if (phase < 3 && set.length > 4) {
                int at = phase == 0 ? 0 : phase == 1 ? set.length / 2 : set.length - 1;
                next = new int[set.length - 1];
                System.arraycopy(set, 0, next, 0, at);
                System.arraycopy(set, at + 1, next, at, set.length - at - 1);
            } else {
                next = Arrays.copyOf(set, set.length + 1);
                while (set.length < k) {
                    int candidate = random.nextInt(k);
                    if (!contains(set, candidate)) {
                        next[set.length] = candidate;
                        break;
                    }
                }
                if (set.length == k) {
                    next = Arrays.copyOf(set, k - 1);
                }
            }
            GroupLasso.ActiveFactor previous = factor;
            factor = lasso.new ActiveFactor(next, next.length, previous);
            GroupLasso.ActiveFactor fresh = lasso.new ActiveFactor(next, next.length);
            int c = next.length;
            if (factor.factored != fresh.factored) {
                // a rounding-level pivot may come out either side of zero (as in a fresh factorization of another
                // order): only at one that the near-null test flags in both
                assertThat(fresh.firstPivot(GroupLasso.NEAR_NULL)).as("step %d: factored columns of %s", step,
                        Arrays.toString(next)).isBetween(0, Math.min(factor.factored, fresh.factored));
            }
            assertThat(factor.firstPivot(GroupLasso.NEAR_NULL)).as("step %d: near-null pivot", step)
                    .isEqualTo(fresh.firstPivot(GroupLasso.NEAR_NULL));
            assertThat(factor.firstPivot(GroupLasso.NEAR_DEPENDENT)).as("step %d: nearly dependent pivot", step)
                    .isEqualTo(fresh.firstPivot(GroupLasso.NEAR_DEPENDENT));
            int clean = fresh.firstPivot(GroupLasso.NEAR_DEPENDENT);
            clean = clean < 0 ? c : clean;
            double scale = 0;
            for (int p = 0; p < c; p++) {
                scale = Math.max(scale, g[next[p] * k + next[p]]);
            }
            for (int p = 0; p < clean; p++) {
                for (int r = 0; r <= p; r++) {
                    assertThat(Math.abs(factor.lower[p * c + r] - fresh.lower[p * c + r]))
                            .as("step %d: entry (%d, %d) of %s", step, p, r, Arrays.toString(next))
                            .isLessThanOrEqualTo(TOLERANCE * scale);
                }
                assertThat(Math.abs(factor.pivots[p] - fresh.pivots[p])).isLessThanOrEqualTo(10 * TOLERANCE * scale);
            }
            int shared = 0;
            while (shared < Math.min(c, previous.count) && next[shared] == previous.set[shared]) {
                shared++;
            }
            for (int p = 0; p < Math.min(shared, previous.factored); p++) {
                assertThat(factor.pivots[p]).as("step %d: pivot %d kept", step, p).isEqualTo(previous.pivots[p]);
                for (int r = 0; r <= p; r++) {
                    assertThat(factor.lower[p * c + r]).isEqualTo(previous.lower[p * previous.count + r]);
                }
            }
            if (fresh.factored < c) {
                stopped++;
            }
            if (fresh.firstPivot(GroupLasso.NEAR_NULL) >= 0) {
                reformed++;
            }
            set = next;
        }
        // the walk reaches what it is for: stopped factorizations and near-null pivots, many times
        assertThat(stopped).isGreaterThan(10);
        assertThat(reformed).isGreaterThan(20);
    }

    /** The routine alone, on a 6 x 6 factor stored with a wider row stride: row 2 out, against EJML's factor. */
    @Test
    void deleteRowKeepsTheStrideAndZerosAboveTheDiagonal() {
        int n = 6;
        int stride = 9;
        double[] g = gram(n, 44, 10);
        int[] all = {0, 1, 2, 3, 4, 5};
        double[] l = ejmlFactor(g, n, all);
        double[] wide = new double[n * stride];
        for (int r = 0; r < n; r++) {
            System.arraycopy(l, r * n, wide, r * stride, r + 1);
        }
        CholeskyDelete.deleteRow(wide, n, stride, 2);
        double[] expected = ejmlFactor(g, n, new int[] {0, 1, 3, 4, 5});
        double scale = Arrays.stream(g).max().orElseThrow();
        for (int r = 0; r < n - 1; r++) {
            for (int c = 0; c < n - 1; c++) {
                assertThat(Math.abs(wide[r * stride + c] - expected[r * (n - 1) + c])).isLessThanOrEqualTo(TOLERANCE * scale);
            }
        }
    }

    private static boolean contains(int[] set, int value) {
        for (int s : set) {
            if (s == value) {
                return true;
            }
        }
        return false;
    }
}
