package io.sparsefit.core.penalty;

import io.sparsefit.core.network.Network;

/** {@code R = 0}: plain least squares. */
public final class NoPenalty implements Penalty {

    public static final NoPenalty INSTANCE = new NoPenalty();

    private NoPenalty() {
    }

    @Override
    public double value(Network network) {
        return 0.0;
    }

    @Override
    public void addGradient(Network network, double lambda, double[] gradient) {
        // nothing to add
    }

    @Override
    public void prox(Network network, double threshold) {
        // the identity
    }

    @Override
    public Regularization regularization() {
        return Regularization.NONE;
    }
}
