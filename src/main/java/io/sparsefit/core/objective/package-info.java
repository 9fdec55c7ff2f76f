/**
 * The training objective of theory A2 as a function of a network's flat parameter vector: the one objective that
 * computes it for a network of any depth ({@link io.sparsefit.core.objective.NetworkObjective}, with its kernel lanes),
 * and its binding to a network and a penalty ({@link io.sparsefit.core.objective.NetworkLoss}: value and gradient into
 * the caller's array). Gradient solvers need nothing else. May import only java.*, EJML,
 * {@code core.linalg}, {@code core.convex}, {@code core.network}, {@code core.penalty} and the data type
 * {@code core.FitProblem}.
 */
package io.sparsefit.core.objective;
