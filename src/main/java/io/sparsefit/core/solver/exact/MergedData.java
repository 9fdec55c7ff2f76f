package io.sparsefit.core.solver.exact;

import io.sparsefit.core.convex.DualNorm1D;

/**
 * One-input, one-output data sorted by x with duplicate x values merged (theory C1): distinct
 * positions {@code x}, the (weighted) mean target {@code y} of each group and its weight {@code weight} (its size, or
 * the sum of its sample weights, A2b). Then
 * {@code 1/2 sum_n w_n (f(x_n) - y_n)^2 = 1/2 sum_i weight_i (f(x_i) - y_i)^2 + withinSquares/2}, where
 * {@code withinSquares} is the weighted sum of squared deviations of the targets from their group means.
 */
public final class MergedData {

    /** Number of distinct positions. */
    public final int n;
    /** Distinct positions, strictly increasing, length n. */
    public final double[] x;
    /** Group means of the targets, length n. */
    public final double[] y;
    /** Group weights: sizes (as doubles), or sums of the sample weights; length n. */
    public final double[] weight;
    /** {@code sum_n (y_n - mean of its group)^2}: the part of the data fit no function can remove. */
    public final double withinSquares;
    /** Number of samples before merging. */
    public final int samples;

    private MergedData(int n, double[] x, double[] y, double[] weight, double withinSquares, int samples) {
        this.n = n;
        this.x = x;
        this.y = y;
        this.weight = weight;
        this.withinSquares = withinSquares;
        this.samples = samples;
    }

    /** Sorts and merges; neither array is modified. */
    public static MergedData of(double[] x, double[] y) {
        return of(x, y, null);
    }

    /** Sorts and merges with sample weights {@code w} (null: all ones); no array is modified. */
    public static MergedData of(double[] x, double[] y, double[] w) {
        if (x.length != y.length || (w != null && w.length != x.length)) {
            throw new IllegalArgumentException("x has " + x.length + " entries but y has " + y.length);
        }
        int total = x.length;
        int[] order = DualNorm1D.sortedOrder(x);
        double[] xs = new double[total];
        double[] ys = new double[total];
        double[] ws = new double[total];
        int n = 0;
        int start = 0;
        double within = 0.0;
        while (start < total) {
            double xv = x[order[start]];
            int end = start + 1;
            double sum = w == null ? y[order[start]] : w[order[start]] * y[order[start]];
            double groupWeight = w == null ? 1.0 : w[order[start]];
            while (end < total && x[order[end]] == xv) {
                sum += w == null ? y[order[end]] : w[order[end]] * y[order[end]];
                groupWeight += w == null ? 1.0 : w[order[end]];
                end++;
            }
            double mean = sum / groupWeight;
            // Two passes over the group: deviations from the mean, not sum of squares minus square of sums.
            for (int k = start; k < end; k++) {
                double dev = y[order[k]] - mean;
                within += w == null ? dev * dev : w[order[k]] * dev * dev;
            }
            xs[n] = xv;
            ys[n] = mean;
            ws[n] = groupWeight;
            n++;
            start = end;
        }
        if (n < total) {
            xs = java.util.Arrays.copyOf(xs, n);
            ys = java.util.Arrays.copyOf(ys, n);
            ws = java.util.Arrays.copyOf(ws, n);
        }
        return new MergedData(n, xs, ys, ws, within, total);
    }
}
