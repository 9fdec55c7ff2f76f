package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.kernel.DenseKernels;
import io.sparsefit.core.kernel.Kernels;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.LayerForward;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * One lane of {@link NetworkObjective}'s layered kernel: its own block buffers and partial gradient over a contiguous chunk of rows, so
 * two lanes can run at once and be added in a fixed order ({@link io.sparsefit.core.kernel.RowChunks}).
 *
 * <p>Not thread-safe: one thread per lane at a time.
 */
final class LayeredLane {

    private final Loss loss;
    private final int d;
    private final int m;
    private final int[] widths;
    private final boolean skip;
    private final DenseKernels kernels = Kernels.active();
    private final RowBlock rowBlock;
    private final DMatrixRMaj[] activations;   // per layer: block x K_l
    private final DMatrixRMaj[] deltas;        // per layer: block x K_l
    private final DMatrixRMaj outBlock;        // block x m: predictions, then scaled residuals
    final DMatrixRMaj[] gradWeights;   // per layer: K_l x K_{l-1}
    final double[][] gradBias;         // per layer: K_l (empty for linear layers)
    final DMatrixRMaj gradOutput;      // K_L x m
    final DMatrixRMaj gradSkip;        // m x d
    final double[] gradSkipBias;       // m


    LayeredLane(FitProblem problem, Network shape, int blockRows) {
        this.loss = problem.loss();
        this.d = problem.inputDim();
        this.m = problem.outputDim();
        this.skip = shape.hasSkip();
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
        this.rowBlock = new RowBlock(problem, blockRows);
        this.outBlock = new DMatrixRMaj(blockRows, m);
        this.gradOutput = new DMatrixRMaj(shape.lastWidth(), m);
        this.gradSkip = new DMatrixRMaj(m, d);
        this.gradSkipBias = new double[m];
    }

    /** The unscaled (weighted) sum of the losses over rows {@code [from, to)}; with a gradient, resets and accumulates it. */
    double run(Network net, int[] rows, int from, int to, int blockRows, double dataScale, boolean wantGradient) {
        if (wantGradient) {
            for (int l = 0; l < widths.length; l++) {
                gradWeights[l].zero();
                Arrays.fill(gradBias[l], 0.0);
            }
            gradOutput.zero();
            gradSkip.zero();
            Arrays.fill(gradSkipBias, 0.0);
        }
        return rowBlock.sum(rows, from, to, blockRows, count -> block(net, count, dataScale, wantGradient));
    }

    /** Adds {@code other}'s partial gradient to this lane's, entry by entry (a fixed order). */
    void add(LayeredLane other) {
        for (int l = 0; l < widths.length; l++) {
            CommonOps_DDRM.addEquals(gradWeights[l], other.gradWeights[l]);
            for (int k = 0; k < gradBias[l].length; k++) {
                gradBias[l][k] += other.gradBias[l][k];
            }
        }
        CommonOps_DDRM.addEquals(gradOutput, other.gradOutput);
        CommonOps_DDRM.addEquals(gradSkip, other.gradSkip);
        for (int j = 0; j < m; j++) {
            gradSkipBias[j] += other.gradSkipBias[j];
        }
    }

    /** Forward and backward over one gathered block; returns its unscaled (weighted) sum of the losses. */
    private double block(Network net, int size, double dataScale, boolean wantGradient) {
        List<Layer> layers = net.layers();
        int depth = layers.size();
        DMatrixRMaj input = rowBlock.x;
        for (int l = 0; l < depth; l++) {
            activations[l].reshape(size, widths[l]);
            LayerForward.apply(layers.get(l), input, activations[l]);
            input = activations[l];
        }
        DMatrixRMaj last = activations[depth - 1];
        outBlock.reshape(size, m);
        CommonOps_DDRM.mult(last, net.outputWeights(), outBlock);
        if (skip) {
            CommonOps_DDRM.multAddTransB(rowBlock.x, net.skipWeights(), outBlock);
        }
        double[] o = outBlock.data;
        double[] c0 = net.skipBias();
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < m; j++) {
                o[i * m + j] += c0[j];
            }
        }
        // the block's losses, and r = s dloss/df in place of the outputs
        double lossSum = loss.gradient(o, 0, rowBlock.y, 0, rowBlock.w, 0, size, m, dataScale, o, 0);
        if (!wantGradient) {
            return lossSum;
        }
        CommonOps_DDRM.multAddTransA(last, outBlock, gradOutput);
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < m; j++) {
                gradSkipBias[j] += o[i * m + j];
            }
        }
        if (skip) {
            CommonOps_DDRM.multAddTransA(outBlock, rowBlock.x, gradSkip);
        }
        DMatrixRMaj delta = deltas[depth - 1];
        delta.reshape(size, widths[depth - 1]);
        CommonOps_DDRM.multTransB(outBlock, net.outputWeights(), delta);
        for (int l = depth - 1; l >= 0; l--) {
            Layer layer = layers.get(l);
            double[] dz = delta.data;
            if (layer.kind() == Layer.Kind.RELU) {
                // dZ = dH ∘ [h > 0] in place, and the bias gradient minus its column sums (z = W h - b): one pass.
                kernels.reluBackward(dz, activations[l].data, size, widths[l], gradBias[l]);
            }
            DMatrixRMaj below = l == 0 ? rowBlock.x : activations[l - 1];
            kernels.weightGradientAdd(dz, size, widths[l], below.data, below.numCols, gradWeights[l].data);
            if (l > 0) {
                DMatrixRMaj next = deltas[l - 1];
                next.reshape(size, widths[l - 1]);
                kernels.inputGradient(dz, size, widths[l], layer.weights().data, widths[l - 1], next.data);
                delta = next;
            }
        }
        return lossSum;
    }

    void scatter(Network net, double[] gradient) {
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
