package io.sparsefit.core.network;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** The forward map of one {@link Layer} on a block of rows, shared by prediction and the deep objective. */
public final class LayerForward {

    private LayerForward() {
    }

    /**
     * {@code out = h W^T} for a linear layer, {@code out = relu(h W^T - 1 b^T)} for a ReLU layer (branch-free).
     *
     * @param h   rows x inputs, not modified
     * @param out rows x outputs, modified (must not alias {@code h})
     */
    public static void apply(Layer layer, DMatrixRMaj h, DMatrixRMaj out) {
        CommonOps_DDRM.multTransB(h, layer.weights(), out);
        if (layer.kind() == Layer.Kind.RELU) {
            double[] b = layer.bias();
            double[] o = out.data;
            int width = layer.outputs();
            int rows = out.numRows;
            for (int i = 0; i < rows; i++) {
                int row = i * width;
                for (int k = 0; k < width; k++) {
                    o[row + k] = Math.max(0.0, o[row + k] - b[k]);
                }
            }
        }
    }
}
