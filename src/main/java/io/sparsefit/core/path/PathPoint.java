package io.sparsefit.core.path;

import io.sparsefit.core.FitOutcome;

/**
 * One lambda of a path: the fit refit on all the data (its network and diagnostics, certified like a single
 * fit), and the validation error: the mean over folds of the held-out mean squared error (summed over
 * outputs) with its standard error; NaN without validation.
 *
 * @param validationSe K-fold: sample standard deviation of the fold errors over {@code sqrt(K)}; hold-out: the
 *                     standard error of the mean of the held-out rows' squared errors
 */
public record PathPoint(double lambda, FitOutcome outcome, double validationMse, double validationSe, double[] foldMse) {
}
