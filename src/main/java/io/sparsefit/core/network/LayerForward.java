package io.sparsefit.core.network;

import io.sparsefit.core.kernel.DenseKernels;
import io.sparsefit.core.kernel.Kernels;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** The forward map of one {@link Layer} on a block of rows, and the skip part, shared by prediction and the objective. */
public final class LayerForward {

    private LayerForward() {
    }

    /**
     * {@code out = h W^T} for a linear layer, {@code out = relu(h W^T - 1 b^T)} for a ReLU layer, by the dense-layer
     * kernels ({@link Kernels#active()}: bias and ReLU fused into the product, branch-free).
     *
     * @param h   rows x inputs, not modified
     * @param out reshaped to rows x outputs, modified (must not alias {@code h})
     */
    public static void apply(Layer layer, DMatrixRMaj h, DMatrixRMaj out) {
        if (h.numCols != layer.inputs()) {
            throw new IllegalArgumentException("layer takes " + layer.inputs() + " inputs, got " + h.numCols);
        }
        out.reshape(h.numRows, layer.outputs());
        DenseKernels kernels = Kernels.active();
        if (layer.kind() == Layer.Kind.RELU) {
            kernels.forwardRelu(h.data, h.numRows, h.numCols, layer.weights().data, layer.outputs(), layer.bias(), out.data);
        } else {
            kernels.forward(h.data, h.numRows, h.numCols, layer.weights().data, layer.outputs(), out.data);
        }
    }

    /**
     * {@code out += X C^T + 1 c0^T}: the affine skip part of {@code net}'s prediction (theory A1; {@code C} only with a
     * skip connection). {@code x} (N x d) is not modified, {@code out} (N x m) is modified.
     */
    static void addSkip(Network net, DMatrixRMaj x, DMatrixRMaj out) {
        if (net.hasSkip()) {
            CommonOps_DDRM.multAddTransB(x, net.skipWeights(), out);
        }
        double[] c0 = net.skipBias();
        int m = c0.length;
        double[] o = out.data;
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < m; j++) {
                o[i * m + j] += c0[j];
            }
        }
    }
}
