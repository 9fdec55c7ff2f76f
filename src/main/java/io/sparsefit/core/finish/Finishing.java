package io.sparsefit.core.finish;

import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;

/**
 * The finishing steps of theory C3 after a gradient fit: rebalance (A4), prune negligible neurons,
 * canonicalize and merge (A6), prune what merging cancelled, rebalance again. The result computes the
 * same function (pruning a neuron whose path-norm share is at most {@code 1e-9} of the largest changes it
 * by at most that neuron's output), has a path norm no larger than the input's, and is balanced, so its
 * weight-decay penalty equals its path norm. Each step is public on its own class.
 */
public final class Finishing {

    private Finishing() {
    }

    /**
     * Returns a new, finished network; {@code network} is not modified. With {@code none} only exactly
     * zero neurons are pruned: without a penalty there is no reason to drop small ones.
     */
    public static ShallowNetwork finish(ShallowNetwork network, Regularization regularization) {
        double threshold = regularization == Regularization.NONE ? 0.0 : Prune.DEFAULT_RELATIVE_THRESHOLD;
        ShallowNetwork net = Rebalance.rebalance(network);
        net = Prune.prune(net, threshold);
        net = Canonicalize.canonicalize(net);
        net = Prune.prune(net, threshold);
        return Rebalance.rebalance(net);
    }
}
