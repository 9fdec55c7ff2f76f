package io.sparsefit.core.finish;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Test reference (independent of the production sweep in {@code core.convex.ExactPricing2D}): the dual norm of
 * theory T8 for two inputs, exactly, by enumerating arcs:
 * {@code S(r) = sup_{||u|| = 1, b} || sum_n r_n relu(u . x_n - b) ||_2}.
 *
 * <p>The order of the projections {@code u . x_n} changes only where u is perpendicular to some
 * {@code x_i - x_j}, so those angles cut the circle into arcs of fixed order. For fixed u the supremum over b is attained at a projected point
 * {@code b = u . x_j}; within an arc the value there is {@code ||M_j u||} with the fixed m x 2 matrix
 * {@code M_j = sum_{n above j} r_n (x_n - x_j)^T}. On an arc {@code ||M_j u||^2} is a sinusoid of twice
 * the angle, so its maximum is at an arc end or at the top eigenvector of {@code M_j^T M_j}, if that lies
 * in the arc. Trying those candidates for every arc and every j gives S exactly (up to rounding), in
 * {@code O(N^3 log N)} time: meant for small N (a few hundred points at most).
 */
public final class ExactDualNorm2D {

    private ExactDualNorm2D() {
    }

    /**
     * @param x inputs, N x 2
     * @param r dual point, N x m, expected orthogonal to affine functions of x
     */
    public static double supremum(DMatrixRMaj x, DMatrixRMaj r) {
        if (x.numCols != 2) {
            throw new IllegalArgumentException("exact dual norm needs 2 inputs, x has " + x.numCols + " columns");
        }
        if (x.numRows != r.numRows) {
            throw new IllegalArgumentException("x has " + x.numRows + " rows but r has " + r.numRows);
        }
        int n = x.numRows;
        int m = r.numCols;
        double[] xs = x.data;
        double[] rs = r.data;
        double[] angles = criticalAngles(xs, n);
        double[] projection = new double[n];
        Integer[] order = new Integer[n];
        double[] sumR = new double[m];
        double[] sumRx = new double[2 * m];
        double best = 0;
        for (int a = 0; a < angles.length; a++) {
            double start = angles[a];
            double end = a + 1 < angles.length ? angles[a + 1] : angles[0] + 2 * Math.PI;
            if (end - start <= 0) {
                continue;
            }
            double middle = 0.5 * (start + end);
            double cm = Math.cos(middle);
            double sm = Math.sin(middle);
            for (int i = 0; i < n; i++) {
                projection[i] = cm * xs[2 * i] + sm * xs[2 * i + 1];
                order[i] = i;
            }
            Arrays.sort(order, (p, q) -> Double.compare(projection[q], projection[p]));   // descending
            Arrays.fill(sumR, 0.0);
            Arrays.fill(sumRx, 0.0);
            for (int t = 0; t < n; t++) {
                int j = order[t];
                // M_j = sumRx - sumR x_j^T over the points strictly above j in this arc's order.
                double g00 = 0;
                double g01 = 0;
                double g11 = 0;
                for (int i = 0; i < m; i++) {
                    double m0 = sumRx[2 * i] - sumR[i] * xs[2 * j];
                    double m1 = sumRx[2 * i + 1] - sumR[i] * xs[2 * j + 1];
                    g00 += m0 * m0;
                    g01 += m0 * m1;
                    g11 += m1 * m1;
                }
                best = Math.max(best, quadratic(g00, g01, g11, start));
                best = Math.max(best, quadratic(g00, g01, g11, end));
                double top = 0.5 * Math.atan2(2 * g01, g00 - g11);   // top eigenvector angle, mod pi
                for (int turn = -2; turn <= 3; turn++) {
                    double candidate = top + turn * Math.PI;
                    if (candidate > start && candidate < end) {
                        best = Math.max(best, quadratic(g00, g01, g11, candidate));
                    }
                }
                for (int i = 0; i < m; i++) {
                    double ri = rs[j * m + i];
                    sumR[i] += ri;
                    sumRx[2 * i] += ri * xs[2 * j];
                    sumRx[2 * i + 1] += ri * xs[2 * j + 1];
                }
            }
        }
        return best;
    }

    /** {@code sqrt(u^T G u)} for {@code u = (cos t, sin t)}. */
    private static double quadratic(double g00, double g01, double g11, double t) {
        double c = Math.cos(t);
        double s = Math.sin(t);
        return Math.sqrt(Math.max(0.0, g00 * c * c + 2 * g01 * c * s + g11 * s * s));
    }

    /** Sorted angles in [0, 2 pi) where u is perpendicular to a difference of two distinct points; {0} if none. */
    private static double[] criticalAngles(double[] xs, int n) {
        double[] angles = new double[Math.max(1, n * (n - 1))];
        int count = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dx = xs[2 * i] - xs[2 * j];
                double dy = xs[2 * i + 1] - xs[2 * j + 1];
                if (dx == 0 && dy == 0) {
                    continue;
                }
                double t = Math.atan2(dx, -dy);   // u = (cos t, sin t) with u . (dx, dy) = 0
                angles[count++] = wrap(t);
                angles[count++] = wrap(t + Math.PI);
            }
        }
        if (count == 0) {
            return new double[] {0.0};
        }
        double[] sorted = Arrays.copyOf(angles, count);
        Arrays.sort(sorted);
        return sorted;
    }

    private static double wrap(double t) {
        double w = t % (2 * Math.PI);
        return w < 0 ? w + 2 * Math.PI : w;
    }
}
