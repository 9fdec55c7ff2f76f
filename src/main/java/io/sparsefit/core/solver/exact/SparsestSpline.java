package io.sparsefit.core.solver.exact;

/**
 * The sparsest optimal 1-D spline of theory T5, built from the canonical optimum (knots at data
 * points). Slope changes at consecutive data points with the same non-zero sign form a run; within a
 * run the knots are paired from the left, (1,2), (3,4), ..., and each pair becomes one knot where the
 * line pieces left of the first and right of the second meet, with amplitude the sum of the two. An
 * odd last knot stays. Since no data point lies strictly between the two knots of a pair, the values
 * at every data point are unchanged and so is the objective (TV2 is the same: the two changes have
 * the same sign).
 */
public final class SparsestSpline {

    private SparsestSpline() {
    }

    /**
     * Merges in place.
     *
     * @param dataIndex  data index of each canonical knot, ascending (modified: no longer meaningful)
     * @param position   knot positions {@code x[dataIndex]} on input, merged positions on output (modified)
     * @param amplitude  slope changes, zero entries allowed (they separate runs), merged on output (modified)
     * @param count      number of canonical knots
     * @param x          the distinct data positions, ascending (not modified)
     * @return the number of knots after merging (the first entries of position and amplitude)
     */
    public static int merge(int[] dataIndex, double[] position, double[] amplitude, int count, double[] x) {
        int out = 0;
        int k = 0;
        while (k < count) {
            double a = amplitude[k];
            boolean pairs = k + 1 < count
                    && dataIndex[k + 1] == dataIndex[k] + 1
                    && a != 0.0
                    && Math.signum(amplitude[k + 1]) == Math.signum(a);
            if (pairs) {
                double b = amplitude[k + 1];
                double left = x[dataIndex[k]];
                double width = x[dataIndex[k + 1]] - left;
                // Outer pieces meet where slope0 (t - x_p) + z_p = slope2 (t - x_q) + z_q, which solves to
                // t = x_p + (x_q - x_p) * a_q / (a_p + a_q): inside [x_p, x_q] because a_p, a_q share a sign.
                position[out] = left + width * (b / (a + b));
                amplitude[out] = a + b;
                dataIndex[out] = -1;
                out++;
                k += 2;
            } else {
                position[out] = position[k];
                amplitude[out] = a;
                dataIndex[out] = dataIndex[k];
                out++;
                k++;
            }
        }
        return out;
    }
}
