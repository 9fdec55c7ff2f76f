/**
 * Building blocks shared by the gradient solvers of theory C3 (PathProx, L-BFGS, Adam): seeded
 * initialization, the loss-curve log and the loop's bookkeeping ({@code GradientRun}), the L-BFGS memory and line
 * search, and the 1-D knot revival
 * (a T8-guided neuron insertion when a solver stalls).
 *
 * <p>Pure Java plus EJML; may import only java.*, EJML, the data type {@code core.FitProblem}, {@code core.linalg},
 * {@code core.convex}, {@code core.network}, {@code core.penalty}, {@code core.objective} and the types of
 * {@code core.solver}; never {@code solver.exact}, {@code solver.convex}, {@code core.finish} or anything above.
 */
package io.sparsefit.core.solver.gradient;
