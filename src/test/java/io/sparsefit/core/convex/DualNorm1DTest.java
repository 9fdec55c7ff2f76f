package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact 1-D dual norm (T8) against an O(N^2) brute force over every data point and a fine grid of b. */
class DualNorm1DTest {

    @ParameterizedTest(name = "seed {0}, N = {1}, m = {2}")
    @CsvSource({"1, 7, 1", "2, 40, 1", "3, 60, 3", "4, 25, 2", "5, 3, 1"})
    void matchesBruteForceOverDataPointsAndGrid(long seed, int n, int m) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            // Integers in a small range: unsorted, with ties.
            x[i] = rnd.nextInt(n) * 0.37 - 3.0;
        }
        DMatrixRMaj r = new DMatrixRMaj(n, m);
        for (int c = 0; c < m; c++) {
            double[] col = new double[n];
            for (int i = 0; i < n; i++) {
                col[i] = rnd.nextGaussian();
            }
            projectOutAffine(x, col);
            for (int i = 0; i < n; i++) {
                r.set(i, c, col[i]);
            }
        }
        double exact = DualNorm1D.supremum(x, r);

        double overData = 0;
        double mirrored = 0;
        for (double b : x) {
            overData = Math.max(overData, norm(x, r, b, false));
            mirrored = Math.max(mirrored, norm(x, r, b, true));
        }
        double min = java.util.Arrays.stream(x).min().orElseThrow();
        double max = java.util.Arrays.stream(x).max().orElseThrow();
        double overGrid = 0;
        for (int k = 0; k <= 4000; k++) {
            double b = min - 1 + (max - min + 2) * k / 4000.0;
            overGrid = Math.max(overGrid, norm(x, r, b, false));
        }
        assertThat(exact).isCloseTo(overData, within(1e-12 * Math.max(1, overData)));
        assertThat(mirrored).isCloseTo(overData, within(1e-10 * Math.max(1, overData)));
        // The grid can only find less (the supremum is at a data point), but not much less.
        assertThat(overGrid).isLessThanOrEqualTo(exact * (1 + 1e-12) + 1e-12);
        assertThat(overGrid).isGreaterThan(0.95 * exact);
    }

    @Test
    void rejectsMismatchedSizes() {
        assertThatThrownBy(() -> DualNorm1D.supremum(new double[3], new DMatrixRMaj(4, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3").hasMessageContaining("4");
    }

    @Test
    void sortedOrderIsStableAndSorts() {
        double[] x = {3, 1, 2, 1, 3, 0};
        int[] order = DualNorm1D.sortedOrder(x);
        assertThat(order).containsExactly(5, 1, 3, 2, 0, 4);
    }

    /** || sum_n r_n relu(x_n - b) || (or relu(b - x_n) when mirrored), straight from the definition. */
    private static double norm(double[] x, DMatrixRMaj r, double b, boolean mirrored) {
        double s = 0;
        for (int c = 0; c < r.numCols; c++) {
            double v = 0;
            for (int i = 0; i < x.length; i++) {
                v += r.get(i, c) * Math.max(0.0, mirrored ? b - x[i] : x[i] - b);
            }
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static void projectOutAffine(double[] x, double[] v) {
        int n = x.length;
        double xm = 0;
        double vm = 0;
        for (int i = 0; i < n; i++) {
            xm += x[i] / n;
            vm += v[i] / n;
        }
        double sxx = 0;
        double sxv = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - xm) * (x[i] - xm);
            sxv += (x[i] - xm) * (v[i] - vm);
        }
        double slope = sxx > 0 ? sxv / sxx : 0;
        for (int i = 0; i < n; i++) {
            v[i] -= vm + slope * (x[i] - xm);
        }
    }
}
