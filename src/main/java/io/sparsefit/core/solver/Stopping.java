package io.sparsefit.core.solver;

/**
 * When a solver stops.
 *
 * @param maxIter iteration limit
 * @param tol     stopping tolerance; the exact and convex solvers stop on a duality gap below
 *                {@code tol * max(1, objective)} (T8), the gradient solvers on their own relative rules
 */
public record Stopping(int maxIter, double tol) {

    public Stopping {
        if (maxIter < 0 || !(tol > 0)) {
            throw new IllegalArgumentException("maxIter must be >= 0 and tol > 0");
        }
    }
}
