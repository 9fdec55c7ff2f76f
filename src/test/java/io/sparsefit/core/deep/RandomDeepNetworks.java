package io.sparsefit.core.deep;

import io.sparsefit.core.network.Layer;
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
     * {@code net} with one more hidden layer on top, a linear one of {@code units} units, and a new read-out (both
     * random, seeded): a network whose last layer is linear, which {@link Network#zeros} never builds.
     */
    static Network withLinearLast(Network net, int units, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        java.util.List<Layer> layers = new java.util.ArrayList<>();
        for (Layer layer : net.layers()) {
            layers.add(layer.copy());
        }
        DMatrixRMaj w = new DMatrixRMaj(units, net.lastWidth());
        DMatrixRMaj v = new DMatrixRMaj(units, net.outputDim());
        for (DMatrixRMaj a : new DMatrixRMaj[] {w, v}) {
            for (int i = 0; i < a.data.length; i++) {
                a.data[i] = 0.7 * RandomNetworks.gaussian(random);
            }
        }
        layers.add(new Layer(Layer.Kind.LINEAR, w, new double[0]));
        return new Network(net.inputDim(), net.outputDim(), net.hasSkip(), layers, v, net.skipWeights().copy(),
                net.skipBias().clone());
    }

    /**
     * {@code scale * 1/2 sum_q ||f(x_rows[q]) - y_rows[q]||^2} (rows null: rows {@code 0..count)}) and its gradient,
     * added into {@code gradient} in the flat layout of {@link Network#getParameters}, by backpropagation written out
     * per sample in plain loops: {@code delta_L = V r}, then per layer the ReLU mask ({@code h > 0}), the weight and
     * bias gradients and {@code delta_{l-1} = W_l^T delta_l}.
     */
    static double dataFitGradient(Network net, io.sparsefit.core.FitProblem problem, int[] rows, int count,
                                  double scale, double[] gradient) {
        int depth = net.layers().size();
        int d = net.inputDim();
        int m = net.outputDim();
        double total = 0;
        for (int q = 0; q < count; q++) {
            int row = rows == null ? q : rows[q];
            double[][] h = new double[depth + 1][];
            h[0] = new double[d];
            for (int j = 0; j < d; j++) {
                h[0][j] = problem.x().get(row, j);
            }
            for (int l = 0; l < depth; l++) {
                Layer layer = net.layers().get(l);
                h[l + 1] = new double[layer.outputs()];
                for (int k = 0; k < layer.outputs(); k++) {
                    double z = 0;
                    for (int j = 0; j < layer.inputs(); j++) {
                        z += layer.weights().get(k, j) * h[l][j];
                    }
                    h[l + 1][k] = layer.kind() == Layer.Kind.RELU ? Math.max(0.0, z - layer.bias()[k]) : z;
                }
            }
            double[] top = h[depth];
            double[] delta = new double[top.length];
            for (int i = 0; i < m; i++) {
                double f = net.skipBias()[i];
                for (int k = 0; k < top.length; k++) {
                    f += net.outputWeights().get(k, i) * top[k];
                }
                if (net.hasSkip()) {
                    for (int j = 0; j < d; j++) {
                        f += net.skipWeights().get(i, j) * h[0][j];
                    }
                }
                double residual = f - problem.y().get(row, i);
                total += 0.5 * scale * residual * residual;
                double r = scale * residual;
                gradient[net.offsetSkipBias() + i] += r;
                if (net.hasSkip()) {
                    for (int j = 0; j < d; j++) {
                        gradient[net.offsetSkipWeights() + i * d + j] += r * h[0][j];
                    }
                }
                for (int k = 0; k < top.length; k++) {
                    gradient[net.offsetOutput() + k * m + i] += r * top[k];
                    delta[k] += r * net.outputWeights().get(k, i);
                }
            }
            for (int l = depth - 1; l >= 0; l--) {
                Layer layer = net.layers().get(l);
                double[] below = new double[layer.inputs()];
                for (int k = 0; k < layer.outputs(); k++) {
                    if (layer.kind() == Layer.Kind.RELU) {
                        delta[k] = h[l + 1][k] > 0 ? delta[k] : 0.0;
                        gradient[net.offsetBias(l) + k] -= delta[k];
                    }
                    for (int j = 0; j < layer.inputs(); j++) {
                        gradient[net.offsetLayer(l) + k * layer.inputs() + j] += delta[k] * h[l][j];
                        below[j] += layer.weights().get(k, j) * delta[k];
                    }
                }
                delta = below;
            }
        }
        return total;
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
