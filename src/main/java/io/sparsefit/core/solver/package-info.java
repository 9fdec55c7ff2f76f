/**
 * Fitting algorithms behind one {@link io.sparsefit.core.solver.Solver} interface: the exact 1-D
 * solver (C1), PathProx, L-BFGS and Adam (C3), with their settings, progress and cancellation types.
 * No Spring, no threads: a solver runs on the caller's thread and checks its cancellation token.
 */
package io.sparsefit.core.solver;
