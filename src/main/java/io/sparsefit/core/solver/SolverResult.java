package io.sparsefit.core.solver;

import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.List;

/** What a solver returns before the finishing steps: the network, why it stopped, and its loss curve. */
public record SolverResult(Network network, StopReason stopReason, int iterations, List<LossPoint> lossCurve) {

    public SolverResult {
        lossCurve = List.copyOf(lossCurve);
    }

    public boolean converged() {
        return stopReason == StopReason.CONVERGED;
    }

    /**
     * The network as one hidden layer, for the code that only handles that case (the exact and convex solvers, the
     * 1-D views, the convex polish).
     *
     * @throws IllegalStateException when the network is deep
     */
    public ShallowNetwork shallow() {
        return Networks.shallow(network);
    }
}
