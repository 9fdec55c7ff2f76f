package io.sparsefit.core.finish;

/**
 * Duality-gap certificate of theory T8. {@code gap = primal - dualObjective}, {@code >= 0} when {@code exact}, where primal is the
 * function-space objective {@code dataFit + lambda * pathNorm}; {@code gap = 0} exactly at the global
 * optimum. {@code exact} is true when the dual norm was proven (computed exactly, or bracketed closely enough that the
 * gap computed with its proven upper bound is within a tenth of the sampled one or 1e-5 max(1, objective), {@link
 * io.sparsefit.core.convex.ProvenDualNorm#tolerance}): then {@code dualObjective} is a guaranteed lower bound on the
 * optimal objective.
 * Otherwise the dual scale was estimated by sampling (d >= 2), {@code dualObjective} is an estimate and {@code gap} may
 * understate the distance to the optimum, down to a small negative value (the sampled dual norm too low, so the scaled
 * dual point infeasible: measured -5.2e-6 of J on a deadline-cut logistic fit in d = 5); {@code gapBound} is then a proven upper bound on that distance (the dual point
 * scaled by a proven upper bound of the dual norm), or null when none was had. With {@code exact}, {@code gapBound = gap}.
 */
public record Certificate(double gap, double dualObjective, boolean exact, Double gapBound) {

    /** A certificate whose gap is proven when {@code exact} ({@code gapBound = gap}) and has no bound otherwise. */
    public Certificate(double gap, double dualObjective, boolean exact) {
        this(gap, dualObjective, exact, exact ? Double.valueOf(gap) : null);
    }
}
