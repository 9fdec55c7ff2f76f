package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.IndexSort;
import org.ejml.data.DMatrixRMaj;

/**
 * The exact dual norm of theory T8 for one input:
 * {@code S(r) = sup_b || sum_n r_n relu(x_n - b) ||_2}.
 *
 * <p>Why it is exact: for a fixed residual the map {@code b -> sum_n r_n relu(x_n - b)} is a linear
 * spline in {@code b} with breakpoints at the data, so its norm is largest at a data point (or beyond
 * the data, where it is {@code sum_n r_n (x_n - b)}, which vanishes once {@code r} is orthogonal to the
 * affine functions). The mirrored atoms {@code relu(b - x)} differ from these by an affine function,
 * so they give the same value. Evaluating at every data point costs O(N) after sorting, with the
 * suffix recursion of {@link #rampSums}.
 *
 * <p>The kernels over sorted flat arrays are public because the exact 1-D solver (theory C1) uses them
 * for its own stopping rule.
 */
public final class DualNorm1D {

    private DualNorm1D() {
    }

    /**
     * {@code S(r)} for positions {@code x} (length N, any order, ties allowed) and a residual {@code r}
     * (N x m) that the caller has already made orthogonal to the affine functions of {@code x}.
     * O(N log N + N m) time; neither argument is modified.
     *
     * @throws IllegalArgumentException when the sizes disagree
     */
    public static double supremum(double[] x, DMatrixRMaj r) {
        int n = x.length;
        if (r.numRows != n) {
            throw new IllegalArgumentException("x has " + n + " entries but r has " + r.numRows + " rows");
        }
        if (n == 0) {
            return 0.0;
        }
        int m = r.numCols;
        int[] order = sortedOrder(x);
        double[] xs = new double[n];
        double[] rs = new double[n * m];
        for (int i = 0; i < n; i++) {
            int k = order[i];
            xs[i] = x[k];
            System.arraycopy(r.data, k * m, rs, i * m, m);
        }
        double[] q = new double[n * m];
        rampSums(xs, rs, n, m, q);
        return maxRowNorm(q, n, m);
    }

    /**
     * For sorted {@code x} (ascending, ties allowed) and weights {@code w} (n x m, row-major) writes
     * {@code out[j] = sum_{i > j} w_i (x_i - x_j)} (n x m) into {@code out}, modified.
     * Uses the suffix recursion {@code out_j = out_{j+1} + (x_{j+1} - x_j) * sum_{i > j} w_i}, which avoids
     * the cancellation of the two-cumulative-sum formula when |x| is large. With ties the value at a
     * tied position is {@code sum_n w_n relu(x_n - x_j)} as it should be.
     */
    public static void rampSums(double[] x, double[] w, int n, int m, double[] out) {
        if (x.length < n || w.length < n * m || out.length < n * m) {
            throw new IllegalArgumentException("arrays shorter than n=" + n + ", m=" + m);
        }
        if (n == 0) {
            return;
        }
        double[] tail = new double[m];
        int last = (n - 1) * m;
        for (int c = 0; c < m; c++) {
            out[last + c] = 0.0;
            tail[c] = w[last + c];
        }
        for (int j = n - 2; j >= 0; j--) {
            double h = x[j + 1] - x[j];
            int row = j * m;
            for (int c = 0; c < m; c++) {
                out[row + c] = out[row + m + c] + h * tail[c];
                tail[c] += w[row + c];
            }
        }
    }

    /**
     * One-output version of {@link #rampSums(double[], double[], int, int, double[])}; allocates nothing.
     * Both running sums are compensated (Neumaier), because at an optimum q equals +-lambda at the
     * knots to within the rounding of these sums, and that rounding is what limits how small a T8 gap
     * can be certified for near-interpolating fits on many points.
     */
    public static void rampSums(double[] x, double[] w, int n, double[] out) {
        if (n == 0) {
            return;
        }
        out[n - 1] = 0.0;
        double tail = w[n - 1];
        double tailError = 0.0;
        double sum = 0.0;
        double sumError = 0.0;
        for (int j = n - 2; j >= 0; j--) {
            double step = (x[j + 1] - x[j]) * (tail + tailError);
            double t = sum + step;
            sumError += Math.abs(sum) >= Math.abs(step) ? (sum - t) + step : (step - t) + sum;
            sum = t;
            out[j] = sum + sumError;
            double wj = w[j];
            double u = tail + wj;
            tailError += Math.abs(tail) >= Math.abs(wj) ? (tail - u) + wj : (wj - u) + tail;
            tail = u;
        }
    }

    /** {@code max_j ||q_j||_2} over the n rows of the n x m row-major array {@code q}. */
    public static double maxRowNorm(double[] q, int n, int m) {
        double best = 0.0;
        for (int j = 0; j < n; j++) {
            double s = 0.0;
            for (int c = 0; c < m; c++) {
                double v = q[j * m + c];
                s += v * v;
            }
            best = Math.max(best, s);
        }
        return Math.sqrt(best);
    }

    /**
     * The permutation that sorts {@code x} ascending; ties keep their input order (stable), so the
     * result is deterministic. Merge sort over indices ({@link IndexSort}), O(N log N); no sort (O(N)) when {@code x} is already sorted.
     */
    public static int[] sortedOrder(double[] x) {
        int n = x.length;
        int[] order = new int[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (i > 0 && x[i] < x[i - 1]) {
                sorted = false;
            }
        }
        if (!sorted) {
            IndexSort.mergeSort(x, order, n, new int[n], false);
        }
        return order;
    }
}
