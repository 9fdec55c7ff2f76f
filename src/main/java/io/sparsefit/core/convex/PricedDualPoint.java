package io.sparsefit.core.convex;

import io.sparsefit.core.FitProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * A fit's dual point and the seeded pricing of it (theory T8): what the certificate computes before its proof of the
 * dual norm, kept so that a caller which priced a fit ({@code auto} asking whether a finished gradient fit opens a gap)
 * can hand it to the certificate of that same fit instead of pricing it twice. Valid for exactly the fit, problem,
 * lambda and seed it was computed for: {@link #isFor} compares the fit and the problem by identity (a finished, pruned
 * or rebalanced network is another object, or was changed by a step the caller ran after the pricing) and lambda and
 * the seed by value. The fit is a type parameter because this package sits below the network model.
 *
 * @param fit     the fit priced (compared by identity only, never read here)
 * @param problem the problem it was priced on (identity)
 * @param lambda  the regularization strength of {@code primal}
 * @param seed    the pricing's seed
 * @param primal  the fit's objective in path-norm form (plus the skip decay of a classification loss, A2b)
 * @param g       the fit's dual point ({@link FenchelDual#point}; not modified, owned by this record)
 * @param found   the best atom the pricing found, {@code exact} where the pricing is
 * @param whole   false when the pricing was stopped early ({@code found} is then only a lower bound)
 * @param <F>     the fit's type
 */
public record PricedDualPoint<F>(F fit, FitProblem problem, double lambda, long seed, double primal, DMatrixRMaj g,
                                 Pricing.Best found, boolean whole) {

    /** Whether this is the whole pricing of {@code other} on {@code otherProblem} at that lambda and seed. */
    public boolean isFor(F other, FitProblem otherProblem, double otherLambda, long otherSeed) {
        return whole && fit == other && problem == otherProblem && lambda == otherLambda && seed == otherSeed;
    }

    /** The dual value of {@code g} scaled by {@code min(1, lambda / s)} ({@link FenchelDual#value}). */
    public double dual(double s) {
        return FenchelDual.value(problem, g, lambda, s, true);
    }
}
