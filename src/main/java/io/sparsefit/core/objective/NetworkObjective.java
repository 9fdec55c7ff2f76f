package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.kernel.Kernels;
import io.sparsefit.core.kernel.RowChunks;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Penalty;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The training objective of theory A2b, {@code J = sum_n w_n loss(f(x_n); y_n) + lambda R} (for a classification loss
 * plus {@code lambda/2 ||C||_F^2} on the skip's weights, {@link SkipDecay}), with the problem's loss and sample
 * weights ({@link FitProblem#loss()}; the loss writes {@code dJ/df} into the output buffer, for squared loss the
 * residual), and its gradient in the flat layout of {@link Network#getParameters}, for a network of any depth, on the
 * whole data set or on a subset of rows (a mini-batch).
 *
 * <p>Two kernels compute it (the tests hold them to 1e-12 relative of each other and to central differences), chosen
 * by shape ({@link Kernel#AUTO}); the first reads the one-hidden-layer form ({@link Network#oneLayer()}), the second
 * any network:
 * <ul>
 *   <li>{@link Kernel#FUSED}, for small d with the scalar kernels ({@link #fusedMaxInputDim()}): one pass per
 *       sample over flat arrays, forward ({@code z = W x - b}, ReLU, {@code V^T h}, skip) and backward
 *       (outer-weight, bias, input-weight and skip gradients) fused, every inner loop contiguous over the K neurons
 *       ({@code a[k] += s * b[k]}, which the JIT vectorizes) and branch-free. At small d the scalar products are
 *       too thin to pay for their call overhead and for the extra element-wise passes over an N x K block; here
 *       nothing of size N x K is ever stored. Single-threaded.</li>
 *   <li>{@link Kernel#BLOCKED}, for every network (one hidden layer at every d with the Vector API kernels and for
 *       larger d otherwise; every deeper network), read layer by layer (A8): rows in blocks of at most
 *       {@link #BLOCK_ROWS}, split into row chunks ({@link RowChunks}) that run on two cores when one is idle; per
 *       block the dense-layer kernels ({@link Kernels#active()}) do each layer's forward product with bias and ReLU
 *       fused in, the read-out {@code h_L V}, the read-out backward pass (output-weight gradient, ReLU mask and bias
 *       gradient of the last layer in one pass), and below it backpropagation layer by layer
 *       ({@link BlockedLane}):
 * <pre>
 *   forward:  h_0 = X,  h_l = act_l(h_{l-1} W_l^T - 1 b_l^T),  f = h_L V + X C^T + 1 c0^T,  r = s w dloss/df (s (f - Y) for squared loss)
 *   backward: dV += h_L^T r,  dc0 += 1^T r,  dC += r^T X,  delta_L = r V^T,
 *             for l = L..1:  delta_l *= [h_l > 0] (ReLU only),  dW_l += delta_l^T h_{l-1},  db_l -= 1^T delta_l,
 *                            delta_{l-1} = delta_l W_l
 * </pre>
 *       with {@code s} the batch scale; the mask {@code h_l > 0} is the subgradient 0 at the kink, as in the fused
 *       kernel.</li>
 * </ul>
 * Work memory is {@code O(BLOCK_ROWS * sum_l K_l)} whatever N is, and every buffer is allocated once per instance.
 * Every kernel is deterministic (fixed summation order; two row chunks are added lane 0 + lane 1, so the same bits
 * with one thread or two).
 *
 * <p>Not thread-safe: one instance per fit.
 */
public final class NetworkObjective {

    /** Rows per block: large enough for EJML's kernels, small enough to stay in cache-sized buffers. */
    public static final int BLOCK_ROWS = 512;
    /**
     * Largest input dimension for which {@link Kernel#AUTO} picks the fused kernel with the scalar dense-layer kernels
     * (measured against EJML's products, see docs/benchmarks.md).
     */
    public static final int FUSED_MAX_INPUT_DIM = 16;
    /**
     * The same with the Vector API kernels: 0, the blocked kernel is faster at every d since its read-out runs on the
     * kernels too, and only the blocked kernel uses a second core (measured, docs/benchmarks.md "Kernels").
     */
    public static final int FUSED_MAX_INPUT_DIM_VECTOR = 0;

    /** The largest d for which {@link Kernel#AUTO} is {@link Kernel#FUSED} with the active kernel set. */
    public static int fusedMaxInputDim() {
        return Kernels.active() == Kernels.scalar() ? FUSED_MAX_INPUT_DIM : FUSED_MAX_INPUT_DIM_VECTOR;
    }

    /** Which implementation evaluates J and its gradient. */
    public enum Kernel {
        /**
         * For one hidden layer {@link #FUSED} when {@code d <= }{@link #fusedMaxInputDim()}, else {@link #BLOCKED};
         * {@link #BLOCKED} for every deeper network.
         */
        AUTO,
        /** One fused pass per sample over flat arrays, one hidden layer. */
        FUSED,
        /** Row blocks with the dense-layer kernels, layer by layer, any network ({@link BlockedLane}). */
        BLOCKED
    }

    private final FitProblem problem;
    private final Loss loss;
    private final double[] weights;
    private final int t;
    private final int n;
    private final int d;
    private final int m;
    private final int width;               // K_L: the last hidden layer's width (the only one for the fused kernel)
    private final boolean skip;
    private final int blockRows;
    private final boolean fused;
    private final Layer.Kind[] layerKinds; // the shape's layers (checked at every evaluation)
    private final int[] layerWidths;

    private final BlockedLane[] lanes;     // blocked kernel: one per row chunk (RowChunks)
    private final DMatrixRMaj vTransposed; // m x K_L: V transposed (both kernels)
    private final double[] vT;             // its data
    // the fused kernel's buffers (empty for the blocked kernel, whose lanes hold their own)
    private final DMatrixRMaj wT;          // d x K: W transposed
    private final DMatrixRMaj gradWt;      // d x K: accumulated dW^T
    private final double[] gradVt;         // m x K
    private final double[] gradBias;       // K
    private final double[] gradSkipBias;   // m
    private final double[] gradSkip;       // m x d
    private final double[] rowBuffer;      // K
    private final double[] activation;     // K
    private final double[] rowOut;         // m
    private final double[] minusBias;      // K

    private double lastDataFit;
    private double lastPenalty;

    /**
     * One hidden layer (theory A1), kernel by shape.
     *
     * @param problem the data, not modified
     * @param width   hidden neurons K of the networks that will be evaluated
     * @param skip    whether those networks have a skip connection
     */
    public NetworkObjective(FitProblem problem, int width, boolean skip) {
        this(problem, width, skip, Kernel.AUTO);
    }

    /** As {@link #NetworkObjective(FitProblem, int, boolean)} with the kernel chosen by the caller (tests, benchmarks). */
    public NetworkObjective(FitProblem problem, int width, boolean skip, Kernel kernel) {
        this(problem, new ShallowNetwork(problem.inputDim(), problem.outputDim(), width, skip), kernel);
    }

    /**
     * @param problem the data, not modified
     * @param shape   a network of the shape that will be evaluated (only its shape is read)
     */
    public NetworkObjective(FitProblem problem, Network shape) {
        this(problem, shape, Kernel.AUTO);
    }

    /**
     * As {@link #NetworkObjective(FitProblem, Network)} with the kernel chosen by the caller (tests, benchmarks).
     *
     * @throws IllegalArgumentException for {@link Kernel#FUSED} on a network that is not one ReLU layer
     */
    public NetworkObjective(FitProblem problem, Network shape, Kernel kernel) {
        if (shape.inputDim() != problem.inputDim() || shape.outputDim() != problem.outputDim()) {
            throw new IllegalArgumentException("network is " + shape.inputDim() + " -> " + shape.outputDim()
                    + ", data is " + problem.inputDim() + " -> " + problem.outputDim());
        }
        boolean oneLayer = shape.oneLayer() != null;
        if (!oneLayer && kernel == Kernel.FUSED) {
            throw new IllegalArgumentException("the " + kernel + " kernel needs one hidden layer");
        }
        this.problem = problem;
        this.loss = problem.loss();
        this.weights = problem.sampleWeights();
        this.t = problem.targetDim();
        this.n = problem.rows();
        this.d = problem.inputDim();
        this.m = problem.outputDim();
        this.skip = shape.hasSkip();
        List<Layer> layers = shape.layers();
        this.layerKinds = new Layer.Kind[layers.size()];
        this.layerWidths = new int[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            layerKinds[l] = layers.get(l).kind();
            layerWidths[l] = layers.get(l).outputs();
        }
        int width = shape.lastWidth();
        this.width = width;
        this.fused = oneLayer && (kernel == Kernel.FUSED || (kernel == Kernel.AUTO && d <= fusedMaxInputDim()));
        this.blockRows = fused ? 0 : Math.min(n, BLOCK_ROWS);
        this.lanes = new BlockedLane[fused ? 0 : RowChunks.chunks(n, Math.max(1, blockRows))];
        for (int c = 0; c < lanes.length; c++) {
            lanes[c] = new BlockedLane(problem, shape, blockRows);
        }
        this.vTransposed = new DMatrixRMaj(m, width);
        this.vT = vTransposed.data;
        int fusedWidth = fused ? width : 0;
        this.wT = new DMatrixRMaj(fused ? d : 0, fusedWidth);
        this.gradWt = new DMatrixRMaj(fused ? d : 0, fusedWidth);
        this.gradVt = new double[m * fusedWidth];
        this.gradBias = new double[fusedWidth];
        this.gradSkipBias = new double[fused ? m : 0];
        this.gradSkip = new double[fused ? m * d : 0];
        this.rowBuffer = new double[fusedWidth];
        this.activation = new double[fusedWidth];
        this.rowOut = new double[fused ? m : 0];
        this.minusBias = new double[fusedWidth];
    }

    /** Whether this instance runs the fused kernel. */
    public boolean fused() {
        return fused;
    }

    public int rows() {
        return n;
    }

    /** Data fit {@code sum_n w_n loss(f_n; y_n)} (times the batch scale) of the last evaluation. */
    public double lastDataFit() {
        return lastDataFit;
    }

    /** {@code lambda * R} (with the skip decay of a classification loss) of the last evaluation. */
    public double lastPenalty() {
        return lastPenalty;
    }

    /**
     * J on the whole data set; when {@code gradient} is not null, also writes dJ/dtheta into it
     * (length {@code net.parameterCount()}, overwritten).
     */
    public double evaluate(Network net, Penalty penalty, double lambda, double[] gradient) {
        return evaluateRows(net, null, n, 1.0, penalty, lambda, gradient);
    }

    /** The data fit alone, {@code sum_n w_n loss(f_n; y_n)}, with its gradient when {@code gradient} is not null. */
    public double dataFit(Network net, double[] gradient) {
        return evaluateRows(net, null, n, 1.0, null, 0.0, gradient);
    }

    /**
     * J with the data fit restricted to {@code rows[0..count)} and multiplied by {@code dataScale}
     * (use N / count to estimate the full sum from a mini-batch); the penalty is added once, unscaled.
     *
     * @param rows      row indices into the problem, or null for rows {@code 0..count)}
     * @param penalty   the penalty, or null for none
     * @param gradient  receives the gradient when not null (overwritten)
     */
    public double evaluateRows(Network net, int[] rows, int count, double dataScale, Penalty penalty, double lambda,
                               double[] gradient) {
        checkShape(net, gradient);
        if (count < 0 || count > n || (rows != null && rows.length < count)) {
            throw new IllegalArgumentException("row count " + count + " out of range for " + n + " rows");
        }
        boolean wantGradient = gradient != null;
        CommonOps_DDRM.transpose(net.outputWeights(), vTransposed);
        double lossSum = fused ? fusedRows(net.oneLayer(), rows, count, dataScale, wantGradient)
                : blockedRows(net, rows, count, dataScale, wantGradient);
        lastDataFit = dataScale * lossSum;
        boolean penalized = penalty != null && lambda != 0.0;
        lastPenalty = penalized ? lambda * penalty.value(net) + SkipDecay.value(loss, net, lambda) : 0.0;
        if (wantGradient) {
            if (fused) {
                scatterFused(net.oneLayer(), gradient);
            } else {
                lanes[0].scatter(net, gradient);
            }
            if (penalized) {
                penalty.addGradient(net, lambda, gradient);
                SkipDecay.addGradient(loss, net, lambda, gradient);
            }
        }
        return lastDataFit + lastPenalty;
    }

    private void checkShape(Network net, double[] gradient) {
        List<Layer> layers = net.layers();
        boolean same = net.inputDim() == d && net.outputDim() == m && net.hasSkip() == skip
                && layers.size() == layerWidths.length && (!fused || net.oneLayer() != null);
        for (int l = 0; same && l < layerWidths.length; l++) {
            same = layers.get(l).outputs() == layerWidths[l] && layers.get(l).kind() == layerKinds[l];
        }
        if (!same) {
            throw new IllegalArgumentException("network shape d=" + net.inputDim() + ", m=" + net.outputDim() + ", layers "
                    + layers(layers) + ", skip=" + net.hasSkip() + " does not match objective d=" + d + ", m=" + m
                    + ", layers " + layers(layerWidths, layerKinds) + ", skip=" + skip);
        }
        if (gradient != null && gradient.length != net.parameterCount()) {
            throw new IllegalArgumentException("gradient has length " + gradient.length + ", expected " + net.parameterCount());
        }
    }

    private static String layers(List<Layer> layers) {
        int[] w = new int[layers.size()];
        Layer.Kind[] kinds = new Layer.Kind[layers.size()];
        for (int l = 0; l < w.length; l++) {
            w[l] = layers.get(l).outputs();
            kinds[l] = layers.get(l).kind();
        }
        return layers(w, kinds);
    }

    /** "[4 RELU, 3 LINEAR]": the widths with the kinds, so a mismatch of kinds alone reads as one. */
    private static String layers(int[] widths, Layer.Kind[] kinds) {
        StringBuilder out = new StringBuilder("[");
        for (int l = 0; l < widths.length; l++) {
            out.append(l == 0 ? "" : ", ").append(widths[l]).append(' ').append(kinds[l]);
        }
        return out.append(']').toString();
    }

    /**
     * The fused kernel: forward and backward for one sample at a time, every inner loop contiguous over the K
     * neurons and covering up to four input coordinates at once (so for d <= 4 the forward pass is one loop over
     * k, ReLU included, and the backward pass two: outer-weight and bias gradients, then input-weight gradients).
     * {@code gradWt} ({@code d x K}), {@code gradVt} ({@code m x K}), {@code gradBias}, {@code gradSkipBias},
     * {@code gradSkip} accumulate as in the blocked kernel. Returns the (weighted) sum of the losses.
     */
    private double fusedRows(ShallowNetwork net, int[] rows, int count, double scale, boolean wantGradient) {
        CommonOps_DDRM.transpose(net.inputWeights(), wT);
        if (wantGradient) {
            gradWt.zero();
            java.util.Arrays.fill(gradVt, 0.0);
            java.util.Arrays.fill(gradBias, 0.0);
            java.util.Arrays.fill(gradSkipBias, 0.0);
            java.util.Arrays.fill(gradSkip, 0.0);
        }
        final int kw = width;
        final double[] x = problem.x().data;
        final double[] y = problem.y().data;
        final double[] w = weights;
        final double[] vt = vT;
        final double[] bias = net.bias();
        final double[] c = net.skipWeights().data;
        final double[] c0 = net.skipBias();
        final double[] h = activation;
        final double[] dz = rowBuffer;
        final double[] gv = gradVt;
        final double[] gb = gradBias;
        final double[] out = rowOut;
        final double[] negBias = minusBias;
        for (int k = 0; k < kw; k++) {
            negBias[k] = -bias[k];
        }
        double lossSum = 0;
        for (int q = 0; q < count; q++) {
            int row = rows == null ? q : rows[q];
            int xo = row * d;
            if (kw > 0) {
                // h = relu(W x - b), up to four coordinates per pass
                for (int j0 = 0; j0 < d; j0 += 4) {
                    forwardChunk(x, xo, j0, Math.min(4, d - j0), j0 == 0 ? negBias : h, h, j0 + 4 >= d);
                }
            }
            // f = V^T h + C x + c0, with four partial sums (independent chains; a fixed order, so deterministic)
            for (int i = 0; i < m; i++) {
                int base = i * kw;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int k = 0;
                for (; k + 3 < kw; k += 4) {
                    s0 += h[k] * vt[base + k];
                    s1 += h[k + 1] * vt[base + k + 1];
                    s2 += h[k + 2] * vt[base + k + 2];
                    s3 += h[k + 3] * vt[base + k + 3];
                }
                for (; k < kw; k++) {
                    s0 += h[k] * vt[base + k];
                }
                double f = (s0 + s1) + (s2 + s3) + c0[i];
                if (skip) {
                    for (int j = 0; j < d; j++) {
                        f += c[i * d + j] * x[xo + j];
                    }
                }
                out[i] = f;
            }
            // the loss of this sample, and dJ/df for the (scaled) data fit in place of f
            lossSum += loss.gradient(out, 0, y, row * t, w, row, 1, m, scale, out, 0);
            if (!wantGradient) {
                continue;
            }
            for (int i = 0; i < m; i++) {
                double gi = out[i];
                gradSkipBias[i] += gi;
                if (skip) {
                    for (int j = 0; j < d; j++) {
                        gradSkip[i * d + j] += gi * x[xo + j];
                    }
                }
            }
            if (kw == 0) {
                continue;
            }
            if (m == 1) {
                // dV^T += g h^T, dz = g v masked by relu'(z - b) (as min(1, h * MAX): 1 where h > 0, 0 where h = 0)
                // and db -= dz, in one loop
                double g = out[0];
                for (int k = 0; k < kw; k++) {
                    double hk = h[k];
                    gv[k] += hk * g;
                    double z = g * vt[k] * Math.min(1.0, hk * Double.MAX_VALUE);
                    gb[k] -= z;
                    dz[k] = z;
                }
            } else {
                for (int k = 0; k < kw; k++) {
                    dz[k] = 0;
                }
                for (int i = 0; i < m; i++) {
                    double gi = out[i];
                    int base = i * kw;
                    for (int k = 0; k < kw; k++) {
                        gv[base + k] += h[k] * gi;
                        dz[k] += gi * vt[base + k];
                    }
                }
                for (int k = 0; k < kw; k++) {
                    double g = dz[k] * Math.min(1.0, h[k] * Double.MAX_VALUE);
                    dz[k] = g;
                    gb[k] -= g;
                }
            }
            for (int j0 = 0; j0 < d; j0 += 4) {
                weightGradientChunk(x, xo, j0, Math.min(4, d - j0), dz);
            }
        }
        return lossSum;
    }

    /**
     * {@code h[k] = src[k] + sum_{j0 <= j < j0 + c} x_j W[k][j]} over all k ({@code src} is {@code -b} for the first
     * chunk, {@code h} itself after), ReLU applied when {@code last}: one branch-free loop per case, so that each
     * one vectorizes.
     */
    private void forwardChunk(double[] x, int xo, int j0, int c, double[] src, double[] h, boolean last) {
        final int kw = width;
        final double[] wt = wT.data;
        final int b0 = j0 * kw;
        final double x0 = x[xo + j0];
        final double x1 = c > 1 ? x[xo + j0 + 1] : 0.0;
        final double x2 = c > 2 ? x[xo + j0 + 2] : 0.0;
        final double x3 = c > 3 ? x[xo + j0 + 3] : 0.0;
        switch (c) {
            case 1:
                if (last) {
                    for (int k = 0; k < kw; k++) {
                        h[k] = Math.max(0.0, src[k] + x0 * wt[b0 + k]);
                    }
                } else {
                    for (int k = 0; k < kw; k++) {
                        h[k] = src[k] + x0 * wt[b0 + k];
                    }
                }
                break;
            case 2:
                if (last) {
                    for (int k = 0; k < kw; k++) {
                        h[k] = Math.max(0.0, src[k] + x0 * wt[b0 + k] + x1 * wt[b0 + kw + k]);
                    }
                } else {
                    for (int k = 0; k < kw; k++) {
                        h[k] = src[k] + x0 * wt[b0 + k] + x1 * wt[b0 + kw + k];
                    }
                }
                break;
            case 3:
                if (last) {
                    for (int k = 0; k < kw; k++) {
                        h[k] = Math.max(0.0, src[k] + x0 * wt[b0 + k] + x1 * wt[b0 + kw + k] + x2 * wt[b0 + 2 * kw + k]);
                    }
                } else {
                    for (int k = 0; k < kw; k++) {
                        h[k] = src[k] + x0 * wt[b0 + k] + x1 * wt[b0 + kw + k] + x2 * wt[b0 + 2 * kw + k];
                    }
                }
                break;
            default:
                if (last) {
                    for (int k = 0; k < kw; k++) {
                        h[k] = Math.max(0.0, src[k] + x0 * wt[b0 + k] + x1 * wt[b0 + kw + k] + x2 * wt[b0 + 2 * kw + k] + x3 * wt[b0 + 3 * kw + k]);
                    }
                } else {
                    for (int k = 0; k < kw; k++) {
                        h[k] = src[k] + x0 * wt[b0 + k] + x1 * wt[b0 + kw + k] + x2 * wt[b0 + 2 * kw + k] + x3 * wt[b0 + 3 * kw + k];
                    }
                }
                break;
        }
    }

    /** {@code dW^T[j][k] += x_j dz[k]} for {@code j0 <= j < j0 + c}, in one loop over k. */
    private void weightGradientChunk(double[] x, int xo, int j0, int c, double[] dz) {
        final int kw = width;
        final double[] gw = gradWt.data;
        final int b0 = j0 * kw;
        final double x0 = x[xo + j0];
        final double x1 = c > 1 ? x[xo + j0 + 1] : 0.0;
        final double x2 = c > 2 ? x[xo + j0 + 2] : 0.0;
        final double x3 = c > 3 ? x[xo + j0 + 3] : 0.0;
        switch (c) {
            case 1:
                for (int k = 0; k < kw; k++) {
                    gw[b0 + k] += x0 * dz[k];
                }
                break;
            case 2:
                for (int k = 0; k < kw; k++) {
                    double z = dz[k];
                    gw[b0 + k] += x0 * z;
                    gw[b0 + kw + k] += x1 * z;
                }
                break;
            case 3:
                for (int k = 0; k < kw; k++) {
                    double z = dz[k];
                    gw[b0 + k] += x0 * z;
                    gw[b0 + kw + k] += x1 * z;
                    gw[b0 + 2 * kw + k] += x2 * z;
                }
                break;
            default:
                for (int k = 0; k < kw; k++) {
                    double z = dz[k];
                    gw[b0 + k] += x0 * z;
                    gw[b0 + kw + k] += x1 * z;
                    gw[b0 + 2 * kw + k] += x2 * z;
                    gw[b0 + 3 * kw + k] += x3 * z;
                }
                break;
        }
    }

    /**
     * The blocked kernel over {@code rows[0..count)}: one chunk, or two ({@link RowChunks#chunks}, decided by the
     * count alone) computed by two lanes, at once when a helper thread is idle, and added lane 0 + lane 1 (so the
     * result is the same bits with one thread or two). The sums land in lane 0. Returns the (weighted) sum of the losses.
     */
    private double blockedRows(Network net, int[] rows, int count, double scale, boolean wantGradient) {
        return RowChunks.sum(count, blockRows, lanes.length,
                (lane, from, to) -> lanes[lane].run(net, vT, rows, from, to, blockRows, scale, wantGradient),
                () -> {
                    if (wantGradient) {
                        lanes[0].add(lanes[1]);
                    }
                });
    }

    /** The fused kernel's gradient into the flat layout of {@link Network#getParameters}. */
    private void scatterFused(ShallowNetwork net, double[] gradient) {
        int ow = net.offsetLayer(0);
        double[] gw = gradWt.data;
        for (int k = 0; k < width; k++) {
            for (int j = 0; j < d; j++) {
                gradient[ow + k * d + j] = gw[j * width + k];
            }
        }
        System.arraycopy(gradBias, 0, gradient, net.offsetBias(0), width);
        BlockedLane.scatterReadout(net, gradVt, gradSkipBias, gradSkip, gradient);
    }
}
