package io.sparsefit.core.penalty;

import io.sparsefit.core.network.ShallowNetwork;

/** {@code R = 1/2 sum_k (||v_k||^2 + ||w_k||^2)} (theory A2); same minimum as the path norm (A3). */
public final class WeightDecay implements Penalty {

    public static final WeightDecay INSTANCE = new WeightDecay();

    private WeightDecay() {
    }

    @Override
    public double value(ShallowNetwork net) {
        double s = 0;
        double[] w = net.inputWeights.data;
        int nw = net.width() * net.inputDim();
        for (int i = 0; i < nw; i++) {
            s += w[i] * w[i];
        }
        double[] v = net.outputWeights.data;
        int nv = net.width() * net.outputDim();
        for (int i = 0; i < nv; i++) {
            s += v[i] * v[i];
        }
        return 0.5 * s;
    }

    @Override
    public void addGradient(ShallowNetwork net, double lambda, double[] g) {
        double[] w = net.inputWeights.data;
        int ow = net.offsetInputWeights();
        int nw = net.width() * net.inputDim();
        for (int i = 0; i < nw; i++) {
            g[ow + i] += lambda * w[i];
        }
        double[] v = net.outputWeights.data;
        int ov = net.offsetOutputWeights();
        int nv = net.width() * net.outputDim();
        for (int i = 0; i < nv; i++) {
            g[ov + i] += lambda * v[i];
        }
    }

    @Override
    public Regularization regularization() {
        return Regularization.WEIGHT_DECAY;
    }
}
