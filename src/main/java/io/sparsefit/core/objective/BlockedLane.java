package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.kernel.DenseKernels;
import io.sparsefit.core.kernel.Kernels;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * One lane of {@link NetworkObjective}'s blocked kernel: its own block buffers and its own partial gradient over a
 * contiguous chunk of rows, so two lanes can run at once on two threads and be added in a fixed order afterwards
 * ({@link RowChunks}). The forward product (bias and ReLU fused) and the weight gradient run on the dense-layer
 * kernels ({@link Kernels#active()}); the mask is branch-free.
 *
 * <p>Not thread-safe: one thread per lane at a time.
 */
final class BlockedLane {

    private final Loss loss;
    private final int d;
    private final int m;
    private final int width;
    private final boolean skip;
    private final DenseKernels kernels = Kernels.active();

    private final RowBlock rowBlock;
    private final DMatrixRMaj hidden;      // block x K: pre-activation, then relu, then dZ
    private final DMatrixRMaj outBlock;    // block x m: predictions, then residuals
    private double[] vT;                   // m x K: V transposed, the owner's copy (not modified here)

    final double[] gradW;                  // K x d
    final double[] gradVt;                 // m x K
    final double[] gradBias;               // K
    final double[] gradSkipBias;           // m
    final double[] gradSkip;               // m x d

    BlockedLane(FitProblem problem, int width, boolean skip, int blockRows) {
        this.loss = problem.loss();
        this.d = problem.inputDim();
        this.m = problem.outputDim();
        this.width = width;
        this.skip = skip;
        this.rowBlock = new RowBlock(problem, blockRows);
        this.hidden = new DMatrixRMaj(blockRows, width);
        this.outBlock = new DMatrixRMaj(blockRows, m);
        this.gradW = new double[width * d];
        this.gradVt = new double[m * width];
        this.gradBias = new double[width];
        this.gradSkipBias = new double[m];
        this.gradSkip = new double[m * d];
    }

    /**
     * The (weighted) sum of the losses over rows {@code [from, to)} of {@code rows} (null: of the problem), in blocks of
     * {@code blockRows}; with {@code wantGradient} the partial gradients are reset and then accumulated.
     */
    double run(ShallowNetwork net, double[] vTransposed, int[] rows, int from, int to, int blockRows, double scale,
               boolean wantGradient) {
        this.vT = vTransposed;
        if (wantGradient) {
            Arrays.fill(gradW, 0.0);
            Arrays.fill(gradVt, 0.0);
            Arrays.fill(gradBias, 0.0);
            Arrays.fill(gradSkipBias, 0.0);
            Arrays.fill(gradSkip, 0.0);
        }
        return rowBlock.sum(rows, from, to, blockRows, count -> block(net, count, scale, wantGradient));
    }

    /** Adds {@code other}'s partial gradients to this lane's (element by element, so the order is fixed). */
    void add(BlockedLane other) {
        addInto(gradW, other.gradW);
        addInto(gradVt, other.gradVt);
        addInto(gradBias, other.gradBias);
        addInto(gradSkipBias, other.gradSkipBias);
        addInto(gradSkip, other.gradSkip);
    }

    private static void addInto(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    /** Forward (and backward) pass over one block; returns its (weighted) sum of the losses. */
    double block(ShallowNetwork net, int rows, double scale, boolean wantGradient) {
        double[] bias = net.bias();
        hidden.reshape(rows, width);
        outBlock.reshape(rows, m);
        double[] h = hidden.data;
        double[] out = outBlock.data;
        if (width > 0) {
            // relu(X W^T - b), the bias and the ReLU fused into the product (the dense-layer kernels).
            kernels.forwardRelu(rowBlock.x.data, rows, d, net.inputWeights().data, width, bias, h);
            // out = H V against the transposed copy (m x K), so each entry is a contiguous dot product over K.
            kernels.forward(h, rows, width, vT, m, out);
        } else {
            java.util.Arrays.fill(out, 0, rows * m, 0.0);
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
            backward(rows);
        }
        return lossSum;
    }

    /** Accumulates the data-fit gradient of one block; {@code outBlock} holds dJ/df, {@code hidden} relu(Z). */
    private void backward(int rows) {
        double[] h = hidden.data;
        double[] g = outBlock.data;
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
        if (width > 0) {
            // gradV += G^T H, then H becomes dZ = (G V^T) masked by relu'(z - b), and the bias gradient its column
            // sums with a minus sign (z = W x - b): one pass, in the kernels.
            kernels.reluReadoutBackward(h, rows, width, g, m, vT, gradVt, gradBias);
            kernels.weightGradientAdd(h, rows, width, rowBlock.x.data, d, gradW);
        }
    }

}
