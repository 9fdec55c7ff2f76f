package io.sparsefit.core.solver;

/**
 * Options of the {@code adam} solver alone.
 *
 * @param learningRate step size; {@code 0} lets the solver choose
 * @param batchSize    mini-batch size; {@code 0} means full batch
 */
public record AdamOptions(double learningRate, int batchSize) {

    public static final AdamOptions DEFAULTS = new AdamOptions(0.0, 0);

    public AdamOptions {
        if (!(learningRate >= 0) || batchSize < 0) {
            throw new IllegalArgumentException("learningRate and batchSize must be >= 0");
        }
    }
}
