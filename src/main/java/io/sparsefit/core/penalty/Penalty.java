package io.sparsefit.core.penalty;

import io.sparsefit.core.network.ShallowNetwork;

/**
 * A regularizer R of theory A2. Only hidden-layer weights are penalized: the biases {@code b_k}
 * and the affine skip part ({@code C}, {@code c0}) are never penalized (A1).
 */
public sealed interface Penalty permits WeightDecay, PathNorm, NoPenalty {

    /** R(theta), without the factor lambda. */
    double value(ShallowNetwork network);

    /**
     * Adds {@code lambda * grad R} to {@code gradient} (laid out as {@link ShallowNetwork#getParameters}),
     * modified. Where R is not differentiable (a zero group of the path norm) adds the minimum-norm
     * subgradient, zero.
     */
    void addGradient(ShallowNetwork network, double lambda, double[] gradient);

    Regularization regularization();
}
