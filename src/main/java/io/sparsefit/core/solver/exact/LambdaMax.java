package io.sparsefit.core.solver.exact;

import io.sparsefit.core.convex.DualNorm1D;

/**
 * lambda_max of theory T6: the smallest lambda at which the affine least-squares fit (no neurons) is
 * optimal. With {@code h = y - (least-squares affine fit)} and x sorted,
 * {@code lambda_max = max_{2 <= j <= N-1} |sum_{n < j} h_n (x_j - x_n)|}; since h is orthogonal to the
 * affine functions this equals {@code max_j |sum_{n > j} h_n (x_n - x_j)|}, the 1-D dual norm (T8) of h.
 * Duplicate x values are merged first (mean target, weight = count), which gives the same number as
 * the formula over all samples because tied samples contribute {@code x_j - x_n = 0}.
 */
public final class LambdaMax {

    private LambdaMax() {
    }

    /** lambda_max for one-input, one-output data in any order; O(N log N). */
    public static double lambdaMax(double[] x, double[] y) {
        return of(MergedData.of(x, y));
    }

    /** lambda_max of merged data, O(N). */
    public static double of(MergedData data) {
        int n = data.n;
        if (n < 3) {
            return 0.0;
        }
        WeightedAffineFit affine = WeightedAffineFit.of(data.x, data.y, data.weight, n);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = data.weight[i] * (data.y[i] - affine.at(data.x[i]));
        }
        double[] q = new double[n];
        DualNorm1D.rampSums(data.x, w, n, q);
        double best = 0.0;
        for (int j = 1; j < n - 1; j++) {
            best = Math.max(best, Math.abs(q[j]));
        }
        return best;
    }
}
