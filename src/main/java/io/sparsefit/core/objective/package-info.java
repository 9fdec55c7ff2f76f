/**
 * The training objective of theory A2 as a function of a network's flat parameter vector: {@link
 * io.sparsefit.core.objective.Objective} (value and gradient into the caller's array), the kernels that compute it
 * for one hidden layer ({@link io.sparsefit.core.objective.NetworkObjective}) and for any depth ({@link
 * io.sparsefit.core.objective.DeepObjective}), and their binding to a network and a penalty ({@link
 * io.sparsefit.core.objective.NetworkLoss}). Gradient solvers need nothing else. May import only java.*, EJML,
 * {@code core.linalg}, {@code core.convex}, {@code core.network}, {@code core.penalty} and the data type
 * {@code core.FitProblem}.
 */
package io.sparsefit.core.objective;
