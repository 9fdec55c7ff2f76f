package io.sparsefit.core.penalty;

import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;

/** {@code R = sum_k ||v_k|| ||w_k||} (theory A2, A7): a group lasso over neurons. */
public final class PathNorm implements Penalty {

    public static final PathNorm INSTANCE = new PathNorm();

    private PathNorm() {
    }

    /** The path norm of any network, whatever it was trained with (reported as {@code pathNorm}). */
    public static double of(ShallowNetwork net) {
        double s = 0;
        for (int k = 0; k < net.width(); k++) {
            s += net.outputNorm(k) * net.inputNorm(k);
        }
        return s;
    }

    @Override
    public double value(Network network) {
        return of(shallow(network));
    }

    /**
     * The path norm {@code sum_k ||v_k|| ||w_k||} is the R-TV norm of one hidden layer (A3); deep networks are
     * regularized by weight decay on every layer instead (A8).
     */
    private static ShallowNetwork shallow(Network network) {
        ShallowNetwork one = network.oneLayer();
        if (one != null) {
            return one;
        }
        throw new IllegalArgumentException("the path norm is defined here for one hidden layer; deep networks use weight_decay");
    }

    @Override
    public void addGradient(Network network, double lambda, double[] g) {
        ShallowNetwork net = shallow(network);
        int d = net.inputDim();
        int m = net.outputDim();
        double[] w = net.inputWeights().data;
        double[] v = net.outputWeights().data;
        int ow = net.offsetLayer(0);
        int ov = net.offsetOutput();
        for (int k = 0; k < net.width(); k++) {
            double nw = net.inputNorm(k);
            double nv = net.outputNorm(k);
            if (nw > 0 && nv > 0) {
                // d/dw ||v|| ||w|| = ||v|| w / ||w||, and symmetrically for v.
                double sw = lambda * nv / nw;
                double sv = lambda * nw / nv;
                for (int j = 0; j < d; j++) {
                    g[ow + k * d + j] += sw * w[k * d + j];
                }
                for (int i = 0; i < m; i++) {
                    g[ov + k * m + i] += sv * v[k * m + i];
                }
            }
        }
    }

    /**
     * The proximal part of PathProx (theory C3, A3). With {@code ||w_k|| = 1} the path norm is the group lasso
     * {@code sum_k ||v_k||}, whose proximal map is group soft-thresholding; renormalizing
     * {@code (v, w, b) -> (||w|| v, w/||w||, b/||w||)} first keeps the function unchanged (ReLU is positively
     * homogeneous) and puts the network back on that constraint set. So: every neuron with {@code w_k != 0} is
     * renormalized to {@code ||w_k|| = 1}, then {@code v_k <- max(0, 1 - threshold/||v_k||) v_k}; neurons whose
     * {@code ||v_k||} is at most {@code threshold} become exactly zero. {@code threshold = 0} only renormalizes.
     */
    @Override
    public void prox(Network network, double threshold) {
        ShallowNetwork net = shallow(network);
        int d = net.inputDim();
        int m = net.outputDim();
        double[] w = net.inputWeights().data;
        double[] v = net.outputWeights().data;
        for (int k = 0; k < net.width(); k++) {
            double nw = net.inputNorm(k);
            if (nw > 0) {
                double inv = 1.0 / nw;
                for (int j = 0; j < d; j++) {
                    w[k * d + j] *= inv;
                }
                net.bias()[k] *= inv;
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

    @Override
    public Regularization regularization() {
        return Regularization.PATH_NORM;
    }
}
