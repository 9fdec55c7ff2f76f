/**
 * The ReLU networks (theory A1: one hidden layer with skip connection; A8: deep, with linear layers), their
 * forward pass, and their read-only views (knots, canonical neurons).
 * May import only java.*, EJML, {@code core.linalg}, {@code core.convex} and the data type {@code core.FitProblem}.
 */
package io.sparsefit.core.network;
