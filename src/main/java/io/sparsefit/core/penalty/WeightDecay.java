package io.sparsefit.core.penalty;

import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
import java.util.List;

/**
 * {@code R = 1/2 sum of the squared entries of every weight matrix} (theory A2): for one hidden layer
 * {@code 1/2 sum_k (||v_k||^2 + ||w_k||^2)}, with the same minimum as the path norm (A3); for deep and linear
 * layers the weight decay of A8. Biases and the skip connection are free.
 */
public final class WeightDecay implements Penalty {

    public static final WeightDecay INSTANCE = new WeightDecay();

    private WeightDecay() {
    }

    @Override
    public double value(Network net) {
        double s = 0;
        for (Layer layer : net.layers()) {
            s += MatrixNorms.inner(layer.weights(), layer.weights());
        }
        s += MatrixNorms.inner(net.outputWeights(), net.outputWeights());
        return 0.5 * s;
    }

    @Override
    public void addGradient(Network net, double lambda, double[] g) {
        List<Layer> layers = net.layers();
        int offset = 0;
        for (Layer layer : layers) {
            addScaled(layer.weights().data, layer.weights().getNumElements(), lambda, g, offset);
            offset += layer.parameterCount();
        }
        addScaled(net.outputWeights().data, net.outputWeights().getNumElements(), lambda, g, offset);
    }

    private static void addScaled(double[] a, int length, double lambda, double[] g, int offset) {
        for (int i = 0; i < length; i++) {
            g[offset + i] += lambda * a[i];
        }
    }

    /** {@code argmin_u 1/2 ||u - w||^2 + threshold/2 ||u||^2 = w / (1 + threshold)} on every weight matrix. */
    @Override
    public void prox(Network net, double threshold) {
        double scale = 1.0 / (1.0 + threshold);
        for (Layer layer : net.layers()) {
            org.ejml.dense.row.CommonOps_DDRM.scale(scale, layer.weights());
        }
        org.ejml.dense.row.CommonOps_DDRM.scale(scale, net.outputWeights());
    }

    @Override
    public Regularization regularization() {
        return Regularization.WEIGHT_DECAY;
    }
}
