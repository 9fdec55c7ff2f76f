/**
 * The one network model: a {@code Network} is a list of layers (ReLU or linear, theory A8) plus the affine skip
 * (A1), read layer by layer, the one storage form for every depth; {@code Network.oneLayer()} gives the one-hidden-layer
 * view the theory of A1-A7 needs ({@code ShallowNetwork}: neurons, knots, canonical neurons) for any network whose
 * layers are one ReLU layer, over the network's own arrays. Also their forward pass and their read-only views (knots, canonical neurons).
 * May import only java.*, EJML, {@code core.linalg}, {@code core.convex} and the data type {@code core.FitProblem}.
 */
package io.sparsefit.core.network;
