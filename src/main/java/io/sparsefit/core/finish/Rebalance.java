package io.sparsefit.core.finish;

import io.sparsefit.core.network.ShallowNetwork;

/**
 * Neural balance (theory A4): {@code (v, w, b) -> (v/a, a w, a b)} with {@code a = sqrt(||v|| / ||w||)}
 * gives {@code ||v_k|| = ||w_k||}. ReLU is positively homogeneous, so the function is unchanged; the
 * path norm is unchanged and the weight-decay penalty drops to it (A3).
 */
public final class Rebalance {

    private Rebalance() {
    }

    /** A rebalanced copy; neurons with {@code v_k = 0} or {@code w_k = 0} are copied unchanged. */
    public static ShallowNetwork rebalance(ShallowNetwork network) {
        ShallowNetwork out = network.copy();
        int d = out.inputDim();
        int m = out.outputDim();
        double[] w = out.inputWeights.data;
        double[] v = out.outputWeights.data;
        for (int k = 0; k < out.width(); k++) {
            double nw = out.inputNorm(k);
            double nv = out.outputNorm(k);
            if (nw == 0 || nv == 0) {
                continue;
            }
            double a = Math.sqrt(nv / nw);
            for (int j = 0; j < d; j++) {
                w[k * d + j] *= a;
            }
            out.bias[k] *= a;
            for (int i = 0; i < m; i++) {
                v[k * m + i] /= a;
            }
        }
        return out;
    }
}
