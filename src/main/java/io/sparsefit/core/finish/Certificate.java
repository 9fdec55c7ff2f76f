package io.sparsefit.core.finish;

/**
 * Duality-gap certificate of theory T8. {@code gap = primal - dualObjective >= 0}, where primal is the
 * function-space objective {@code dataFit + lambda * pathNorm}; {@code gap = 0} exactly at the global
 * optimum. {@code exact} is false when the dual feasibility scale was estimated by sampling (d >= 2),
 * in which case {@code dualObjective} is an estimate, not a guaranteed lower bound.
 */
public record Certificate(double gap, double dualObjective, boolean exact) {
}
