package io.sparsefit.core.path;

import java.util.Arrays;

/**
 * What a path runs besides the data: the settings of every point (their lambda is replaced per point), the
 * lambdas (explicit, or a log grid of {@code gridCount} values from lambda_max down to {@code minRatio *
 * lambda_max}), and the validation: {@code folds >= 2} for K-fold, else {@code holdout > 0} for one hold-out
 * part, else none. {@code chooseBest} picks the least validation error instead of the one-SE rule.
 */
public record PathSpec(io.sparsefit.core.solver.FitSettings settings, double[] lambdas, int gridCount, double minRatio,
                       int folds, double holdout, boolean chooseBest) {

    public static final int DEFAULT_GRID_COUNT = 20;
    public static final double DEFAULT_MIN_RATIO = 1e-3;

    public PathSpec {
        if (settings == null) {
            throw new IllegalArgumentException("settings are required");
        }
        if (lambdas != null) {
            if (lambdas.length == 0) {
                throw new IllegalArgumentException("lambdas must not be empty");
            }
            for (double l : lambdas) {
                if (!(l > 0) || Double.isInfinite(l)) {
                    throw new IllegalArgumentException("every lambda must be finite and > 0, got " + l);
                }
            }
            lambdas = lambdas.clone();
        } else if (gridCount < 1 || !(minRatio > 0 && minRatio < 1)) {
            throw new IllegalArgumentException("a grid needs count >= 1 and 0 < minRatio < 1");
        }
        if (folds == 1 || folds < 0 || !(holdout >= 0 && holdout < 1)) {
            throw new IllegalArgumentException("folds must be 0 or >= 2 and the hold-out fraction in [0, 1)");
        }
    }

    /** The lambdas in the order they are solved: descending, so each point starts from a sparser one. */
    public double[] lambdaSequence(double lambdaMax) {
        if (lambdas != null) {
            double[] sorted = lambdas.clone();
            Arrays.sort(sorted);
            double[] out = new double[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                out[i] = sorted[sorted.length - 1 - i];
            }
            return out;
        }
        double[] out = new double[gridCount];
        for (int i = 0; i < gridCount; i++) {
            // Log-spaced: lambda_max * minRatio^(i / (count - 1)); one point is lambda_max itself.
            out[i] = gridCount == 1 ? lambdaMax : lambdaMax * Math.pow(minRatio, i / (double) (gridCount - 1));
        }
        return out;
    }
}
