package io.sparsefit.core.finish;

import org.ejml.data.DMatrixRMaj;
import java.util.SplittableRandom;

/**
 * The dual norm of theory T8 for several inputs,
 * {@code S(r) = sup_{||w|| = 1, b} || sum_n r_n relu(w . x_n - b) ||_2}, estimated from below by
 * trying finitely many directions.
 *
 * <p>For a fixed direction u the supremum over b is exact: with {@code p_n = u . x_n}, the map
 * {@code b -> sum_n r_n relu(p_n - b)} is affine between consecutive projections, so its norm (convex on
 * each piece) is largest at a projected point; with the projections sorted, the value at every projected
 * point follows from running sums of {@code r_n} and {@code r_n p_n} in O(N m). Both u and -u are
 * evaluated. The directions are seeded random unit vectors, plus any given ones (at an optimum the
 * supremum is attained at the network's own neurons, so pass their {@code w_k}).
 *
 * <p>Every value computed is a value of the function being maximized, so the result is a lower bound
 * of {@code S(r)} (exact for d = 1, where the only directions are +1 and -1). A certificate built from it
 * is therefore not guaranteed and is flagged {@code exact = false}.
 */
public final class SampledDualNorm {

    private final int n;
    private final int d;
    private final int m;
    private final DMatrixRMaj x;
    private final DMatrixRMaj r;
    private final double[] projection;
    private final int[] order;
    private final int[] scratch;
    private final double[] sum0;
    private final double[] sum1;

    private SampledDualNorm(DMatrixRMaj x, DMatrixRMaj r) {
        if (x.numRows != r.numRows) {
            throw new IllegalArgumentException("x has " + x.numRows + " rows but r has " + r.numRows);
        }
        this.x = x;
        this.r = r;
        this.n = x.numRows;
        this.d = x.numCols;
        this.m = r.numCols;
        this.projection = new double[n];
        this.order = new int[n];
        this.scratch = new int[n];
        this.sum0 = new double[m];
        this.sum1 = new double[m];
    }

    /**
     * Lower bound of {@code S(r)} from {@code directions} seeded random unit directions.
     *
     * @param x inputs, N x d
     * @param r residual dual point, N x m, expected orthogonal to affine functions of x (T8)
     */
    public static double supremum(DMatrixRMaj x, DMatrixRMaj r, long seed, int directions) {
        return supremum(x, r, seed, directions, null);
    }

    /**
     * As {@link #supremum(DMatrixRMaj, DMatrixRMaj, long, int)}, also trying each non-zero row of
     * {@code extraDirections} (K x d, e.g. a network's input weights; normalized here; may be null).
     */
    public static double supremum(DMatrixRMaj x, DMatrixRMaj r, long seed, int directions, DMatrixRMaj extraDirections) {
        SampledDualNorm s = new SampledDualNorm(x, r);
        int d = x.numCols;
        if (extraDirections != null && extraDirections.numCols != d) {
            throw new IllegalArgumentException("extra directions have " + extraDirections.numCols + " columns, x has " + d);
        }
        double best = 0;
        double[] u = new double[d];
        if (extraDirections != null) {
            for (int k = 0; k < extraDirections.numRows; k++) {
                System.arraycopy(extraDirections.data, k * d, u, 0, d);
                if (normalize(u)) {
                    best = Math.max(best, s.along(u));
                }
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int t = 0; t < directions; t++) {
            do {
                for (int j = 0; j < d; j++) {
                    u[j] = gaussian(random);
                }
            } while (!normalize(u));
            best = Math.max(best, s.along(u));
        }
        return best;
    }

    /**
     * {@code max(sup_b ||sum r_n relu(u.x_n - b)||, sup_b ||sum r_n relu(-u.x_n - b)||)} for a unit
     * direction {@code u}, exactly.
     */
    public static double alongDirection(DMatrixRMaj x, DMatrixRMaj r, double[] u) {
        if (u.length != x.numCols) {
            throw new IllegalArgumentException("direction has length " + u.length + ", x has " + x.numCols + " columns");
        }
        return new SampledDualNorm(x, r).along(u);
    }

    private double along(double[] u) {
        double[] xs = x.data;
        for (int i = 0; i < n; i++) {
            double p = 0;
            for (int j = 0; j < d; j++) {
                p += u[j] * xs[i * d + j];
            }
            projection[i] = p;
            order[i] = i;
        }
        sortByProjection();
        double[] rs = r.data;
        double best = 0;
        // Direction u, b = p_j from the top: g = sum_{p_n > p_j} r_n (p_n - p_j) = S1 - p_j S0.
        java.util.Arrays.fill(sum0, 0.0);
        java.util.Arrays.fill(sum1, 0.0);
        for (int t = n - 1; t >= 0; t--) {
            int row = order[t];
            best = Math.max(best, normOf(projection[row]));
            accumulate(row, rs);
        }
        // Direction -u, threshold q = p_j from the bottom: g = sum_{p_n < p_j} r_n (p_j - p_n) = p_j S0 - S1.
        java.util.Arrays.fill(sum0, 0.0);
        java.util.Arrays.fill(sum1, 0.0);
        for (int t = 0; t < n; t++) {
            int row = order[t];
            best = Math.max(best, normOf(projection[row]));
            accumulate(row, rs);
        }
        return best;
    }

    private void accumulate(int row, double[] rs) {
        double p = projection[row];
        for (int i = 0; i < m; i++) {
            double ri = rs[row * m + i];
            sum0[i] += ri;
            sum1[i] += ri * p;
        }
    }

    /** {@code ||S1 - p S0||}, the same for both orientations up to sign. */
    private double normOf(double p) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            double g = sum1[i] - p * sum0[i];
            s += g * g;
        }
        return Math.sqrt(s);
    }

    /** Stable merge sort of {@code order} by {@code projection}, bottom-up, no allocation. */
    private void sortByProjection() {
        int[] from = order;
        int[] to = scratch;
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int a = lo;
                int b = mid;
                int t = lo;
                while (a < mid && b < hi) {
                    to[t++] = projection[from[b]] < projection[from[a]] ? from[b++] : from[a++];
                }
                while (a < mid) {
                    to[t++] = from[a++];
                }
                while (b < hi) {
                    to[t++] = from[b++];
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != order) {
            System.arraycopy(from, 0, order, 0, n);
        }
    }

    private static boolean normalize(double[] u) {
        double s = 0;
        for (double value : u) {
            s += value * value;
        }
        double norm = Math.sqrt(s);
        if (!(norm > 0) || !Double.isFinite(norm)) {
            return false;
        }
        for (int j = 0; j < u.length; j++) {
            u[j] /= norm;
        }
        return true;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
