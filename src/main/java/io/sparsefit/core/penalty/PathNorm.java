package io.sparsefit.core.penalty;

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
    public double value(ShallowNetwork net) {
        return of(net);
    }

    @Override
    public void addGradient(ShallowNetwork net, double lambda, double[] g) {
        int d = net.inputDim();
        int m = net.outputDim();
        double[] w = net.inputWeights.data;
        double[] v = net.outputWeights.data;
        int ow = net.offsetInputWeights();
        int ov = net.offsetOutputWeights();
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

    @Override
    public Regularization regularization() {
        return Regularization.PATH_NORM;
    }
}
