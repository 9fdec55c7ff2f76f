/**
 * The one network model: a {@code Network} is a list of layers (ReLU or linear, theory A8) plus the affine skip
 * (A1), read layer by layer; {@code Network.oneLayer()} gives the one-hidden-layer view the theory of A1-A7 needs
 * ({@code ShallowNetwork}: neurons, knots, canonical neurons), and {@code Networks.zeros} is the one place that picks a
 * network's form. Also their forward pass and their read-only views (knots, canonical neurons).
 * May import only java.*, EJML, {@code core.linalg}, {@code core.convex} and the data type {@code core.FitProblem}.
 */
package io.sparsefit.core.network;
