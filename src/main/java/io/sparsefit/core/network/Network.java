package io.sparsefit.core.network;

import io.sparsefit.core.linalg.MatrixNorms;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A ReLU network with an affine skip connection (theory A1, and A8 for depth):
 * {@code f(x) = V^T h_L(x) + C x + c0}, where {@code h_0 = x} and {@code h_l} is {@link #layers()} entry l applied to
 * {@code h_{l-1}}. Weight decay penalizes every weight matrix (the layers' and {@code V}); biases, {@code C} and
 * {@code c0} are free.
 *
 * <p>Solvers see a network only through this class: its shape, its flat parameter vector and its predictions.
 * The flat layout is, layer by layer, {@code [W_l | b_l (ReLU only)]}, then {@code [V | c0 | C (only with skip)]}.
 * For one ReLU layer this is exactly {@link ShallowNetwork}'s {@code [W | b | V | c0 | C]}.
 *
 * <p>Every algorithm reads a network layer by layer through this class (one class each for the objective, the
 * initialization, balancing, pruning, the polish, the finishing and the diagnostics). Two storage forms hold it:
 * {@link ShallowNetwork}, one ReLU layer, which is also the one-hidden-layer view of theory A1-A7 that
 * {@link #oneLayer()} hands to the code that needs neurons (knots, canonical form, the exact and convex solvers, the
 * certificate, the fused one-layer kernel); and {@link DeepNetwork}, any list of ReLU and linear layers. Which form a
 * new network takes is decided in one place, {@link Networks#zeros}.
 */
public abstract sealed class Network permits ShallowNetwork, DeepNetwork {

    final int inputDim;
    final int outputDim;
    final boolean skip;
    final DMatrixRMaj outputWeights;
    final DMatrixRMaj skipWeights;
    final double[] skipBias;

    /**
     * The parts every form has, kept (not copied).
     *
     * @param outputWeights {@code V}, K_L x m
     * @param skipWeights   {@code C}, m x d
     * @param skipBias      {@code c0}, m entries
     */
    Network(int inputDim, int outputDim, boolean skip, DMatrixRMaj outputWeights, DMatrixRMaj skipWeights,
            double[] skipBias) {
        if (inputDim < 1 || outputDim < 1 || outputWeights.numCols != outputDim || skipWeights.numRows != outputDim
                || skipWeights.numCols != inputDim || skipBias.length != outputDim) {
            throw new IllegalArgumentException("bad shape: d=" + inputDim + ", m=" + outputDim + ", V " + outputWeights.numRows
                    + " x " + outputWeights.numCols + ", C " + skipWeights.numRows + " x " + skipWeights.numCols + ", c0 "
                    + skipBias.length);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
        this.skip = skip;
        this.outputWeights = outputWeights;
        this.skipWeights = skipWeights;
        this.skipBias = skipBias;
    }

    public final int inputDim() {
        return inputDim;
    }

    public final int outputDim() {
        return outputDim;
    }

    public final boolean hasSkip() {
        return skip;
    }

    /** The hidden layers, first to last; views of the network's own arrays. */
    public abstract List<Layer> layers();

    /**
     * {@code V}: K_L x m, row k the outgoing weights of last-layer unit k: the network's own matrix, modified by a caller
     * that writes it.
     */
    public final DMatrixRMaj outputWeights() {
        return outputWeights;
    }

    /** {@code C}: m x d, kept at zero without a skip connection: the network's own matrix, modified by a caller that writes it. */
    public final DMatrixRMaj skipWeights() {
        return skipWeights;
    }

    /** {@code c0}: m entries: the network's own array, modified by a caller that writes it. */
    public final double[] skipBias() {
        return skipBias;
    }

    /** Length of the flat parameter vector (layout in the class comment). */
    public final int parameterCount() {
        return offsetOutput() + outputWeights().getNumElements() + outputDim() + (hasSkip() ? outputDim() * inputDim() : 0);
    }

    /** Writes the parameters into {@code out} (length {@link #parameterCount()}), modified. */
    public final void getParameters(double[] out) {
        copyParameters(out, true);
    }

    /** Reads the parameters from {@code in} (length {@link #parameterCount()}), not modified. */
    public final void setParameters(double[] in) {
        copyParameters(in, false);
    }

    /** Layer by layer {@code [W_l | b_l]}, then {@code [V | c0 | C]}: into {@code flat} when {@code out}, else from it. */
    private void copyParameters(double[] flat, boolean out) {
        if (flat.length != parameterCount()) {
            throw new IllegalArgumentException("parameter vector has length " + flat.length + ", expected " + parameterCount());
        }
        int at = 0;
        for (Layer layer : layers()) {
            at = copy(layer.weights().data, layer.weights().getNumElements(), flat, at, out);
            at = copy(layer.bias(), layer.bias().length, flat, at, out);
        }
        at = copy(outputWeights().data, outputWeights().getNumElements(), flat, at, out);
        at = copy(skipBias(), outputDim(), flat, at, out);
        if (hasSkip()) {
            copy(skipWeights().data, outputDim() * inputDim(), flat, at, out);
        }
    }

    /** Copies {@code length} entries of {@code own} to or from {@code flat} at {@code at}; returns the offset after them. */
    private static int copy(double[] own, int length, double[] flat, int at, boolean out) {
        if (out) {
            System.arraycopy(own, 0, flat, at, length);
        } else {
            System.arraycopy(flat, at, own, 0, length);
        }
        return at + length;
    }

    /** Evaluates every row of {@code x} (N x d, not modified) into {@code out} (N x m, reshaped, modified; null allocates). */
    public final DMatrixRMaj predict(DMatrixRMaj x, DMatrixRMaj out) {
        if (x.numCols != inputDim) {
            throw new IllegalArgumentException("x has " + x.numCols + " columns, network expects " + inputDim);
        }
        if (out == null) {
            out = new DMatrixRMaj(x.numRows, outputDim);
        } else {
            out.reshape(x.numRows, outputDim);
        }
        readOut(x, out);
        LayerForward.addSkip(this, x, out);
        return out;
    }

    /** {@code out = h_L(X) V}, the layers' part of the prediction ({@code x} not modified; {@code out} N x m, modified). */
    abstract void readOut(DMatrixRMaj x, DMatrixRMaj out);

    /** A deep copy. */
    public abstract Network copy();

    /**
     * The one-hidden-layer view of theory A1-A7 (neurons {@code v_k relu(w_k . x - b_k)}: knots, canonical neurons, the
     * exact and convex solvers, the certificate, the fused one-layer kernel): the network itself for a {@link
     * ShallowNetwork}, null for the layered form. The one place that asks "one layer?": code that needs the shallow
     * theory calls it, the rest works layer by layer.
     */
    public abstract ShallowNetwork oneLayer();

    /**
     * A network with {@code replaced} in place of this one's layers (their shapes must chain from the input) and
     * {@code replacedOutput} as {@code V}, sharing this one's skip arrays; the arrays given are kept, not copied.
     */
    public abstract Network withLayers(List<Layer> replaced, DMatrixRMaj replacedOutput);

    /** Number of ReLU layers. */
    public final int depth() {
        int relu = 0;
        for (Layer layer : layers()) {
            if (layer.kind() == Layer.Kind.RELU) {
                relu++;
            }
        }
        return relu;
    }

    /** Width of the last hidden layer (the rows of {@link #outputWeights()}). */
    public final int lastWidth() {
        return outputWeights().numRows;
    }

    /** Offset of layer {@code l}'s weights in the flat parameter vector; its biases follow them. */
    public final int offsetLayer(int l) {
        int offset = 0;
        List<Layer> layers = layers();
        for (int i = 0; i < l; i++) {
            offset += layers.get(i).parameterCount();
        }
        return offset;
    }

    /** Offset of {@code V} in the flat parameter vector; {@code c0} and then {@code C} follow it. */
    public final int offsetOutput() {
        return offsetLayer(layers().size());
    }

    /**
     * Neural balance of every ReLU unit (theory A4; per layer for depth, A8): unit k's incoming row and bias are scaled
     * by {@code a = sqrt(||out_k|| / ||in_k||)} and its outgoing weights (column k of the next layer's matrix, or row k
     * of {@code V}) divided by {@code a}. ReLU is positively homogeneous, so f is unchanged, and
     * {@code 1/2 (||in_k||^2 + ||out_k||^2)} drops to {@code ||in_k|| ||out_k||} (A3). Units with a zero side are left
     * as they are. For one ReLU layer one pass is the balanced network; with several, balancing one layer unbalances
     * its neighbours (the finishing repeats it). Modifies this network.
     */
    public final void balanceUnits() {
        List<Layer> layers = layers();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.kind() != Layer.Kind.RELU) {
                continue;
            }
            DMatrixRMaj w = layer.weights();
            DMatrixRMaj next = l + 1 < layers.size() ? layers.get(l + 1).weights() : null;
            DMatrixRMaj v = outputWeights();
            for (int k = 0; k < layer.outputs(); k++) {
                double in = MatrixNorms.rowNorm(w, k);
                double out = next != null ? MatrixNorms.columnNorm(next, k) : MatrixNorms.rowNorm(v, k);
                if (in == 0 || out == 0) {
                    continue;
                }
                double a = Math.sqrt(out / in);
                for (int j = 0; j < w.numCols; j++) {
                    w.data[k * w.numCols + j] *= a;
                }
                layer.bias()[k] *= a;
                if (next != null) {
                    for (int i = 0; i < next.numRows; i++) {
                        next.data[i * next.numCols + k] /= a;
                    }
                } else {
                    for (int i = 0; i < v.numCols; i++) {
                        v.data[k * v.numCols + i] /= a;
                    }
                }
            }
        }
    }
}
