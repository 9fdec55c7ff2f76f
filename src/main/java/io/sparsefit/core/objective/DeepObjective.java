package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.kernel.Kernels;
import io.sparsefit.core.kernel.RowChunks;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.penalty.Penalty;
import java.util.List;

/**
 * The objective of theory A2b (the problem's loss and sample weights, see {@link NetworkObjective}) for a
 * {@link DeepNetwork} (A8) and its gradient by backpropagation, on the whole data set
 * or on a subset of rows. Rows go in blocks of at most {@link NetworkObjective#BLOCK_ROWS}; per block:
 * <pre>
 *   forward:  h_0 = X,  h_l = act_l(h_{l-1} W_l^T - 1 b_l^T),  f = h_L V + X C^T + 1 c0^T,  r = s w dloss/df (s (f - Y) for squared loss)
 *   backward: dV += h_L^T r,  dc0 += 1^T r,  dC += r^T X,  delta_L = r V^T,
 *             for l = L..1:  delta_l *= [h_l > 0] (ReLU only),  dW_l += delta_l^T h_{l-1},  db_l -= 1^T delta_l,
 *                            delta_{l-1} = delta_l W_l
 * </pre>
 * with {@code s} the batch scale. The mask uses {@code h_l > 0}, which for a ReLU layer is {@code z_l > 0}: the
 * subgradient 0 at the kink, as in the shallow kernels. Work memory is {@code O(BLOCK_ROWS * sum_l K_l)} whatever N
 * is, allocated once per instance; the summation order is fixed, so results are deterministic. The products with a
 * hidden layer on both sides (forward, {@code dW_l}, {@code delta_{l-1}}) run on the dense-layer kernels
 * ({@link Kernels#active()}); those with the m outputs on one side stay on EJML. Above two blocks the rows go in two
 * chunks, one {@link DeepLane} each, the second on an idle helper thread when there is one, added lane 0 + lane 1
 * ({@link RowChunks}: the same bits with one thread or two).
 *
 * <p>Not thread-safe: one instance per fit.
 */
public final class DeepObjective {

    private final FitProblem problem;
    private final int n;
    private final int d;
    private final int m;
    private final int blockRows;
    private final int[] widths;
    private final boolean skip;

    private final DeepLane[] lanes;        // one per row chunk (RowChunks)

    private double lastDataFit;
    private double lastPenalty;

    /**
     * @param problem the data, not modified
     * @param shape   a network of the shape that will be evaluated (only its shape is read)
     */
    public DeepObjective(FitProblem problem, DeepNetwork shape) {
        this.problem = problem;
        this.n = problem.rows();
        this.d = problem.inputDim();
        this.m = problem.outputDim();
        if (shape.inputDim() != d || shape.outputDim() != m) {
            throw new IllegalArgumentException("network is " + shape.inputDim() + " -> " + shape.outputDim()
                    + ", data is " + d + " -> " + m);
        }
        this.skip = shape.hasSkip();
        this.blockRows = Math.min(n, NetworkObjective.BLOCK_ROWS);
        List<Layer> layers = shape.layers();
        int depth = layers.size();
        this.widths = new int[depth];
        for (int l = 0; l < depth; l++) {
            widths[l] = layers.get(l).outputs();
        }
        this.lanes = new DeepLane[RowChunks.chunks(n, Math.max(1, blockRows))];
        for (int c = 0; c < lanes.length; c++) {
            lanes[c] = new DeepLane(problem, shape, blockRows);
        }
    }

    public int rows() {
        return n;
    }

    public double lastDataFit() {
        return lastDataFit;
    }

    public double lastPenalty() {
        return lastPenalty;
    }

    /**
     * J with the data fit restricted to {@code rows[0..count)} (null: rows {@code 0..count)}) times {@code dataScale};
     * the penalty (null for none) is added once, unscaled. {@code gradient}, when not null, receives dJ/dtheta in the
     * layout of {@link DeepNetwork#getParameters} (overwritten). {@code net} is not modified.
     */
    public double evaluateRows(DeepNetwork net, int[] rows, int count, double dataScale, Penalty penalty, double lambda,
                               double[] gradient) {
        checkShape(net, gradient);
        if (count < 0 || count > n || (rows != null && rows.length < count)) {
            throw new IllegalArgumentException("row count " + count + " out of range for " + n + " rows");
        }
        boolean wantGradient = gradient != null;
        double lossSum = RowChunks.sum(count, blockRows, lanes.length,
                (lane, from, to) -> lanes[lane].run(net, rows, from, to, blockRows, dataScale, wantGradient),
                () -> {
                    if (wantGradient) {
                        lanes[0].add(lanes[1]);
                    }
                });
        lastDataFit = dataScale * lossSum;
        boolean penalized = penalty != null && lambda != 0.0;
        lastPenalty = penalized ? lambda * penalty.value(net) + SkipDecay.value(problem.loss(), net, lambda) : 0.0;
        if (wantGradient) {
            lanes[0].scatter(net, gradient);
            if (penalized) {
                penalty.addGradient(net, lambda, gradient);
                SkipDecay.addGradient(problem.loss(), net, lambda, gradient);
            }
        }
        return lastDataFit + lastPenalty;
    }

    private void checkShape(DeepNetwork net, double[] gradient) {
        List<Layer> layers = net.layers();
        boolean same = net.inputDim() == d && net.outputDim() == m && net.hasSkip() == skip && layers.size() == widths.length;
        for (int l = 0; same && l < widths.length; l++) {
            same = layers.get(l).outputs() == widths[l] && layers.get(l).bias().length == lanes[0].gradBias[l].length;
        }
        if (!same) {
            throw new IllegalArgumentException("network shape differs from the one this objective was built for");
        }
        if (gradient != null && gradient.length != net.parameterCount()) {
            throw new IllegalArgumentException("gradient has length " + gradient.length + ", expected " + net.parameterCount());
        }
    }
}
