package io.sparsefit.core.finish;

import io.sparsefit.core.network.ShallowNetwork;

/**
 * Removes neurons whose share of the path norm {@code ||v_k|| ||w_k||} is at most
 * {@code relativeThreshold} times the largest share (theory C3 uses {@code 1e-9}).
 *
 * <p>A neuron with {@code w_k = 0} and {@code v_k != 0} is the constant {@code v_k relu(-b_k)}: it has no
 * path norm but does change the function, so its constant is moved into {@code c0} before it is removed
 * (A5). Removing a neuron with a tiny but non-zero share changes predictions by at most that neuron's
 * output; with threshold 0 only exact zeros go and the function is unchanged.
 */
public final class Prune {

    public static final double DEFAULT_RELATIVE_THRESHOLD = 1e-9;

    private Prune() {
    }

    public static ShallowNetwork prune(ShallowNetwork network) {
        return prune(network, DEFAULT_RELATIVE_THRESHOLD);
    }

    /** A copy without the negligible neurons; {@code network} is not modified. */
    public static ShallowNetwork prune(ShallowNetwork network, double relativeThreshold) {
        int width = network.width();
        int m = network.outputDim();
        double[] share = new double[width];
        double largest = 0;
        for (int k = 0; k < width; k++) {
            share[k] = network.outputNorm(k) * network.inputNorm(k);
            largest = Math.max(largest, share[k]);
        }
        double threshold = relativeThreshold * largest;
        int[] keep = new int[width];
        int kept = 0;
        double[] constant = new double[m];
        for (int k = 0; k < width; k++) {
            if (share[k] > threshold) {
                keep[kept++] = k;
            } else if (network.inputNorm(k) == 0) {
                double level = Math.max(0.0, -network.bias[k]);
                for (int i = 0; i < m; i++) {
                    constant[i] += network.outputWeights.data[k * m + i] * level;
                }
            }
        }
        ShallowNetwork out = network.select(java.util.Arrays.copyOf(keep, kept));
        for (int i = 0; i < m; i++) {
            out.skipBias[i] += constant[i];
        }
        return out;
    }
}
