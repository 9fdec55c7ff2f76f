package io.sparsefit.core.finish;

import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.network.Layer;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Removes the units of a {@link DeepNetwork} that do nothing, in every layer, without changing the function:
 * <ul>
 *   <li>a unit whose outgoing weights are all zero (its output never reaches the next layer);</li>
 *   <li>a unit whose incoming weights are all zero: a ReLU unit is then the constant {@code relu(-b_k)}, folded into
 *       what it feeds (the next ReLU layer's bias, through any linear layers between, or {@code c0}); a linear unit
 *       is the constant 0.</li>
 * </ul>
 * Exact zeros are what the last-layer polish (a group lasso) and the run balancing (zero singular values) produce;
 * small non-zero units are left, since removing them would change the function.
 */
public final class DeepPrune {

    private DeepPrune() {
    }

    /** A pruned copy of {@code net} (not modified); the same function. */
    public static DeepNetwork prune(DeepNetwork net) {
        DeepNetwork out = net.copy();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int l = 0; l < out.layers().size() && !changed; l++) {
                Layer layer = out.layers().get(l);
                for (int k = 0; k < layer.outputs(); k++) {
                    boolean noOutput = outgoingZero(out, l, k);
                    boolean noInput = MatrixNorms.rowNorm(layer.weights(), k) == 0;
                    if (noOutput || noInput) {
                        if (!noOutput && layer.kind() == Layer.Kind.RELU) {
                            foldConstant(out, l, k, Math.max(0.0, -layer.bias()[k]));
                        }
                        out = remove(out, l, k);
                        changed = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static boolean outgoingZero(DeepNetwork net, int l, int k) {
        List<Layer> layers = net.layers();
        return l + 1 < layers.size() ? MatrixNorms.columnNorm(layers.get(l + 1).weights(), k) == 0
                : MatrixNorms.rowNorm(net.outputWeights(), k) == 0;
    }

    /** Adds the effect of unit k of layer l held at {@code value} to the first bias downstream. */
    private static void foldConstant(DeepNetwork net, int l, int k, double value) {
        if (value == 0) {
            return;
        }
        List<Layer> layers = net.layers();
        // The constant vector the unit sends to layer l + 1, pushed through linear layers (they have no bias).
        double[] signal = null;
        int at = l + 1;
        while (at < layers.size()) {
            DMatrixRMaj w = layers.get(at).weights();
            double[] next = new double[w.numRows];
            for (int i = 0; i < w.numRows; i++) {
                if (signal == null) {
                    next[i] = w.unsafe_get(i, k) * value;
                } else {
                    double s = 0;
                    for (int j = 0; j < w.numCols; j++) {
                        s += w.unsafe_get(i, j) * signal[j];
                    }
                    next[i] = s;
                }
            }
            if (layers.get(at).kind() == Layer.Kind.RELU) {
                double[] b = layers.get(at).bias();
                for (int i = 0; i < b.length; i++) {
                    b[i] -= next[i];   // relu(W h - b): a constant input c adds W c, so b loses it
                }
                return;
            }
            signal = next;
            at++;
        }
        DMatrixRMaj v = net.outputWeights();
        for (int i = 0; i < v.numCols; i++) {
            double s = 0;
            if (signal == null) {
                s = v.unsafe_get(k, i) * value;
            } else {
                for (int j = 0; j < v.numRows; j++) {
                    s += v.unsafe_get(j, i) * signal[j];
                }
            }
            net.skipBias()[i] += s;
        }
    }

    /** A network without unit k of layer l (row k of its weights and bias, column k of the next matrix or row k of V). */
    private static DeepNetwork remove(DeepNetwork net, int l, int k) {
        List<Layer> layers = new ArrayList<>(net.layers());
        Layer layer = layers.get(l);
        layers.set(l, new Layer(layer.kind(), withoutRow(layer.weights(), k),
                layer.kind() == Layer.Kind.RELU ? without(layer.bias(), k) : new double[0]));
        DMatrixRMaj output = net.outputWeights();
        if (l + 1 < layers.size()) {
            Layer next = layers.get(l + 1);
            layers.set(l + 1, new Layer(next.kind(), withoutColumn(next.weights(), k), next.bias()));
        } else {
            output = withoutRow(output, k);
        }
        return net.withLayers(layers, output);
    }

    private static DMatrixRMaj withoutRow(DMatrixRMaj a, int row) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows - 1, a.numCols);
        for (int i = 0, r = 0; i < a.numRows; i++) {
            if (i != row) {
                System.arraycopy(a.data, i * a.numCols, out.data, r++ * a.numCols, a.numCols);
            }
        }
        return out;
    }

    private static DMatrixRMaj withoutColumn(DMatrixRMaj a, int col) {
        DMatrixRMaj out = new DMatrixRMaj(a.numRows, a.numCols - 1);
        for (int i = 0; i < a.numRows; i++) {
            for (int j = 0, c = 0; j < a.numCols; j++) {
                if (j != col) {
                    out.unsafe_set(i, c++, a.unsafe_get(i, j));
                }
            }
        }
        return out;
    }

    private static double[] without(double[] a, int index) {
        double[] out = new double[a.length - 1];
        for (int i = 0, r = 0; i < a.length; i++) {
            if (i != index) {
                out[r++] = a[i];
            }
        }
        return out;
    }
}
