package io.sparsefit.core.penalty;

import io.sparsefit.core.network.ShallowNetwork;

/** {@code R = 0}: plain least squares. */
public final class NoPenalty implements Penalty {

    public static final NoPenalty INSTANCE = new NoPenalty();

    private NoPenalty() {
    }

    @Override
    public double value(ShallowNetwork network) {
        return 0.0;
    }

    @Override
    public void addGradient(ShallowNetwork network, double lambda, double[] gradient) {
        // nothing to add
    }

    @Override
    public Regularization regularization() {
        return Regularization.NONE;
    }
}
