/**
 * The width-free {@code convex} solver (theory A6, C2, T7, T8): column generation over ReLU atoms with a
 * certified restricted group lasso, exact or local pricing, sliding of the active atoms, and purification
 * to at most {@code N - (d + 1)} neurons. May import only java.*, EJML, the data type {@code core.FitProblem},
 * {@code core.linalg}, {@code core.convex}, {@code core.network}, {@code core.penalty}, {@code core.objective},
 * {@code core.solver} and {@code core.solver.gradient}; never {@code solver.exact}, {@code core.finish} or anything
 * above.
 */
package io.sparsefit.core.solver.convex;
