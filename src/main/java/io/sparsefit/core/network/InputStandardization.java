package io.sparsefit.core.network;

import io.sparsefit.core.ColumnMoments;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The per-column affine map {@code z_j = (x_j - mean_j) / scale_j} that puts every input on a common scale, and
 * its exact inverse on a network: a network fitted on {@code z} becomes the same function of the original
 * {@code x}.
 *
 * <p>Why: every penalty of theory A2 measures {@code ||w_k||} in input units, so a column in thousands and one in
 * units would be penalized as if one thousand equalled one. Fitting on {@code z} makes the penalty scale-free
 * across columns; {@link #foldInto(Network)} then reports the function in the original units.
 *
 * <p>{@code scale_j} is the population standard deviation ({@code sqrt(1/N sum (x - mean)^2)}). A constant column
 * (standard deviation 0) gets {@code scale_j = 1}: it is only centred, to the zero column, which no neuron or skip
 * weight can use, rather than divided by zero (the same choice as scikit-learn's StandardScaler).
 *
 * @param mean  per input column; not modified
 * @param scale per input column, positive; not modified
 */
public record InputStandardization(double[] mean, double[] scale) {

    public InputStandardization {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " entries, scale " + scale.length);
        }
        for (int j = 0; j < scale.length; j++) {
            if (!(scale[j] > 0) || !Double.isFinite(scale[j]) || !Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("column " + j + ": mean " + mean[j] + ", scale " + scale[j]
                        + " (the scale must be finite and > 0)");
            }
        }
    }

    /** Means and population standard deviations of the columns of {@code x} (N x d, not modified); see the class comment. */
    public static InputStandardization of(DMatrixRMaj x) {
        int d = x.numCols;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            int column = j;
            double[] moments = ColumnMoments.of(x.numRows, i -> x.data[i * d + column]);
            mean[j] = moments[0];
            scale[j] = moments[1] > 0 ? moments[1] : 1.0;
        }
        return new InputStandardization(mean, scale);
    }

    /** The map that leaves the given columns unchanged (mean 0, scale 1) and keeps the others; both not modified. */
    public InputStandardization keeping(boolean[] unchanged) {
        double[] m = mean.clone();
        double[] s = scale.clone();
        for (int j = 0; j < m.length; j++) {
            if (unchanged[j]) {
                m[j] = 0;
                s[j] = 1;
            }
        }
        return new InputStandardization(m, s);
    }

    public int inputDim() {
        return mean.length;
    }

    /** {@code z = (x - mean) / scale} row by row: a new N x d matrix; {@code x} is not modified. */
    public DMatrixRMaj apply(DMatrixRMaj x) {
        int d = requireColumns(x.numCols);
        DMatrixRMaj z = new DMatrixRMaj(x.numRows, d);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < d; j++) {
                z.data[i * d + j] = (x.data[i * d + j] - mean[j]) / scale[j];
            }
        }
        return z;
    }

    /**
     * The network {@code g(x) = f((x - mean) / scale)} for a network {@code f} of the standardized inputs: a copy
     * of {@code f} (not modified) with the map folded into the first layer and the skip. With {@code D = diag(1/scale)}
     * and {@code o = -mean/scale}, so that {@code z = D x + o}:
     * <ul>
     *   <li>first layer {@code W' = W D}; the constant {@code W o} it now misses is carried forward: a linear layer
     *       passes it on ({@code o <- W o}, theory A8: linear layers have no bias), and the first ReLU layer takes it
     *       into its bias. The core's unit is {@code relu(w . h - b)}, so {@code b' = b - W o} (for a first ReLU
     *       layer: {@code b' = b + W (mean/scale)});</li>
     *   <li>skip {@code C' = C D}, {@code c0' = c0 + C o = c0 - C (mean/scale)} (zero C without a skip: unchanged).</li>
     * </ul>
     * Exact up to rounding: the later layers and the output weights are untouched.
     */
    public Network foldInto(Network f) {
        int d = requireColumns(f.inputDim());
        Network g = f.copy();
        double[] offset = new double[d];
        for (int j = 0; j < d; j++) {
            offset[j] = -mean[j] / scale[j];
        }
        List<Layer> layers = g.layers();
        if (!layers.isEmpty()) {
            scaleColumns(layers.get(0).weights());
        }
        // The offset, in units of each layer's input, until a ReLU layer absorbs it. Layer 0 applies the
        // original W to o, so it is computed from f's weights (g's first layer is already scaled).
        double[] carried = offset;
        for (int l = 0; l < layers.size(); l++) {
            Layer original = f.layers().get(l);
            double[] product = times(original.weights(), carried);
            if (original.kind() == Layer.Kind.RELU) {
                double[] b = layers.get(l).bias();
                for (int k = 0; k < b.length; k++) {
                    b[k] -= product[k];
                }
                break;
            }
            carried = product;
        }
        double[] shift = times(f.skipWeights(), offset);
        double[] c0 = g.skipBias();
        for (int o = 0; o < c0.length; o++) {
            c0[o] += shift[o];
        }
        scaleColumns(g.skipWeights());
        return g; // layers(), skipWeights() and skipBias() are views of g's own arrays (Network's contract)
    }

    /** Divides column j of {@code m} (rows x d, modified) by {@code scale_j}. */
    private void scaleColumns(DMatrixRMaj m) {
        for (int r = 0; r < m.numRows; r++) {
            for (int j = 0; j < m.numCols; j++) {
                m.data[r * m.numCols + j] /= scale[j];
            }
        }
    }

    private static double[] times(DMatrixRMaj w, double[] v) {
        double[] out = new double[w.numRows];
        for (int r = 0; r < w.numRows; r++) {
            double s = 0;
            for (int c = 0; c < w.numCols; c++) {
                s += w.data[r * w.numCols + c] * v[c];
            }
            out[r] = s;
        }
        return out;
    }

    private int requireColumns(int d) {
        if (d != mean.length) {
            throw new IllegalArgumentException("the map has " + mean.length + " columns, the input " + d);
        }
        return d;
    }
}
