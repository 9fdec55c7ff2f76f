package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.network.RandomNetworks;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the warm restricted solves of column generation rely on (issue 20): {@link GroupLasso.ActiveFactor} taking the
 * rows of the previous factorization on a shared prefix of the active set gives the bits of a fresh factorization (an
 * index left out is rotated out instead, {@link ActiveFactorTest}), and both are a Cholesky factor of the Gram matrix on the set (checked against a plain-loop {@code L L^T} here); a solve
 * warm from a converged optimum with new features at zero reaches the objective of a cold solve, and of coordinate
 * descent written out here, to 1e-10 relative.
 */
class GroupLassoWarmTest {

    /** ReLU features of random data (as column generation's atoms), N x K, projected off the constants and x. */
    private static DMatrixRMaj reluFeatures(int n, int d, int k, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed);
        SplittableRandom random = new SplittableRandom(seed + 7);
        DMatrixRMaj f = new DMatrixRMaj(n, k);
        for (int c = 0; c < k; c++) {
            double[] u = new double[d];
            for (int j = 0; j < d; j++) {
                u[j] = random.nextGaussian();
            }
            // the knot at a projection between the 25 % and 75 % quantiles: active on enough points to stay out of [1, x]
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    p[i] += u[j] * x.data[i * d + j];
                }
            }
            java.util.Arrays.sort(p);
            double offset = p[n / 4 + random.nextInt(n / 2)];
            for (int i = 0; i < n; i++) {
                double z = -offset;
                for (int j = 0; j < d; j++) {
                    z += u[j] * x.data[i * d + j];
                }
                f.data[i * k + c] = Math.max(0.0, z);
            }
        }
        AffineProjection.of(x, true).projectInPlace(f);
        return f;
    }

    private static double[] gram(DMatrixRMaj f) {
        int k = f.numCols;
        double[] g = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (int i = 0; i < f.numRows; i++) {
                    s += f.data[i * k + a] * f.data[i * k + b];
                }
                g[a * k + b] = s;
            }
        }
        return g;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void factorFromAPreviousOneFactorsTheGramMatrixWithAFreshOnesBitsWhenAnIndexEnters(long seed) {
        int k = 24;
        DMatrixRMaj f = reluFeatures(60, 4, k, seed);
        DMatrixRMaj y = RandomNetworks.matrix(60, 1, seed + 100);
        GroupLasso lasso = new GroupLasso(f, y, 0.1);
        double[] g = gram(f);
        SplittableRandom random = new SplittableRandom(seed);
        GroupLasso.ActiveFactor previous = null;
        int[] set = {0, 2, 3, 5, 8, 9, 13, 14, 20};
        for (int trial = 0; trial < 40; trial++) {
            // the next set: one index in or out, at a random place (as feature-sign's steps change it), kept sorted
            int before = set.length;
            set = toggled(set, random.nextInt(k));
            GroupLasso.ActiveFactor reused = lasso.new ActiveFactor(set, set.length, previous);
            GroupLasso.ActiveFactor fresh = lasso.new ActiveFactor(set, set.length);
            if (set.length > before) {
                // an index in: the rows before it are the previous ones, the rest formed as a fresh factor forms them
                // (previous is a fresh factor; an index out is rotated out instead, checked by ActiveFactorTest)
                assertThat(reused.lower).isEqualTo(fresh.lower);
                assertThat(reused.pivots).isEqualTo(fresh.pivots);
            }
            assertThat(reused.factored).isEqualTo(fresh.factored);
            assertThat(reused.factored).isEqualTo(set.length);
            int c = set.length;
            for (int a = 0; a < c; a++) {
                for (int b = 0; b < c; b++) {
                    double s = 0;
                    for (int r = 0; r < c; r++) {
                        s += reused.lower[a * c + r] * reused.lower[b * c + r];
                    }
                    double expected = g[set[a] * k + set[b]];
                    assertThat(s).isCloseTo(expected, within(1e-12 * Math.max(1.0, g[set[a] * k + set[a]])));
                }
            }
            previous = fresh;
        }
    }

    /** A repeated feature stops the factorization at its pivot; a later factor reuses only the rows before it. */
    @Test
    void dependentFeatureStopsBothFactorizationsAlike() {
        int n = 40;
        DMatrixRMaj base = reluFeatures(n, 3, 6, 9);
        DMatrixRMaj f = new DMatrixRMaj(n, 7);
        for (int i = 0; i < n; i++) {
            System.arraycopy(base.data, i * 6, f.data, i * 7, 6);
            f.data[i * 7 + 6] = base.data[i * 6 + 2];   // column 6 repeats column 2
        }
        GroupLasso lasso = new GroupLasso(f, RandomNetworks.matrix(n, 1, 5), 0.1);
        int[] first = {0, 2, 6, 3, 4};
        GroupLasso.ActiveFactor stopped = lasso.new ActiveFactor(first, first.length);
        assertThat(stopped.factored).isLessThan(first.length);
        int[][] next = {{0, 2, 6, 3, 4, 5}, {0, 2, 3, 4}, {0, 2, 6, 5}, {1, 2, 6}};
        GroupLasso.ActiveFactor previous = stopped;
        for (int[] set : next) {
            GroupLasso.ActiveFactor reused = lasso.new ActiveFactor(set, set.length, previous);
            GroupLasso.ActiveFactor fresh = lasso.new ActiveFactor(set, set.length);
            assertThat(reused.lower).isEqualTo(fresh.lower);
            assertThat(reused.pivots).isEqualTo(fresh.pivots);
            assertThat(reused.factored).isEqualTo(fresh.factored);
            previous = reused;
        }
    }

    private static int[] toggled(int[] set, int index) {
        boolean present = false;
        for (int s : set) {
            present |= s == index;
        }
        int[] out = new int[present ? set.length - 1 : set.length + 1];
        int q = 0;
        boolean placed = present;
        for (int s : set) {
            if (!placed && index < s) {
                out[q++] = index;
                placed = true;
            }
            if (s != index) {
                out[q++] = s;
            }
        }
        if (!placed) {
            out[q] = index;
        }
        return out;
    }

    /**
     * Column generation's round: the optimum over the first K - 6 features (solved cold), then the six new ones at zero.
     * The warm solve reaches the cold solve's objective over all K, and coordinate descent's (written out below), to
     * 1e-10 relative, and reports convergence.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void warmSolveFromTheLastOptimumMatchesTheColdSolve(long seed) {
        int n = 80;
        int k = 30;
        DMatrixRMaj f = reluFeatures(n, 5, k, seed);
        DMatrixRMaj y = RandomNetworks.matrix(n, 1, seed + 200);
        double lambda = 0.05 * largestCorrelation(f, y);
        DMatrixRMaj older = new DMatrixRMaj(n, k - 6);
        for (int i = 0; i < n; i++) {
            System.arraycopy(f.data, i * k, older.data, i * (k - 6), k - 6);
        }
        GroupLasso.Outcome last = new GroupLasso(older, y, lambda).solve(new double[k - 6]);
        double[] start = new double[k];
        System.arraycopy(last.amplitudes(), 0, start, 0, k - 6);

        GroupLasso.Outcome warm = new GroupLasso(f, y, lambda).solve(start);
        GroupLasso.Outcome cold = new GroupLasso(f, y, lambda).solve(new double[k]);
        double descent = coordinateDescent(f, y, lambda);

        double warmJ = objective(f, y, lambda, warm.amplitudes());
        assertThat(warm.converged()).isTrue();
        assertThat(warmJ).isCloseTo(objective(f, y, lambda, cold.amplitudes()), within(1e-10 * warmJ));
        assertThat(warmJ).isCloseTo(descent, within(1e-10 * warmJ));
    }

    /** Cyclic coordinate descent on {@code 1/2 ||y - F a||^2 + lambda ||a||_1} until a sweep moves nothing. */
    private static double coordinateDescent(DMatrixRMaj f, DMatrixRMaj y, double lambda) {
        int n = f.numRows;
        int k = f.numCols;
        double[] a = new double[k];
        double[] r = y.data.clone();
        for (int sweep = 0; sweep < 200_000; sweep++) {
            double moved = 0;
            for (int c = 0; c < k; c++) {
                double norm = 0;
                double corr = 0;
                for (int i = 0; i < n; i++) {
                    double v = f.data[i * k + c];
                    norm += v * v;
                    corr += v * (r[i] + v * a[c]);
                }
                double next = norm == 0 ? 0 : Math.signum(corr) * Math.max(0, Math.abs(corr) - lambda) / norm;
                double delta = next - a[c];
                if (delta != 0) {
                    for (int i = 0; i < n; i++) {
                        r[i] -= delta * f.data[i * k + c];
                    }
                    a[c] = next;
                    moved = Math.max(moved, Math.abs(delta));
                }
            }
            if (moved < 1e-15) {
                break;
            }
        }
        return objective(f, y, lambda, a);
    }

    private static double objective(DMatrixRMaj f, DMatrixRMaj y, double lambda, double[] a) {
        int n = f.numRows;
        int k = f.numCols;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double fit = 0;
            for (int c = 0; c < k; c++) {
                fit += f.data[i * k + c] * a[c];
            }
            s += 0.5 * (y.data[i] - fit) * (y.data[i] - fit);
        }
        for (double v : a) {
            s += lambda * Math.abs(v);
        }
        return s;
    }

    private static double largestCorrelation(DMatrixRMaj f, DMatrixRMaj y) {
        double best = 0;
        for (int c = 0; c < f.numCols; c++) {
            double s = 0;
            for (int i = 0; i < f.numRows; i++) {
                s += f.data[i * f.numCols + c] * y.data[i];
            }
            best = Math.max(best, Math.abs(s));
        }
        return best;
    }
}
