package io.sparsefit.core.network;

import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A ReLU network with an affine skip connection (theory A1, and A8 for depth):
 * {@code f(x) = V^T h_L(x) + C x + c0}, where {@code h_0 = x} and {@code h_l} is {@link #layers()} entry l applied to
 * {@code h_{l-1}}. Weight decay penalizes every weight matrix (the layers' and {@code V}); biases, {@code C} and
 * {@code c0} are free.
 *
 * <p>Solvers see a network only through this interface: its shape, its flat parameter vector and its predictions.
 * The flat layout is, layer by layer, {@code [W_l | b_l (ReLU only)]}, then {@code [V | c0 | C (only with skip)]}.
 * For one ReLU layer this is exactly {@link ShallowNetwork}'s {@code [W | b | V | c0 | C]}.
 *
 * <p>Two cases: {@link ShallowNetwork} (one ReLU layer, the form every global solver and the 1-D theory use, with
 * its own fast kernels) and {@link DeepNetwork} (any list of ReLU and linear layers).
 */
public sealed interface Network permits ShallowNetwork, DeepNetwork {

    int inputDim();

    int outputDim();

    boolean hasSkip();

    /** The hidden layers, first to last; views of the network's own arrays. */
    List<Layer> layers();

    /** {@code V}: K_L x m, row k the outgoing weights of last-layer unit k; the network's own matrix. */
    DMatrixRMaj outputWeights();

    /** {@code C}: m x d, kept at zero without a skip connection; the network's own matrix. */
    DMatrixRMaj skipWeights();

    /** {@code c0}: m entries; the network's own array. */
    double[] skipBias();

    int parameterCount();

    /** Writes the parameters into {@code out} (length {@link #parameterCount()}), modified. */
    void getParameters(double[] out);

    /** Reads the parameters from {@code in} (length {@link #parameterCount()}), not modified. */
    void setParameters(double[] in);

    /** Evaluates every row of {@code x} (N x d, not modified) into {@code out} (N x m, reshaped, modified; null allocates). */
    DMatrixRMaj predict(DMatrixRMaj x, DMatrixRMaj out);

    /** A deep copy. */
    Network copy();

    /** Number of ReLU layers. */
    default int depth() {
        int relu = 0;
        for (Layer layer : layers()) {
            if (layer.kind() == Layer.Kind.RELU) {
                relu++;
            }
        }
        return relu;
    }

    /** Width of the last hidden layer (the rows of {@link #outputWeights()}). */
    default int lastWidth() {
        return outputWeights().numRows;
    }

    /** Offset of layer {@code l}'s weights in the flat parameter vector; its biases follow them. */
    default int offsetLayer(int l) {
        int offset = 0;
        List<Layer> layers = layers();
        for (int i = 0; i < l; i++) {
            offset += layers.get(i).parameterCount();
        }
        return offset;
    }

    /** Offset of {@code V} in the flat parameter vector; {@code c0} and then {@code C} follow it. */
    default int offsetOutput() {
        return offsetLayer(layers().size());
    }
}
