/**
 * Internals of the exact one-input solver (theory C1): sorting and merging duplicate inputs, the
 * tridiagonal (banded) solves, the active-set method for the generalized lasso
 * {@code min_z 1/2 sum_i c_i (z_i - y_i)^2 + lambda ||L z||_1}, the duality gap it stops on (T8),
 * lambda_max (T6) and the sparsest optimal spline (T5).
 *
 * <p>Pure Java over flat arrays: may import only java.*, EJML, the data type {@code core.FitProblem},
 * {@code core.linalg}, {@code core.convex} (the 1-D dual norm), {@code core.network}, {@code core.penalty},
 * {@code core.objective} and the types of {@code core.solver}; never {@code solver.gradient}, {@code solver.convex},
 * {@code core.finish} or anything above.
 * No dense N x N matrix is ever formed; every step is O(N).
 */
package io.sparsefit.core.solver.exact;
