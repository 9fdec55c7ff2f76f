package io.sparsefit.core.solver;

import io.sparsefit.core.network.ShallowNetwork;
import java.util.List;

/** What a solver returns before the finishing steps: the network, why it stopped, and its loss curve. */
public record SolverResult(ShallowNetwork network, StopReason stopReason, int iterations, List<LossPoint> lossCurve) {

    public SolverResult {
        lossCurve = List.copyOf(lossCurve);
    }

    public boolean converged() {
        return stopReason == StopReason.CONVERGED;
    }
}
