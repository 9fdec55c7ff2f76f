package io.sparsefit.core.solver;

/**
 * Options of the exact 1-D solver alone.
 *
 * @param sparsest return the sparsest optimal spline (T5) instead of the canonical one
 */
public record ExactOptions(boolean sparsest) {

    public static final ExactOptions DEFAULTS = new ExactOptions(false);
}
