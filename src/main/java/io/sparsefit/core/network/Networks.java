package io.sparsefit.core.network;

import io.sparsefit.core.FitProblem;

/** The one-layer view a caller requires, and the data fit of a network. */
public final class Networks {

    private Networks() {
    }

    /**
     * {@code network}'s one-hidden-layer view, for code that handles one hidden layer only.
     *
     * @throws IllegalStateException when its layers are not one ReLU layer ({@link Network#oneLayer()} is null)
     */
    public static ShallowNetwork shallow(Network network) {
        ShallowNetwork one = network.oneLayer();
        if (one != null) {
            return one;
        }
        throw new IllegalStateException("a network with " + network.layers().size() + " hidden layers is not a one-layer network");
    }

    /**
     * {@code sum_n w_n loss(f(x_n); y_n)} (theory A2b; {@code 1/2 sum_n ||f(x_n) - y_n||^2} for squared loss without
     * weights, A2): the data fit of {@code net} on {@code problem}, with the problem's loss and weights.
     */
    public static double dataFit(Network net, FitProblem problem) {
        return problem.loss().value(net.predict(problem.x(), null).data, problem.y().data, problem.sampleWeights(),
                problem.rows(), problem.outputDim());
    }
}
