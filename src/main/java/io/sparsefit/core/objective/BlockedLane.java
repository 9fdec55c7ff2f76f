package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.kernel.DenseKernels;
import io.sparsefit.core.kernel.Kernels;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.LayerForward;
import io.sparsefit.core.network.Network;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * One lane of {@link NetworkObjective}'s blocked kernel, for a network of any depth read layer by layer (theory A8):
 * its own block buffers and its own partial gradient over a contiguous chunk of rows, so two lanes can run at once on
 * two threads and be added in a fixed order afterwards ({@link io.sparsefit.core.kernel.RowChunks}). Every product
 * runs on the dense-layer kernels ({@link Kernels#active()}): the forward product of each layer with its bias and
 * ReLU fused in ({@link LayerForward}), the read-out {@code h_L V} against {@code V} transposed, and, when the last
 * layer is a ReLU layer (always so for the networks the solvers build, and for one hidden layer), the read-out
 * backward pass that computes the output-weight gradient, the ReLU mask and the bias gradient in one pass over the
 * block ({@link DenseKernels#reluReadoutBackward}); below it, the ReLU steps ({@link DenseKernels#reluBackward}), the
 * weight gradients and the input gradients. Masks are branch-free.
 *
 * <p>Not thread-safe: one thread per lane at a time.
 */
final class BlockedLane {

    private final Loss loss;
    private final int d;
    private final int m;
    private final int[] widths;            // K_l per layer
    private final boolean skip;
    private final DenseKernels kernels = Kernels.active();

    private final RowBlock rowBlock;
    private final DMatrixRMaj[] activations; // per layer, block x K_l: h_l; the last one becomes dJ/dz_L (ReLU)
    private final double[][] deltas;       // per layer below the last (and the last if linear), block x K_l: dJ/dz_l
    private final double[] outBlock;       // block x m: predictions, then dJ/df
    private double[] vT;                   // m x K_L: V transposed, the owner's copy (not modified here)

    final double[][] gradWeights;          // per layer, K_l x K_{l-1}
    final double[][] gradBias;             // per layer, K_l (empty for a linear layer)
    final double[] gradVt;                 // m x K_L: the output-weight gradient, transposed
    final double[] gradSkipBias;           // m
    final double[] gradSkip;               // m x d

    /**
     * @param shape     a network of the shape that will be evaluated (only its shape is read)
     * @param blockRows the most rows per block
     */
    BlockedLane(FitProblem problem, Network shape, int blockRows) {
        this.loss = problem.loss();
        this.d = problem.inputDim();
        this.m = problem.outputDim();
        this.skip = shape.hasSkip();
        List<Layer> layers = shape.layers();
        int depth = layers.size();
        this.widths = new int[depth];
        this.activations = new DMatrixRMaj[depth];
        this.deltas = new double[depth][];
        this.gradWeights = new double[depth][];
        this.gradBias = new double[depth][];
        for (int l = 0; l < depth; l++) {
            Layer layer = layers.get(l);
            widths[l] = layer.outputs();
            activations[l] = new DMatrixRMaj(blockRows, layer.outputs());
            boolean fusedReadout = l == depth - 1 && layer.kind() == Layer.Kind.RELU;
            deltas[l] = new double[fusedReadout ? 0 : blockRows * layer.outputs()];
            gradWeights[l] = new double[layer.outputs() * layer.inputs()];
            gradBias[l] = new double[layer.bias().length];
        }
        this.rowBlock = new RowBlock(problem, blockRows);
        this.outBlock = new double[blockRows * m];
        this.gradVt = new double[m * shape.lastWidth()];
        this.gradSkipBias = new double[m];
        this.gradSkip = new double[m * d];
    }

    /**
     * The (weighted) sum of the losses over rows {@code [from, to)} of {@code rows} (null: of the problem), in blocks of
     * {@code blockRows}; with {@code wantGradient} the partial gradients are reset and then accumulated.
     *
     * @param vTransposed {@code V^T} (m x K_L), not modified
     */
    double run(Network net, double[] vTransposed, int[] rows, int from, int to, int blockRows, double scale,
               boolean wantGradient) {
        this.vT = vTransposed;
        if (wantGradient) {
            for (int l = 0; l < widths.length; l++) {
                Arrays.fill(gradWeights[l], 0.0);
                Arrays.fill(gradBias[l], 0.0);
            }
            Arrays.fill(gradVt, 0.0);
            Arrays.fill(gradSkipBias, 0.0);
            Arrays.fill(gradSkip, 0.0);
        }
        return rowBlock.sum(rows, from, to, blockRows, count -> block(net, count, scale, wantGradient));
    }

    /** Adds {@code other}'s partial gradients to this lane's (element by element, so the order is fixed). */
    void add(BlockedLane other) {
        for (int l = 0; l < widths.length; l++) {
            addInto(gradWeights[l], other.gradWeights[l]);
            addInto(gradBias[l], other.gradBias[l]);
        }
        addInto(gradVt, other.gradVt);
        addInto(gradSkipBias, other.gradSkipBias);
        addInto(gradSkip, other.gradSkip);
    }

    private static void addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    /** Writes this lane's gradient into {@code gradient} in the flat layout of {@link Network#getParameters}. */
    void scatter(Network net, double[] gradient) {
        for (int l = 0; l < widths.length; l++) {
            System.arraycopy(gradWeights[l], 0, gradient, net.offsetLayer(l), gradWeights[l].length);
            System.arraycopy(gradBias[l], 0, gradient, net.offsetBias(l), gradBias[l].length);
        }
        scatterReadout(net, gradVt, gradSkipBias, gradSkip, gradient);
    }

    /**
     * The read-out and skip part of a gradient into the flat layout of {@link Network#getParameters}: {@code V}'s
     * from its transpose {@code gradVt} (m x K_L), then {@code c0}'s and (with a skip connection) {@code C}'s; the
     * arrays are not modified, {@code gradient} is.
     */
    static void scatterReadout(Network net, double[] gradVt, double[] gradSkipBias, double[] gradSkip,
                               double[] gradient) {
        int width = net.lastWidth();
        int m = net.outputDim();
        int ov = net.offsetOutput();
        for (int k = 0; k < width; k++) {
            for (int i = 0; i < m; i++) {
                gradient[ov + k * m + i] = gradVt[i * width + k];
            }
        }
        System.arraycopy(gradSkipBias, 0, gradient, net.offsetSkipBias(), m);
        if (net.hasSkip()) {
            System.arraycopy(gradSkip, 0, gradient, net.offsetSkipWeights(), m * net.inputDim());
        }
    }

    /** Forward (and backward) pass over one gathered block; returns its (weighted) sum of the losses. */
    private double block(Network net, int rows, double scale, boolean wantGradient) {
        List<Layer> layers = net.layers();
        int depth = widths.length;
        DMatrixRMaj input = rowBlock.x;
        for (int l = 0; l < depth; l++) {
            // h_l = relu(h_{l-1} W_l^T - b_l) (bias and ReLU fused into the product), or h_{l-1} W_l^T if linear
            LayerForward.apply(layers.get(l), input, activations[l]);
            input = activations[l];
        }
        int width = widths[depth - 1];
        double[] h = activations[depth - 1].data;
        double[] out = outBlock;
        if (width > 0) {
            // out = h_L V against the transposed copy (m x K), so each entry is a contiguous dot product over K.
            kernels.forward(h, rows, width, vT, m, out);
        } else {
            Arrays.fill(out, 0, rows * m, 0.0);
        }
        double[] c = net.skipWeights().data;
        double[] c0 = net.skipBias();
        double[] xb = rowBlock.x.data;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < m; i++) {
                double f = out[r * m + i] + c0[i];
                if (skip) {
                    for (int j = 0; j < d; j++) {
                        f += c[i * d + j] * xb[r * d + j];
                    }
                }
                out[r * m + i] = f;
            }
        }
        // the block's losses, and dJ/df for the (scaled) data fit in place of the outputs
        double lossSum = loss.gradient(out, 0, rowBlock.y, 0, rowBlock.w, 0, rows, m, scale, out, 0);
        if (wantGradient) {
            backward(layers, rows);
        }
        return lossSum;
    }

    /**
     * Accumulates the data-fit gradient of one block by backpropagation; {@code outBlock} holds dJ/df, {@code
     * activations} the layers' outputs:
     * <pre>
     *   dV += h_L^T g,  dc0 += 1^T g,  dC += g^T X,  delta_L = g V^T,
     *   for l = L..1:  delta_l *= [h_l > 0] (ReLU only),  dW_l += delta_l^T h_{l-1},  db_l -= 1^T delta_l,
     *                  delta_{l-1} = delta_l W_l
     * </pre>
     * with the mask {@code h_l > 0} the subgradient 0 at the kink.
     */
    private void backward(List<Layer> layers, int rows) {
        double[] g = outBlock;
        double[] xb = rowBlock.x.data;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < m; i++) {
                double gi = g[r * m + i];
                gradSkipBias[i] += gi;
                if (skip) {
                    for (int j = 0; j < d; j++) {
                        gradSkip[i * d + j] += gi * xb[r * d + j];
                    }
                }
            }
        }
        int last = widths.length - 1;
        int width = widths[last];
        if (width == 0) {
            return; // nothing reaches the layers (and every weight gradient below stays zero)
        }
        double[] h = activations[last].data;
        double[] dz;
        if (layers.get(last).kind() == Layer.Kind.RELU) {
            // gradV += G^T H, then H becomes dZ = (G V^T) masked by relu'(z - b), and the bias gradient its column
            // sums with a minus sign (z = W h - b): one pass, in the kernels.
            kernels.reluReadoutBackward(h, rows, width, g, m, vT, gradVt, gradBias[last]);
            dz = h;
        } else {
            kernels.weightGradientAdd(g, rows, m, h, width, gradVt);
            dz = deltas[last];
            kernels.inputGradient(g, rows, m, vT, width, dz);
        }
        for (int l = last; l >= 0; l--) {
            Layer layer = layers.get(l);
            if (l < last && layer.kind() == Layer.Kind.RELU) {
                // dZ = dH ∘ [h > 0] in place, and the bias gradient minus its column sums: one pass.
                kernels.reluBackward(dz, activations[l].data, rows, widths[l], gradBias[l]);
            }
            double[] below = l == 0 ? xb : activations[l - 1].data;
            int belowWidth = l == 0 ? d : widths[l - 1];
            kernels.weightGradientAdd(dz, rows, widths[l], below, belowWidth, gradWeights[l]);
            if (l > 0) {
                kernels.inputGradient(dz, rows, widths[l], layer.weights().data, belowWidth, deltas[l - 1]);
                dz = deltas[l - 1];
            }
        }
    }
}
