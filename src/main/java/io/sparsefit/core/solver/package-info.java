/**
 * Fitting algorithms behind one {@link io.sparsefit.core.solver.Solver} interface: the exact 1-D
 * solver (C1), PathProx, L-BFGS and Adam (C3), with their settings, progress and cancellation types.
 * No Spring, no threads: a solver runs on the caller's thread and checks its cancellation token.
 *
 * <p>This package and its subpackages form one layer: they may import only java.*, EJML, the data type
 * {@code core.FitProblem}, {@code core.linalg}, {@code core.convex}, {@code core.network}, {@code core.penalty} and
 * {@code core.objective}; never {@code core.finish}, {@code core.diagnostics}, the facade or {@code core.path}.
 * Inside the layer this package may use {@code solver.gradient} and {@code solver.exact} but not
 * {@code solver.convex}.
 */
package io.sparsefit.core.solver;
