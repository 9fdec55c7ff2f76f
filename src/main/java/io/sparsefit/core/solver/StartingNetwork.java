package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.gradient.Initialization;

/** The first iterate of a gradient solver, for the architecture in the settings. */
final class StartingNetwork {

    private StartingNetwork() {
    }

    /**
     * {@link Initialization} for the architecture in the settings (balanced when asked), warm from {@code warmStart}
     * when given and the architecture is one hidden layer (a warm start is a finished one-layer network).
     *
     * @throws IllegalArgumentException for the path norm on a deep architecture: weight decay is the deep penalty (A8)
     */
    static Network of(FitProblem problem, FitSettings settings, ShallowNetwork warmStart, boolean balanced) {
        Architecture a = settings.architecture();
        if (!a.isShallow() && settings.regularization() == Regularization.PATH_NORM) {
            throw new IllegalArgumentException("path_norm is defined for one hidden layer; use weight_decay for "
                    + a.hiddenLayers().size() + " hidden layers and " + a.linearLayers() + " linear layers");
        }
        if (warmStart != null && a.isShallow()) {
            return Initialization.warm(warmStart, problem, a.width(), a.skip(), settings.seed(), balanced);
        }
        return Initialization.initialize(problem, a.widths(), a.linearLayers(), a.skip(), settings.seed(), balanced);
    }
}
