package io.sparsefit.core.finish;

import io.sparsefit.core.ColumnMoments;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.SamePattern;
import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Removes negligible units. A network read layer by layer ({@link Network#oneLayer()} null) loses the units that do
 * nothing, in every layer, without any change of its function:
 * <ul>
 *   <li>a unit whose outgoing weights are all zero (its output never reaches the next layer);</li>
 *   <li>a unit whose incoming weights are all zero: a ReLU unit is then the constant {@code relu(-b_k)}, folded into
 *       what it feeds (the next ReLU layer's bias, through any linear layers between, or {@code c0}); a linear unit
 *       is the constant 0.</li>
 * </ul>
 * Exact zeros are what the last-layer polish (a group lasso) and the run balancing (zero singular values) produce;
 * small non-zero units of a deep network are left, since what removing them changes is not bounded by one layer.
 *
 * <p>A one-hidden-layer network (theory A1-A7) loses its negligible neurons, in two senses (which include the exact
 * zeros above).
 *
 * <p><b>Relative</b> ({@link #prune(ShallowNetwork, double)}, no data needed): neurons whose share of the path
 * norm {@code ||v_k|| ||w_k||} is at most {@code relativeThreshold} times the largest share (theory C3 uses
 * {@code 1e-9}). When every neuron is tiny (a fit at {@code lambda >= lambda_max}, T6, where all of them
 * shrink towards zero together) this removes none of them.
 *
 * <p><b>Absolute</b> ({@link #prune(ShallowNetwork, FitProblem)}): a neuron is negligible when its whole
 * contribution to the fitted values, {@code ||v_k|| * ||relu(X w_k - b_k)||_2} (the 2-norm over the N
 * samples of what removing it changes), is at most {@value #ABSOLUTE_THRESHOLD} times the data scale
 * {@code s = ||Y - mean(Y)||_F} (each output column centred; {@code ||Y||_F} if Y is constant, 1 if it is
 * zero). Why this scale: the affine part is free, so the constant model {@code c0 = mean(Y)} is always
 * feasible and its objective {@code J_0 = s^2 / 2} bounds the optimal objective, and every fit worth keeping
 * has a residual {@code ||r|| <= s}. Removing a neuron whose output over the data is {@code delta}, with
 * {@code ||delta|| <= eps s}, changes the data fit by at most {@code ||delta|| ||r|| + ||delta||^2 / 2
 * <= eps (1 + eps / 2) s^2 = 2 eps (1 + eps / 2) J_0}, i.e. by about {@code 2e-9} of the objective's own scale,
 * and lowers the penalty by {@code lambda ||v_k|| ||w_k||}. The quantity is measured on the data rather than
 * bounded through {@code ||v_k|| ||w_k||} times the data's diameter because a neuron with a tiny
 * {@code ||w_k||} and a huge bias (what gradient training leaves above {@code lambda_max}) is a nearly
 * constant function whose size the path norm alone does not see. The rule is independent of the other
 * neurons, so zero active neurons is a possible (and at {@code lambda >= lambda_max} the correct) answer.
 *
 * <p>What a removed neuron leaves behind (both rules): a neuron that is active on every sample
 * ({@code w_k . x_n > b_k} for all n) is an affine function on the data, {@code v_k (w_k . x - b_k)}; it is
 * moved into the affine part exactly ({@code C += v_k w_k^T} with a skip connection, {@code c0 -= v_k b_k}), so
 * the fitted values do not change (the function changes only beyond the neuron's hyperplane, outside the
 * data). Without a skip connection only its value at the mean input goes into {@code c0}. A neuron with
 * {@code w_k = 0} is the constant {@code v_k relu(-b_k)} and is moved into {@code c0} (A5). Any other removed
 * neuron changes the fitted values by at most its contribution above.
 */
public final class Prune {

    public static final double DEFAULT_RELATIVE_THRESHOLD = 1e-9;
    /** Relative to the data scale {@code ||Y - mean(Y)||_F}, see the class comment. */
    public static final double ABSOLUTE_THRESHOLD = 1e-9;

    private Prune() {
    }

    /**
     * A copy without the neurons negligible relative to the largest (one hidden layer), or without the units that do
     * nothing (layered); {@code network} is not modified.
     */
    public static <N extends Network> N prune(N network, double relativeThreshold) {
        ShallowNetwork one = network.oneLayer();
        return one == null ? withoutIdleUnits(network) : same(network, relative(one, relativeThreshold));
    }

    /**
     * A copy without the neurons that are negligible in absolute terms on this data ({@link #ABSOLUTE_THRESHOLD}
     * of the data scale, see the class comment) and, like {@link #prune(Network, double)}, those at most
     * {@code 1e-9} of the largest (one hidden layer); a layered network loses the units that do nothing;
     * {@code network} is not modified.
     *
     * @throws IllegalArgumentException when the network does not match the problem's shape
     */
    public static <N extends Network> N prune(N network, FitProblem problem) {
        return prune(network, problem, ABSOLUTE_THRESHOLD, DEFAULT_RELATIVE_THRESHOLD);
    }

    /** As {@link #prune(Network, FitProblem)} with both thresholds given (0 and 0: only exact zeros go). */
    public static <N extends Network> N prune(N network, FitProblem problem, double absoluteThreshold,
                                              double relativeThreshold) {
        checkShape(network, problem);
        ShallowNetwork one = network.oneLayer();
        return one == null ? withoutIdleUnits(network) : same(network, onData(one, problem, absoluteThreshold, relativeThreshold));
    }

    private static void checkShape(Network network, FitProblem problem) {
        if (problem.inputDim() != network.inputDim() || problem.outputDim() != network.outputDim()) {
            throw new IllegalArgumentException("network d=" + network.inputDim() + ", m=" + network.outputDim()
                    + " does not match data d=" + problem.inputDim() + ", m=" + problem.outputDim());
        }
    }

    /** {@code pruned}, which for a one-layer {@code network} is of its class (see {@link Network#oneLayer()}). */
    @SuppressWarnings("unchecked")
    private static <N extends Network> N same(N network, ShallowNetwork pruned) {
        return (N) pruned;
    }

    private static ShallowNetwork relative(ShallowNetwork network, double relativeThreshold) {
        double[] share = shares(network);
        double threshold = relativeThreshold * largest(share);
        boolean[] remove = new boolean[share.length];
        for (int k = 0; k < share.length; k++) {
            remove[k] = !(share[k] > threshold);
        }
        return remove(network, remove, null, null);
    }

    /** Each neuron's share of the path norm, {@code ||v_k|| ||w_k||} (A2). */
    private static double[] shares(ShallowNetwork network) {
        double[] share = new double[network.width()];
        for (int k = 0; k < share.length; k++) {
            share[k] = network.outputNorm(k) * network.inputNorm(k);
        }
        return share;
    }

    private static double largest(double[] share) {
        double largest = 0;
        for (double s : share) {
            largest = Math.max(largest, s);
        }
        return largest;
    }

    private static ShallowNetwork onData(ShallowNetwork network, FitProblem problem, double absoluteThreshold,
                                         double relativeThreshold) {
        boolean[] alwaysActive = new boolean[network.width()];
        boolean[] remove = negligibleOnData(network, problem, null, absoluteThreshold, relativeThreshold, alwaysActive);
        return remove(network, remove, alwaysActive, problem);
    }

    /**
     * How many neurons of {@code network} (not modified) {@link #prune(Network, FitProblem, double, double)} would keep,
     * with the rows weighted as the problem's loss weighs them ({@link FitProblem#sampleWeights()}): a neuron counts
     * when its path-norm share is above {@code relativeThreshold} of the largest and its contribution over the data,
     * {@code ||v_k|| (sum_n w_n relu(w_k . x_n - b_k)^2)^(1/2)}, is above {@code absoluteThreshold} of the weighted data
     * scale ({@link #dataScale(FitProblem, double[])}). Without weights, the width {@code prune} leaves, bit for bit.
     * (The finishing's prune itself measures unweighted, as it always has.)
     *
     * @throws IllegalArgumentException when the network does not match the problem's shape
     */
    public static int inUseOnData(ShallowNetwork network, FitProblem problem, double absoluteThreshold,
                                  double relativeThreshold) {
        checkShape(network, problem);
        boolean[] remove = negligibleOnData(network, problem, problem.sampleWeights(), absoluteThreshold,
                relativeThreshold, new boolean[network.width()]);
        int inUse = 0;
        for (boolean r : remove) {
            inUse += r ? 0 : 1;
        }
        return inUse;
    }

    /**
     * The neurons negligible on the data (see the class comment), the rows weighted by {@code weights} (null: all 1);
     * {@code alwaysActive} (modified) is set to whether each neuron is active on every row.
     */
    private static boolean[] negligibleOnData(ShallowNetwork network, FitProblem problem, double[] weights,
                                              double absoluteThreshold, double relativeThreshold, boolean[] alwaysActive) {
        int d = network.inputDim();
        int width = network.width();
        int n = problem.rows();
        double[] x = problem.x().data;
        double[] w = network.inputWeights().data;
        double[] sumSquares = new double[width];
        java.util.Arrays.fill(alwaysActive, true);
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < width; k++) {
                double z = SamePattern.preActivation(w, k, network.bias()[k], x, r, d);
                double h = Math.max(0.0, z);
                sumSquares[k] += weight(weights, r) * h * h;
                alwaysActive[k] &= z > 0;
            }
        }
        double scale = dataScale(problem, weights);
        double[] share = shares(network);
        double largest = largest(share);
        boolean[] remove = new boolean[width];
        for (int k = 0; k < width; k++) {
            double contribution = network.outputNorm(k) * Math.sqrt(sumSquares[k]);
            remove[k] = !(share[k] > relativeThreshold * largest) || !(contribution > absoluteThreshold * scale);
        }
        return remove;
    }

    /** {@link #dataScale(FitProblem, double[])} without weights: {@code ||Y - mean(Y)||_F} or its fallbacks. */
    static double dataScale(FitProblem problem) {
        return dataScale(problem, null);
    }

    /**
     * {@code ||Y - mean(Y)||_F}; {@code ||Y||_F} when that is zero; 1 when Y is zero; for a classification loss, whose
     * outputs are logits of order one per sample whatever the class labels are, {@code sqrt(N)} (A2b). With sample
     * {@code weights} (null: all 1, the same bits) the same sums weighted: {@code (sum_n w_n ||y_n - ybar_w||^2)^(1/2)},
     * {@code ybar_w} the weighted mean of every column, or {@code (sum_n w_n)^(1/2)}: the scale of the loss's gradient in
     * the weighted inner product ({@code ||g / w||_w}), as the unweighted one is the residual's.
     */
    static double dataScale(FitProblem problem, double[] weights) {
        int n = problem.rows();
        int m = problem.outputDim();
        double[] y = problem.y().data;
        double total = 0;
        for (int r = 0; r < n; r++) {
            total += weight(weights, r);
        }
        if (problem.loss().classification()) {
            return Math.sqrt(total);
        }
        // Exactly constant targets take the fallback even when their mean does not round back to the constant (the
        // centred sum would be a few ulps, a scale of 1e-15 that counts every neuron as in use).
        double centred = constant(y, n, m) ? 0 : ColumnMoments.centredSquares(y, n, m, weights);
        if (centred > 0) {
            return Math.sqrt(centred);
        }
        double raw = 0;
        for (int i = 0; i < n * m; i++) {
            raw += weight(weights, i / m) * y[i] * y[i];
        }
        return raw > 0 ? Math.sqrt(raw) : 1.0;
    }

    /** Whether every column of {@code y} ({@code n x m} row-major, not modified) holds one value. */
    private static boolean constant(double[] y, int n, int m) {
        for (int i = m; i < n * m; i++) {
            if (y[i] != y[i % m]) {
                return false;
            }
        }
        return true;
    }

    private static double weight(double[] weights, int row) {
        return weights == null ? 1.0 : weights[row];
    }

    /**
     * Drops the flagged neurons; constants ({@code w_k = 0}) go into {@code c0}, neurons flagged always active
     * into the affine part (see the class comment; {@code problem} gives the mean input without a skip).
     */
    private static ShallowNetwork remove(ShallowNetwork network, boolean[] remove, boolean[] alwaysActive, FitProblem problem) {
        int width = network.width();
        int d = network.inputDim();
        int m = network.outputDim();
        int[] keep = new int[width];
        int kept = 0;
        double[] constant = new double[m];
        double[] linear = new double[m * d];
        double[] meanX = null;
        for (int k = 0; k < width; k++) {
            if (!remove[k]) {
                keep[kept++] = k;
                continue;
            }
            double[] v = network.outputWeights().data;
            if (network.inputNorm(k) == 0) {
                double level = Math.max(0.0, -network.bias()[k]);
                for (int i = 0; i < m; i++) {
                    constant[i] += v[k * m + i] * level;
                }
            } else if (alwaysActive != null && alwaysActive[k]) {
                double[] w = network.inputWeights().data;
                if (network.hasSkip()) {
                    for (int i = 0; i < m; i++) {
                        constant[i] -= v[k * m + i] * network.bias()[k];
                        for (int j = 0; j < d; j++) {
                            linear[i * d + j] += v[k * m + i] * w[k * d + j];
                        }
                    }
                } else {
                    if (meanX == null) {
                        meanX = meanInput(problem);
                    }
                    double z = SamePattern.preActivation(w, k, network.bias()[k], meanX, 0, d);
                    for (int i = 0; i < m; i++) {
                        constant[i] += v[k * m + i] * z;
                    }
                }
            }
        }
        ShallowNetwork out = network.select(java.util.Arrays.copyOf(keep, kept));
        for (int i = 0; i < m; i++) {
            out.skipBias()[i] += constant[i];
        }
        if (network.hasSkip()) {
            for (int i = 0; i < m * d; i++) {
                out.skipWeights().data[i] += linear[i];
            }
        }
        return out;
    }

    /** The mean of every input column. */
    private static double[] meanInput(FitProblem problem) {
        double[] mean = new double[problem.inputDim()];
        for (int j = 0; j < mean.length; j++) {
            mean[j] = ColumnMoments.mean(problem.x().data, problem.rows(), mean.length, j);
        }
        return mean;
    }

    // ---- layered networks: units that do nothing ----------------------------------------------------

    /** A copy of {@code net} (not modified) without the units that do nothing, layer by layer; the same function. */
    @SuppressWarnings("unchecked")
    private static <N extends Network> N withoutIdleUnits(N net) {
        Network out = net.copy();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int l = 0; l < out.layers().size() && !changed; l++) {
                Layer layer = out.layers().get(l);
                for (int k = 0; k < layer.outputs(); k++) {
                    boolean noOutput = Rebalance.outgoingNorm(out, l, k) == 0;
                    boolean noInput = MatrixNorms.rowNorm(layer.weights(), k) == 0;
                    if (noOutput || noInput) {
                        if (!noOutput && layer.kind() == Layer.Kind.RELU) {
                            foldConstant(out, l, k, Math.max(0.0, -layer.bias()[k]));
                        }
                        int unit = k;
                        out = out.selectUnits(l, java.util.stream.IntStream.range(0, layer.outputs()).filter(i -> i != unit)
                                .toArray());
                        changed = true;
                        break;
                    }
                }
            }
        }
        return (N) out;
    }

    /** Adds the effect of unit k of layer l held at {@code value} to the first bias downstream. */
    private static void foldConstant(Network net, int l, int k, double value) {
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
}
