package io.sparsefit.core.network;

import io.sparsefit.core.FitProblem;

/** Conversions between the two cases of {@link Network}, and the data fit of a one-layer network. */
public final class Networks {

    private Networks() {
    }

    /**
     * {@code network} as a {@link ShallowNetwork}, for code that handles one hidden layer only.
     *
     * @throws IllegalStateException when it is read layer by layer ({@link Network#oneLayer()} is null)
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

    /**
     * A zero network of the given architecture: a {@link ShallowNetwork} for one ReLU layer without linear layers (the
     * form of theory A1 that the one-layer solvers and kernels read), else {@link DeepNetwork#zeros}. The one place
     * that decides which form a new network takes.
     */
    public static Network zeros(int inputDim, int outputDim, int[] hiddenWidths, int linearLayers, boolean skip) {
        if (hiddenWidths.length == 1 && linearLayers == 0) {
            return new ShallowNetwork(inputDim, outputDim, hiddenWidths[0], skip);
        }
        return DeepNetwork.zeros(inputDim, outputDim, hiddenWidths, linearLayers, skip);
    }
}
