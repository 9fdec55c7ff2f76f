/**
 * The regularizers of theory A2 (weight decay, path norm, none): value and gradient.
 * May import only java.*, EJML, {@code core.linalg}, {@code core.convex}, the data type {@code core.FitProblem}
 * and {@code core.network}.
 */
package io.sparsefit.core.penalty;
