package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.network.ShallowNetwork;

/**
 * The proximal part of PathProx (theory C3, A3). With {@code ||w_k|| = 1} the path norm is the group
 * lasso {@code sum_k ||v_k||}, whose proximal map is group soft-thresholding; renormalizing
 * {@code (v, w, b) -> (||w|| v, w/||w||, b/||w||)} first keeps the function unchanged (ReLU is
 * positively homogeneous) and puts the network back on that constraint set.
 */
public final class PathNormProx {

    private PathNormProx() {
    }

    /**
     * Renormalizes every neuron with {@code w_k != 0} to {@code ||w_k|| = 1} and shrinks its outer
     * weights: {@code v_k <- max(0, 1 - threshold/||v_k||) v_k}. Neurons whose {@code ||v_k||} is at most
     * {@code threshold} become exactly zero. Modifies {@code net}.
     */
    public static void apply(ShallowNetwork net, double threshold) {
        int d = net.inputDim();
        int m = net.outputDim();
        double[] w = net.inputWeights.data;
        double[] v = net.outputWeights.data;
        for (int k = 0; k < net.width(); k++) {
            double nw = net.inputNorm(k);
            if (nw > 0) {
                double inv = 1.0 / nw;
                for (int j = 0; j < d; j++) {
                    w[k * d + j] *= inv;
                }
                net.bias[k] *= inv;
                for (int i = 0; i < m; i++) {
                    v[k * m + i] *= nw;
                }
            }
            if (threshold > 0) {
                double nv = net.outputNorm(k);
                double shrink = nv > threshold ? 1.0 - threshold / nv : 0.0;
                for (int i = 0; i < m; i++) {
                    v[k * m + i] *= shrink;
                }
            }
        }
    }
}
