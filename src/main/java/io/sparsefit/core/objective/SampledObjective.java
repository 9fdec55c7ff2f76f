package io.sparsefit.core.objective;

/** An {@link Objective} that is a sum over data rows, so that a mini-batch estimates it (Adam). */
public interface SampledObjective extends Objective {

    /** Number of data rows N. */
    int rows();

    /**
     * J with the data fit restricted to {@code rows[0..count)} (null: rows {@code 0..count)}) and multiplied by
     * {@code dataScale} (N / count estimates the full sum); the penalty is added once, unscaled. {@code theta} is not
     * modified; {@code gradient}, when not null, is overwritten.
     */
    double evaluateRows(double[] theta, int[] rows, int count, double dataScale, double[] gradient);
}
