/**
 * What happens to a network of any depth after training (theory C3), one class per step, each working layer by
 * layer: rebalance (A4, A8), prune, canonicalize and merge (A6, one hidden layer), polish (the last layer's group
 * lasso), the flat sequence of them ({@code Finishing}), and the duality-gap certificate (T8); the dual norms and the group-lasso solver they use
 * are in {@code core.convex}.
 * May import only java.*, EJML, the data type {@code core.FitProblem}, {@code core.linalg}, {@code core.convex},
 * {@code core.network}, {@code core.penalty} and {@code core.objective}; never {@code core.solver..}.
 */
package io.sparsefit.core.finish;
