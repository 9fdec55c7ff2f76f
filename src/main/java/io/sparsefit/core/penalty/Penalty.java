package io.sparsefit.core.penalty;

import io.sparsefit.core.network.Network;

/**
 * A regularizer R of theory A2. Only weight matrices are penalized: the biases and the affine skip part
 * ({@code C}, {@code c0}) are never penalized (A1).
 */
public sealed interface Penalty permits WeightDecay, PathNorm, NoPenalty {

    /** R(theta), without the factor lambda. */
    double value(Network network);

    /**
     * Adds {@code lambda * grad R} to {@code gradient} (laid out as {@link Network#getParameters}), modified. Where R
     * is not differentiable (a zero group of the path norm) adds the minimum-norm subgradient, zero.
     */
    void addGradient(Network network, double lambda, double[] gradient);

    /**
     * The proximal map of {@code threshold * R} (a step of size eta on {@code lambda R} has {@code threshold =
     * eta lambda}), applied to {@code network} in place (modified). It may first rescale the network in a way that
     * leaves the function unchanged (the path norm's renormalization, A3).
     */
    void prox(Network network, double threshold);

    Regularization regularization();
}
