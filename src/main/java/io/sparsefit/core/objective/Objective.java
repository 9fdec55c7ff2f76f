package io.sparsefit.core.objective;

/**
 * A smooth objective {@code J(theta)} over a flat parameter vector: what L-BFGS and Adam minimize. The value and the
 * gradient go into the caller's arrays; nothing is allocated per call.
 */
public interface Objective {

    /** Length of theta. */
    int dimension();

    /**
     * J at {@code theta} (not modified); when {@code gradient} is not null, also dJ/dtheta into it (length
     * {@link #dimension()}, overwritten).
     */
    double evaluate(double[] theta, double[] gradient);

    /** The data-fit part of the last evaluation, {@code 1/2 sum ||f - y||^2} (times the batch scale). */
    double lastDataFit();

    /** The penalty part of the last evaluation, {@code lambda R}. */
    double lastPenalty();
}
