package io.sparsefit.core.network;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.MatrixNorms;

/** Conversions between the two cases of {@link Network}, and the data fit of a one-layer network. */
public final class Networks {

    private Networks() {
    }

    /**
     * {@code network} as a {@link ShallowNetwork}, for code that handles one hidden layer only.
     *
     * @throws IllegalStateException when it is a {@link DeepNetwork}
     */
    public static ShallowNetwork shallow(Network network) {
        if (network instanceof ShallowNetwork s) {
            return s;
        }
        throw new IllegalStateException("a network with " + network.layers().size() + " hidden layers is not a one-layer network");
    }

    /** {@code 1/2 sum_n ||f(x_n) - y_n||^2} (theory A2): the data fit of {@code net} on {@code problem}. */
    public static double dataFit(ShallowNetwork net, FitProblem problem) {
        return 0.5 * MatrixNorms.squaredDistance(net.predict(problem.x(), null), problem.y());
    }
}
