package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.kernel.DenseKernels;
import io.sparsefit.core.kernel.Kernels;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.LayerForward;
import io.sparsefit.core.penalty.Penalty;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The objective of theory A2 for a {@link DeepNetwork} (A8) and its gradient by backpropagation, on the whole data set
 * or on a subset of rows. Rows go in blocks of at most {@link NetworkObjective#BLOCK_ROWS}; per block:
 * <pre>
 *   forward:  h_0 = X,  h_l = act_l(h_{l-1} W_l^T - 1 b_l^T),  f = h_L V + X C^T + 1 c0^T,  r = s (f - Y)
 *   backward: dV += h_L^T r,  dc0 += 1^T r,  dC += r^T X,  delta_L = r V^T,
 *             for l = L..1:  delta_l *= [h_l > 0] (ReLU only),  dW_l += delta_l^T h_{l-1},  db_l -= 1^T delta_l,
 *                            delta_{l-1} = delta_l W_l
 * </pre>
 * with {@code s} the batch scale. The mask uses {@code h_l > 0}, which for a ReLU layer is {@code z_l > 0}: the
 * subgradient 0 at the kink, as in the shallow kernels. Work memory is {@code O(BLOCK_ROWS * sum_l K_l)} whatever N
 * is, allocated once per instance; the summation order is fixed, so results are deterministic. The products with a
 * hidden layer on both sides (forward, {@code dW_l}, {@code delta_{l-1}}) run on the dense-layer kernels
 * ({@link Kernels#active()}); those with the m outputs on one side stay on EJML.
 *
 * <p>Not thread-safe: one instance per fit.
 */
public final class DeepObjective {

    private final FitProblem problem;
    private final int n;
    private final int d;
    private final int m;
    private final int blockRows;
    private final int[] widths;
    private final boolean skip;

    private final DenseKernels kernels = Kernels.active();
    private final DMatrixRMaj xBlock;
    private final DMatrixRMaj yBlock;
    private final DMatrixRMaj[] activations;   // per layer: block x K_l
    private final DMatrixRMaj[] deltas;        // per layer: block x K_l
    private final DMatrixRMaj outBlock;        // block x m: predictions, then scaled residuals
    private final DMatrixRMaj[] gradWeights;   // per layer: K_l x K_{l-1}
    private final double[][] gradBias;         // per layer: K_l (empty for linear layers)
    private final DMatrixRMaj gradOutput;      // K_L x m
    private final DMatrixRMaj gradSkip;        // m x d
    private final double[] gradSkipBias;       // m

    private double lastDataFit;
    private double lastPenalty;

    /**
     * @param problem the data, not modified
     * @param shape   a network of the shape that will be evaluated (only its shape is read)
     */
    public DeepObjective(FitProblem problem, DeepNetwork shape) {
        this.problem = problem;
        this.n = problem.rows();
        this.d = problem.inputDim();
        this.m = problem.outputDim();
        if (shape.inputDim() != d || shape.outputDim() != m) {
            throw new IllegalArgumentException("network is " + shape.inputDim() + " -> " + shape.outputDim()
                    + ", data is " + d + " -> " + m);
        }
        this.skip = shape.hasSkip();
        this.blockRows = Math.min(n, NetworkObjective.BLOCK_ROWS);
        List<Layer> layers = shape.layers();
        int depth = layers.size();
        this.widths = new int[depth];
        this.activations = new DMatrixRMaj[depth];
        this.deltas = new DMatrixRMaj[depth];
        this.gradWeights = new DMatrixRMaj[depth];
        this.gradBias = new double[depth][];
        for (int l = 0; l < depth; l++) {
            Layer layer = layers.get(l);
            widths[l] = layer.outputs();
            activations[l] = new DMatrixRMaj(blockRows, layer.outputs());
            deltas[l] = new DMatrixRMaj(blockRows, layer.outputs());
            gradWeights[l] = new DMatrixRMaj(layer.outputs(), layer.inputs());
            gradBias[l] = new double[layer.bias().length];
        }
        this.xBlock = new DMatrixRMaj(blockRows, d);
        this.yBlock = new DMatrixRMaj(blockRows, m);
        this.outBlock = new DMatrixRMaj(blockRows, m);
        this.gradOutput = new DMatrixRMaj(shape.lastWidth(), m);
        this.gradSkip = new DMatrixRMaj(m, d);
        this.gradSkipBias = new double[m];
    }

    public int rows() {
        return n;
    }

    public double lastDataFit() {
        return lastDataFit;
    }

    public double lastPenalty() {
        return lastPenalty;
    }

    /**
     * J with the data fit restricted to {@code rows[0..count)} (null: rows {@code 0..count)}) times {@code dataScale};
     * the penalty (null for none) is added once, unscaled. {@code gradient}, when not null, receives dJ/dtheta in the
     * layout of {@link DeepNetwork#getParameters} (overwritten). {@code net} is not modified.
     */
    public double evaluateRows(DeepNetwork net, int[] rows, int count, double dataScale, Penalty penalty, double lambda,
                               double[] gradient) {
        checkShape(net, gradient);
        if (count < 0 || count > n || (rows != null && rows.length < count)) {
            throw new IllegalArgumentException("row count " + count + " out of range for " + n + " rows");
        }
        boolean wantGradient = gradient != null;
        if (wantGradient) {
            for (int l = 0; l < widths.length; l++) {
                gradWeights[l].zero();
                Arrays.fill(gradBias[l], 0.0);
            }
            gradOutput.zero();
            gradSkip.zero();
            Arrays.fill(gradSkipBias, 0.0);
        }
        double sumSquares = 0;
        for (int start = 0; start < count; start += blockRows) {
            int size = Math.min(blockRows, count - start);
            gather(rows, start, size);
            sumSquares += block(net, size, dataScale, wantGradient);
        }
        lastDataFit = 0.5 * dataScale * sumSquares;
        lastPenalty = penalty == null || lambda == 0.0 ? 0.0 : lambda * penalty.value(net);
        if (wantGradient) {
            scatter(net, gradient);
            if (penalty != null && lambda != 0.0) {
                penalty.addGradient(net, lambda, gradient);
            }
        }
        return lastDataFit + lastPenalty;
    }

    private void checkShape(DeepNetwork net, double[] gradient) {
        List<Layer> layers = net.layers();
        boolean same = net.inputDim() == d && net.outputDim() == m && net.hasSkip() == skip && layers.size() == widths.length;
        for (int l = 0; same && l < widths.length; l++) {
            same = layers.get(l).outputs() == widths[l] && layers.get(l).bias().length == gradBias[l].length;
        }
        if (!same) {
            throw new IllegalArgumentException("network shape differs from the one this objective was built for");
        }
        if (gradient != null && gradient.length != net.parameterCount()) {
            throw new IllegalArgumentException("gradient has length " + gradient.length + ", expected " + net.parameterCount());
        }
    }

    private void gather(int[] rows, int start, int size) {
        xBlock.reshape(size, d);
        yBlock.reshape(size, m);
        double[] x = problem.x().data;
        double[] y = problem.y().data;
        for (int i = 0; i < size; i++) {
            int row = rows == null ? start + i : rows[start + i];
            System.arraycopy(x, row * d, xBlock.data, i * d, d);
            System.arraycopy(y, row * m, yBlock.data, i * m, m);
        }
    }

    /** Forward and backward over one gathered block; returns its unscaled sum of squared residuals. */
    private double block(DeepNetwork net, int size, double dataScale, boolean wantGradient) {
        List<Layer> layers = net.layers();
        int depth = layers.size();
        DMatrixRMaj input = xBlock;
        for (int l = 0; l < depth; l++) {
            activations[l].reshape(size, widths[l]);
            LayerForward.apply(layers.get(l), input, activations[l]);
            input = activations[l];
        }
        DMatrixRMaj last = activations[depth - 1];
        outBlock.reshape(size, m);
        CommonOps_DDRM.mult(last, net.outputWeights(), outBlock);
        if (skip) {
            CommonOps_DDRM.multAddTransB(xBlock, net.skipWeights(), outBlock);
        }
        double[] o = outBlock.data;
        double[] y = yBlock.data;
        double[] c0 = net.skipBias();
        double sumSquares = 0;
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < m; j++) {
                int at = i * m + j;
                double r = o[at] + c0[j] - y[at];
                sumSquares += r * r;
                o[at] = dataScale * r;
            }
        }
        if (!wantGradient) {
            return sumSquares;
        }
        CommonOps_DDRM.multAddTransA(last, outBlock, gradOutput);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < m; j++) {
                gradSkipBias[j] += o[i * m + j];
            }
        }
        if (skip) {
            CommonOps_DDRM.multAddTransA(outBlock, xBlock, gradSkip);
        }
        DMatrixRMaj delta = deltas[depth - 1];
        delta.reshape(size, widths[depth - 1]);
        CommonOps_DDRM.multTransB(outBlock, net.outputWeights(), delta);
        for (int l = depth - 1; l >= 0; l--) {
            Layer layer = layers.get(l);
            double[] dz = delta.data;
            if (layer.kind() == Layer.Kind.RELU) {
                double[] h = activations[l].data;
                int entries = size * widths[l];
                for (int i = 0; i < entries; i++) {
                    dz[i] = h[i] > 0.0 ? dz[i] : 0.0;
                }
                double[] gb = gradBias[l];
                int width = widths[l];
                for (int i = 0; i < size; i++) {
                    int row = i * width;
                    for (int k = 0; k < width; k++) {
                        gb[k] -= dz[row + k];
                    }
                }
            }
            DMatrixRMaj below = l == 0 ? xBlock : activations[l - 1];
            kernels.weightGradientAdd(dz, size, widths[l], below.data, below.numCols, gradWeights[l].data);
            if (l > 0) {
                DMatrixRMaj next = deltas[l - 1];
                next.reshape(size, widths[l - 1]);
                kernels.inputGradient(dz, size, widths[l], layer.weights().data, widths[l - 1], next.data);
                delta = next;
            }
        }
        return sumSquares;
    }

    private void scatter(DeepNetwork net, double[] gradient) {
        int at = 0;
        for (int l = 0; l < widths.length; l++) {
            int w = gradWeights[l].getNumElements();
            System.arraycopy(gradWeights[l].data, 0, gradient, at, w);
            System.arraycopy(gradBias[l], 0, gradient, at + w, gradBias[l].length);
            at += w + gradBias[l].length;
        }
        int v = gradOutput.getNumElements();
        System.arraycopy(gradOutput.data, 0, gradient, at, v);
        System.arraycopy(gradSkipBias, 0, gradient, at + v, m);
        if (skip) {
            System.arraycopy(gradSkip.data, 0, gradient, at + v + m, m * d);
        }
    }
}
