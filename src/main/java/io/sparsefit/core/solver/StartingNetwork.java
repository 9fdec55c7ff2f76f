package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.gradient.DeepInitialization;
import io.sparsefit.core.solver.gradient.Initialization;

/** The first iterate of a gradient solver, for the architecture in the settings. */
final class StartingNetwork {

    private StartingNetwork() {
    }

    /**
     * One hidden layer: {@link Initialization} (warm from {@code warmStart} when given, balanced when asked). Deeper
     * or with linear layers: {@link DeepInitialization} (a warm start, which is a shallow network, does not apply).
     *
     * @throws IllegalArgumentException for the path norm on a deep architecture: weight decay is the deep penalty (A8)
     */
    static Network of(FitProblem problem, FitSettings settings, ShallowNetwork warmStart, boolean balanced) {
        Architecture a = settings.architecture();
        if (a.isShallow()) {
            return warmStart != null
                    ? Initialization.warm(warmStart, problem, a.width(), a.skip(), settings.seed(), balanced)
                    : Initialization.initialize(problem, a.width(), a.skip(), settings.seed(), balanced);
        }
        if (settings.regularization() == Regularization.PATH_NORM) {
            throw new IllegalArgumentException("path_norm is defined for one hidden layer; use weight_decay for "
                    + a.hiddenLayers().size() + " hidden layers and " + a.linearLayers() + " linear layers");
        }
        return DeepInitialization.initialize(problem, a.widths(), a.linearLayers(), a.skip(), settings.seed());
    }
}
