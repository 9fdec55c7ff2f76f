package io.sparsefit.core;

import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.network.ShallowNetwork;

/** A finished fit: the network (finished: balanced, pruned, merged) and its diagnostics. */
public record FitOutcome(Network network, Diagnostics diagnostics) {

    /** The network as one hidden layer (see {@link Networks#shallow}). */
    public ShallowNetwork shallow() {
        return Networks.shallow(network);
    }
}
