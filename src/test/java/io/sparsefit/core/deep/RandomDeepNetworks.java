package io.sparsefit.core.deep;

import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.RandomNetworks;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Random deep networks and a plain-loop evaluation of them, independent of the core's kernels. */
final class RandomDeepNetworks {

    private RandomDeepNetworks() {
    }

    static Network network(int d, int m, int[] widths, int linear, boolean skip, long seed) {
        Network net = Network.zeros(d, m, widths, linear, skip);
        double[] theta = new double[net.parameterCount()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 0.7 * RandomNetworks.gaussian(random);
        }
        if (!skip) {
            // C is not in the vector without skip; nothing to zero.
        }
        net.setParameters(theta);
        return net;
    }

    /**
     * f(x) by plain loops over the layers as documented ({@code relu(W h - b)}, linear {@code W h}, then
     * {@code V^T h + C x + c0}).
     */
    static double[][] evaluate(double[][][] weights, double[][] biases, boolean[] relu, double[][] v, double[][] c,
                               double[] c0, double[][] x) {
        double[][] out = new double[x.length][];
        for (int n = 0; n < x.length; n++) {
            double[] h = x[n];
            for (int l = 0; l < weights.length; l++) {
                double[] next = new double[weights[l].length];
                for (int k = 0; k < next.length; k++) {
                    double z = 0;
                    for (int j = 0; j < h.length; j++) {
                        z += weights[l][k][j] * h[j];
                    }
                    next[k] = relu[l] ? Math.max(0.0, z - biases[l][k]) : z;
                }
                h = next;
            }
            double[] f = new double[c0.length];
            for (int i = 0; i < f.length; i++) {
                double s = c0[i];
                for (int k = 0; k < h.length; k++) {
                    s += v[k][i] * h[k];
                }
                for (int j = 0; j < x[n].length; j++) {
                    s += c[i][j] * x[n][j];
                }
                f[i] = s;
            }
            out[n] = f;
        }
        return out;
    }

    /** {@link #evaluate} on a core network's arrays. */
    static double[][] evaluate(Network net, DMatrixRMaj x) {
        int depth = net.layers().size();
        double[][][] w = new double[depth][][];
        double[][] b = new double[depth][];
        boolean[] relu = new boolean[depth];
        for (int l = 0; l < depth; l++) {
            var layer = net.layers().get(l);
            w[l] = rows(layer.weights());
            b[l] = layer.bias().clone();
            relu[l] = layer.kind() == io.sparsefit.core.network.Layer.Kind.RELU;
        }
        return evaluate(w, b, relu, rows(net.outputWeights()), rows(net.skipWeights()), net.skipBias().clone(), rows(x));
    }

    static double[][] rows(DMatrixRMaj a) {
        double[][] r = new double[a.numRows][a.numCols];
        for (int i = 0; i < a.numRows; i++) {
            for (int j = 0; j < a.numCols; j++) {
                r[i][j] = a.get(i, j);
            }
        }
        return r;
    }

    static double maxRelativeDifference(double[][] a, DMatrixRMaj b) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                scale = Math.max(scale, Math.abs(a[i][j]));
                diff = Math.max(diff, Math.abs(a[i][j] - b.get(i, j)));
            }
        }
        return diff / Math.max(scale, Double.MIN_NORMAL);
    }
}
