/**
 * What happens to a network after training (theory C3): rebalance (A4), prune, canonicalize and
 * merge (A6), polish, and the duality-gap certificate (T8); the dual norms and the group-lasso solver they use
 * are in {@code core.convex}.
 * May import only java.*, EJML, the data type {@code core.FitProblem}, {@code core.linalg}, {@code core.convex},
 * {@code core.network}, {@code core.penalty} and {@code core.objective}; never {@code core.solver..}.
 */
package io.sparsefit.core.finish;
