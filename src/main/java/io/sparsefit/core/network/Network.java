package io.sparsefit.core.network;

import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.kernel.DenseKernels;
import io.sparsefit.core.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

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
 * initialization, balancing, pruning, the polish, the finishing and the diagnostics). This class is the one storage
 * form, for every depth. Code that needs the neurons of theory A1-A7 (knots, canonical form, the exact and convex
 * solvers, the certificate, the fused one-layer kernel) asks {@link #oneLayer()}: for a network whose layers are one
 * ReLU layer it is the {@link ShallowNetwork} view over the same arrays, otherwise null.
 *
 * <p>The skip connection is one affine map {@code C x + c0} from the input to the output, as in the paper's deep
 * setting: it carries the unpenalized affine part of the whole function (A1), which is what the null space of the
 * R-TV seminorm is. Skips around each layer are not offered: they would make every layer's affine part free as
 * well, and the penalty would then no longer be the composition of shallow R-TV layers that A8 describes.
 */
public sealed class Network permits ShallowNetwork {

    /** Rows evaluated at once by {@link #predict}: their hidden activations (rows x K_l) stay in cache. */
    private static final int PREDICT_BLOCK = 64;

    final int inputDim;
    final int outputDim;
    final boolean skip;
    private final List<Layer> layers;
    final DMatrixRMaj outputWeights;
    final DMatrixRMaj skipWeights;
    final double[] skipBias;
    /** {@link #oneLayer()} of a network that is not itself the view, built on first use (the objective asks per call). */
    private ShallowNetwork oneLayerView;

    /**
     * A network over the given arrays, kept (not copied).
     *
     * @param layers        hidden layers, first to last; their inputs must chain from {@code inputDim}
     * @param outputWeights {@code V}, K_L x m
     * @param skipWeights   {@code C}, m x d
     * @param skipBias      {@code c0}, m entries
     */
    public Network(int inputDim, int outputDim, boolean skip, List<Layer> layers, DMatrixRMaj outputWeights,
                   DMatrixRMaj skipWeights, double[] skipBias) {
        if (inputDim < 1 || outputDim < 1 || outputWeights.numCols != outputDim || skipWeights.numRows != outputDim
                || skipWeights.numCols != inputDim || skipBias.length != outputDim) {
            throw new IllegalArgumentException("bad shape: d=" + inputDim + ", m=" + outputDim + ", V " + outputWeights.numRows
                    + " x " + outputWeights.numCols + ", C " + skipWeights.numRows + " x " + skipWeights.numCols + ", c0 "
                    + skipBias.length);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one hidden layer");
        }
        int width = inputDim;
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).inputs() != width) {
                throw new IllegalArgumentException("layer " + l + " takes " + layers.get(l).inputs() + " inputs, previous gives " + width);
            }
            width = layers.get(l).outputs();
        }
        if (outputWeights.numRows != width) {
            throw new IllegalArgumentException("output weights must have " + width + " rows, got " + outputWeights.numRows);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
        this.skip = skip;
        this.layers = List.copyOf(layers);
        this.outputWeights = outputWeights;
        this.skipWeights = skipWeights;
        this.skipBias = skipBias;
    }

    /**
     * A zero network: for every entry K of {@code hiddenWidths}, {@code linearLayers} square linear layers (as wide as
     * that ReLU layer's input) and then the ReLU layer of K units (A8's bottleneck factorization: the ReLU layer sees
     * the product of {@code linearLayers + 1} weight-decayed factors). One ReLU layer alone is built as its
     * {@link ShallowNetwork} view.
     */
    public static Network zeros(int inputDim, int outputDim, int[] hiddenWidths, int linearLayers, boolean skip) {
        if (hiddenWidths.length == 0 || linearLayers < 0) {
            throw new IllegalArgumentException("need at least one hidden layer and linearLayers >= 0");
        }
        List<Layer> layers = new ArrayList<>();
        int in = inputDim;
        for (int width : hiddenWidths) {
            if (width < 0) {
                throw new IllegalArgumentException("hidden widths must be >= 0, got " + width);
            }
            for (int i = 0; i < linearLayers; i++) {
                layers.add(Layer.zeros(Layer.Kind.LINEAR, in, in));
            }
            layers.add(Layer.zeros(Layer.Kind.RELU, width, in));
            in = width;
        }
        return of(inputDim, outputDim, skip, layers, new DMatrixRMaj(in, outputDim), new DMatrixRMaj(outputDim, inputDim),
                new double[outputDim]);
    }

    /** A network over the given arrays (kept), as its {@link ShallowNetwork} view when they are one ReLU layer. */
    static Network of(int inputDim, int outputDim, boolean skip, List<Layer> layers, DMatrixRMaj outputWeights,
                      DMatrixRMaj skipWeights, double[] skipBias) {
        Network net = new Network(inputDim, outputDim, skip, layers, outputWeights, skipWeights, skipBias);
        ShallowNetwork one = net.oneLayer();
        return one != null ? one : net;
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

    /** The hidden layers, first to last (an unmodifiable list); their arrays are the network's own. */
    public final List<Layer> layers() {
        return layers;
    }

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

    /**
     * The affine part as the restricted solvers and the affine refit hold it: {@code c0} (m entries), then with a skip
     * connection {@code C} (m x d row-major); a new array.
     */
    public final double[] affine() {
        double[] out = new double[hasSkip() ? outputDim * (1 + inputDim) : outputDim];
        System.arraycopy(skipBias, 0, out, 0, outputDim);
        System.arraycopy(skipWeights.data, 0, out, outputDim, out.length - outputDim);
        return out;
    }

    /**
     * Sets {@code c0} from the first m entries of {@code affine} (laid out as {@link #affine()}, not modified) and
     * {@code C} from the rest when it holds more; this network is modified.
     */
    public final void setAffine(double[] affine) {
        System.arraycopy(affine, 0, skipBias, 0, outputDim);
        System.arraycopy(affine, outputDim, skipWeights.data, 0, affine.length - outputDim);
    }

    /**
     * Unit k of the last ReLU layer in unit-normal form (theory A3, A6; A8 with depth), the network not modified:
     * writes the direction {@code u = w_k / ||w_k||} into {@code u} from {@code uOffset} (the layer's inputs, modified)
     * and the amplitude {@code a = ||w_k|| v_k} into {@code amplitude} from {@code aOffset} (m entries, modified), and
     * returns the offset {@code c = b_k / ||w_k||}; then {@code v_k relu(w_k . g - b_k) = a relu(u . g - c)}. Needs
     * {@code ||w_k|| > 0}.
     */
    public final double unitNormal(int k, double[] u, int uOffset, double[] amplitude, int aOffset) {
        Layer last = layers.get(layers.size() - 1);
        int inputs = last.inputs();
        double[] w = last.weights().data;
        double nw = MatrixNorms.rowNorm(last.weights(), k);
        for (int j = 0; j < inputs; j++) {
            u[uOffset + j] = w[k * inputs + j] / nw;
        }
        for (int i = 0; i < outputDim; i++) {
            amplitude[aOffset + i] = outputWeights.data[k * outputDim + i] * nw;
        }
        return last.bias()[k] / nw;
    }

    /** Length of the flat parameter vector (layout in the class comment). */
    public final int parameterCount() {
        return offsetSkipWeights() + (hasSkip() ? outputDim() * inputDim() : 0);
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

    /**
     * {@code out = h_L(X) V}, the layers' part of the prediction ({@code x} not modified; {@code out} N x m, modified):
     * by the dense-layer kernels (bias and ReLU fused into each product), in blocks of {@link #PREDICT_BLOCK} rows so
     * the hidden activations stay in cache (block x K_l, not N x K_l, in memory). Allocates those blocks; training
     * code uses its own buffers.
     */
    private void readOut(DMatrixRMaj x, DMatrixRMaj out) {
        int n = x.numRows;
        int width = lastWidth();
        if (width == 0 || n == 0) {
            out.zero();
            return;
        }
        DenseKernels kernels = Kernels.active();
        int block = Math.min(n, PREDICT_BLOCK);
        double[][] hidden = new double[layers.size()][];
        for (int l = 0; l < hidden.length; l++) {
            hidden[l] = new double[block * layers.get(l).outputs()];
        }
        double[] vT = CommonOps_DDRM.transpose(outputWeights, null).data; // m x K: each output a contiguous dot product
        double[] o = out.data;
        double[] xs = x.data;
        boolean oneBlock = block == n;
        double[] xBlock = oneBlock ? xs : new double[block * inputDim];
        double[] oBlock = oneBlock ? o : new double[block * outputDim];
        for (int start = 0; start < n; start += block) {
            int rows = Math.min(block, n - start);
            if (!oneBlock) {
                System.arraycopy(xs, start * inputDim, xBlock, 0, rows * inputDim);
            }
            double[] h = xBlock;
            int inputs = inputDim;
            for (int l = 0; l < hidden.length; l++) {
                Layer layer = layers.get(l);
                double[] bias = layer.kind() == Layer.Kind.RELU ? layer.bias() : null;
                kernels.forwardRelu(h, rows, inputs, layer.weights().data, layer.outputs(), bias, hidden[l]);
                h = hidden[l];
                inputs = layer.outputs();
            }
            kernels.forward(h, rows, width, vT, outputDim, oBlock);
            if (!oneBlock) {
                System.arraycopy(oBlock, 0, o, start * outputDim, rows * outputDim);
            }
        }
    }

    /** A deep copy (of the same class: the copy of a {@link ShallowNetwork} is one). */
    public Network copy() {
        List<Layer> copies = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            copies.add(layer.copy());
        }
        return new Network(inputDim, outputDim, skip, copies, outputWeights.copy(), skipWeights.copy(), skipBias.clone());
    }

    /**
     * The one-hidden-layer view of theory A1-A7 (neurons {@code v_k relu(w_k . x - b_k)}: knots, canonical neurons, the
     * exact and convex solvers, the certificate, the fused one-layer kernel) when this network's layers are one ReLU
     * layer: a view over this network's own arrays (no copy; writing either writes both), the network itself when it
     * is that view; null otherwise. The one place that asks "one layer?": code that needs the shallow theory calls
     * it, the rest works layer by layer.
     */
    public ShallowNetwork oneLayer() {
        if (oneLayerView == null && layers.size() == 1 && layers.get(0).kind() == Layer.Kind.RELU) {
            oneLayerView = new ShallowNetwork(this);
        }
        return oneLayerView;
    }

    /**
     * A network with {@code replaced} in place of this one's layers (their shapes must chain from the input) and
     * {@code replacedOutput} as {@code V}, sharing this one's skip arrays; the arrays given are kept, not copied. One
     * ReLU layer gives its {@link ShallowNetwork} view.
     */
    public final Network withLayers(List<Layer> replaced, DMatrixRMaj replacedOutput) {
        return of(inputDim, outputDim, skip, replaced, replacedOutput, skipWeights, skipBias);
    }

    /**
     * A network keeping only the units {@code units} (in that order) of hidden layer {@code l}: those rows of its
     * weights and bias, and those columns of the next layer's weights or rows of {@code V}. The other arrays are shared
     * with this network, as in {@link #withLayers}; this network is not modified.
     */
    public final Network selectUnits(int l, int[] units) {
        List<Layer> replaced = new ArrayList<>(layers);
        Layer layer = replaced.get(l);
        double[] bias = new double[layer.bias().length == 0 ? 0 : units.length];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = layer.bias()[units[i]];
        }
        replaced.set(l, new Layer(layer.kind(), select(layer.weights(), units, null), bias));
        if (l + 1 < replaced.size()) {
            Layer next = replaced.get(l + 1);
            replaced.set(l + 1, new Layer(next.kind(), select(next.weights(), null, units), next.bias()));
            return withLayers(replaced, outputWeights);
        }
        return withLayers(replaced, select(outputWeights, units, null));
    }

    /** The given rows and columns (null: all, in order) of {@code a}, not modified, as a new matrix. */
    private static DMatrixRMaj select(DMatrixRMaj a, int[] rows, int[] cols) {
        int[] r = rows != null ? rows : java.util.stream.IntStream.range(0, a.numRows).toArray();
        int[] c = cols != null ? cols : java.util.stream.IntStream.range(0, a.numCols).toArray();
        return CommonOps_DDRM.extract(a, r, r.length, c, c.length, new DMatrixRMaj(r.length, c.length));
    }

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

    /** Offset of layer {@code l}'s biases in the flat parameter vector (they follow its weights). */
    public final int offsetBias(int l) {
        return offsetLayer(l) + layers().get(l).weights().getNumElements();
    }

    /** Offset of {@code V} in the flat parameter vector; {@code c0} and then {@code C} follow it. */
    public final int offsetOutput() {
        return offsetLayer(layers().size());
    }

    /** Offset of {@code c0} in the flat parameter vector. */
    public final int offsetSkipBias() {
        return offsetOutput() + outputWeights().getNumElements();
    }

    /** Offset of {@code C} in the flat parameter vector; meaningful only when {@link #hasSkip()}. */
    public final int offsetSkipWeights() {
        return offsetSkipBias() + outputDim();
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
