package io.sparsefit.core.network;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One-hidden-layer ReLU network with an optional skip connection (theory A1):
 * {@code f(x) = sum_k v_k relu(w_k . x - b_k) + C x + c0}.
 *
 * <p>Storage is flat and row-major: {@link #inputWeights()} is K x d (row k is {@code w_k}),
 * {@link #bias()} holds {@code b_k} (note the minus sign in the activation), {@link #outputWeights()}
 * is K x m (row k is {@code v_k}), {@link #skipWeights()} is m x d ({@code C}, kept at zero when the
 * skip connection is off) and {@link #skipBias()} is {@code c0}, which every network has. The accessors return
 * the network's own arrays (no copies, EJML style): kernels read them in place, and a caller that writes them
 * modifies the network.
 *
 * <p>The flat parameter vector used by gradient solvers is laid out as
 * {@code [W (K*d) | b (K) | V (K*m) | c0 (m) | C (m*d), only when skip]}; see the offset methods.
 */
public final class ShallowNetwork extends Network {

    private final int width;
    private final DMatrixRMaj inputWeights;
    private final double[] bias;
    /** {@link #layers()}: one view built once, so the objective's hot path allocates nothing when it reads it. */
    private final List<Layer> layers;

    /** A network of the given shape with every parameter zero. */
    public ShallowNetwork(int inputDim, int outputDim, int width, boolean skip) {
        this(inputDim, outputDim, skip, new DMatrixRMaj(requireShape(inputDim, outputDim, width), inputDim),
                new double[width], new DMatrixRMaj(width, outputDim), new DMatrixRMaj(outputDim, inputDim), new double[outputDim]);
    }

    private static int requireShape(int inputDim, int outputDim, int width) {
        if (inputDim < 1 || outputDim < 1 || width < 0) {
            throw new IllegalArgumentException("bad shape: d=" + inputDim + ", m=" + outputDim + ", K=" + width);
        }
        return width;
    }

    /** A network over the given arrays, kept (not copied): see {@link #withLayers}. */
    ShallowNetwork(int inputDim, int outputDim, boolean skip, DMatrixRMaj inputWeights, double[] bias,
                   DMatrixRMaj outputWeights, DMatrixRMaj skipWeights, double[] skipBias) {
        super(inputDim, outputDim, skip, outputWeights, skipWeights, skipBias);
        int width = inputWeights.numRows;
        if (inputWeights.numCols != inputDim || bias.length != width || outputWeights.numRows != width) {
            throw new IllegalArgumentException("bad shape: d=" + inputDim + ", m=" + outputDim + ", K=" + width);
        }
        this.width = width;
        this.inputWeights = inputWeights;
        this.bias = bias;
        this.layers = List.of(new Layer(Layer.Kind.RELU, inputWeights, bias));
    }

    /** A one-layer network when {@code replaced} is one ReLU layer, else a {@link DeepNetwork}; see {@link Network#withLayers}. */
    @Override
    public Network withLayers(List<Layer> replaced, DMatrixRMaj replacedOutput) {
        if (replaced.size() == 1 && replaced.get(0).kind() == Layer.Kind.RELU) {
            Layer layer = replaced.get(0);
            return new ShallowNetwork(inputDim, outputDim, skip, layer.weights(), layer.bias(), replacedOutput, skipWeights,
                    skipBias);
        }
        return new DeepNetwork(inputDim, outputDim, skip, replaced, replacedOutput, skipWeights, skipBias);
    }

    /** This network itself. */
    @Override
    public ShallowNetwork oneLayer() {
        return this;
    }

    /** Number of hidden neurons K (zero neurons included). */
    public int width() {
        return width;
    }

    /** The one ReLU layer {@code (W, b)}, a view of {@link #inputWeights()} and {@link #bias()}. */
    @Override
    public List<Layer> layers() {
        return layers;
    }

    /**
     * {@code W}, K x d, row k the direction {@code w_k} of neuron k: the network's own matrix, modified by a caller that
     * writes it.
     */
    public DMatrixRMaj inputWeights() {
        return inputWeights;
    }

    /** {@code b}, K entries (the unit is {@code relu(w_k . x - b_k)}): the network's own array, modified by a caller that writes it. */
    public double[] bias() {
        return bias;
    }

    /** A deep copy. */
    @Override
    public ShallowNetwork copy() {
        ShallowNetwork c = new ShallowNetwork(inputDim, outputDim, width, skip);
        c.inputWeights.setTo(inputWeights);
        System.arraycopy(bias, 0, c.bias, 0, width);
        c.outputWeights.setTo(outputWeights);
        c.skipWeights.setTo(skipWeights);
        System.arraycopy(skipBias, 0, c.skipBias, 0, outputDim);
        return c;
    }

    /** A copy with only the neurons whose indices are given, in that order. */
    public ShallowNetwork select(int[] neurons) {
        ShallowNetwork c = new ShallowNetwork(inputDim, outputDim, neurons.length, skip);
        for (int i = 0; i < neurons.length; i++) {
            int k = neurons[i];
            System.arraycopy(inputWeights.data, k * inputDim, c.inputWeights.data, i * inputDim, inputDim);
            c.bias[i] = bias[k];
            System.arraycopy(outputWeights.data, k * outputDim, c.outputWeights.data, i * outputDim, outputDim);
        }
        c.skipWeights.setTo(skipWeights);
        System.arraycopy(skipBias, 0, c.skipBias, 0, outputDim);
        return c;
    }

    /** Euclidean norm of {@code w_k}. */
    public double inputNorm(int k) {
        return norm(inputWeights.data, k * inputDim, inputDim);
    }

    /** Euclidean norm of {@code v_k}. */
    public double outputNorm(int k) {
        return norm(outputWeights.data, k * outputDim, outputDim);
    }

    /**
     * Neuron k in unit-normal form (theory A3, A6), the network not modified: writes the direction
     * {@code u = w_k / ||w_k||} into {@code u} from {@code uOffset} (d entries, modified) and the amplitude
     * {@code a = ||w_k|| v_k} into {@code amplitude} from {@code aOffset} (m entries, modified), and returns the offset
     * {@code c = b_k / ||w_k||}; then {@code v_k relu(w_k . x - b_k) = a relu(u . x - c)}. Needs {@code ||w_k|| > 0}.
     */
    public double unitNormal(int k, double[] u, int uOffset, double[] amplitude, int aOffset) {
        double nw = inputNorm(k);
        for (int j = 0; j < inputDim; j++) {
            u[uOffset + j] = inputWeights.data[k * inputDim + j] / nw;
        }
        for (int i = 0; i < outputDim; i++) {
            amplitude[aOffset + i] = outputWeights.data[k * outputDim + i] * nw;
        }
        return bias[k] / nw;
    }

    /**
     * {@code (v_k, w_k, b_k) -> (v_k / a, a w_k, a b_k)} for {@code a > 0}: the function is unchanged (ReLU is
     * positively homogeneous, A3). Modifies this network.
     */
    public void rescale(int k, double a) {
        for (int j = 0; j < inputDim; j++) {
            inputWeights.data[k * inputDim + j] *= a;
        }
        bias[k] *= a;
        for (int i = 0; i < outputDim; i++) {
            outputWeights.data[k * outputDim + i] /= a;
        }
    }

    private static double norm(double[] a, int offset, int length) {
        double s = 0;
        for (int i = 0; i < length; i++) {
            double v = a[offset + i];
            s += v * v;
        }
        return Math.sqrt(s);
    }

    // ---- flat parameter vector -------------------------------------------------------------

    public int offsetInputWeights() {
        return 0;
    }

    public int offsetBias() {
        return width * inputDim;
    }

    public int offsetOutputWeights() {
        return width * inputDim + width;
    }

    public int offsetSkipBias() {
        return width * inputDim + width + width * outputDim;
    }

    /** Offset of C in the parameter vector; meaningful only when {@link #hasSkip()}. */
    public int offsetSkipWeights() {
        return offsetSkipBias() + outputDim;
    }

    // ---- evaluation --------------------------------------------------------------------------

    /** Rows evaluated at once by {@link #predict}: their hidden activations (rows x K) stay in cache. */
    private static final int PREDICT_BLOCK = 64;

    /** Allocates one block of hidden activations (at most {@link #PREDICT_BLOCK} x K); training code uses its own buffers. */
    @Override
    void readOut(DMatrixRMaj x, DMatrixRMaj out) {
        int n = x.numRows;
        if (width > 0) {
            // relu(X W^T - b) by the dense-layer kernels (bias and ReLU fused into the product), then times V, in
            // blocks of PREDICT_BLOCK rows so the hidden activations stay in cache (block x K, not N x K, in memory).
            io.sparsefit.core.kernel.DenseKernels kernels = io.sparsefit.core.kernel.Kernels.active();
            int block = Math.min(n, PREDICT_BLOCK);
            double[] hidden = new double[block * width];
            // V^T (m x K): each output a contiguous dot product over K.
            double[] vT = CommonOps_DDRM.transpose(outputWeights, null).data;
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
                kernels.forwardRelu(xBlock, rows, inputDim, inputWeights.data, width, bias, hidden);
                kernels.forward(hidden, rows, width, vT, outputDim, oBlock);
                if (!oneBlock) {
                    System.arraycopy(oBlock, 0, o, start * outputDim, rows * outputDim);
                }
            }
        } else {
            out.zero();
        }
    }
}
