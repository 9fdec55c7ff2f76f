package io.sparsefit.core.finish;

import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;

/** PLACEHOLDER: rebalance (A4), prune, canonicalize and merge (A6); being implemented on a feature branch. */
public final class Finishing {

    private Finishing() {
    }

    /** Returns a new, finished network computing the same function; {@code network} is not modified. */
    public static ShallowNetwork finish(ShallowNetwork network, Regularization regularization) {
        throw new UnsupportedOperationException("Finishing is not implemented yet");
    }
}
