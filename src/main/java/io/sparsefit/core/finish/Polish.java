package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.GroupLasso;
import io.sparsefit.core.convex.LossGroupLasso;
import io.sparsefit.core.convex.SamePattern;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.LayerForward;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.objective.SkipDecay;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The convex polish of theory C3: keep every hyperplane of the last ReLU layer fixed (and every layer before it) and
 * re-solve the outer weights and the affine part exactly.
 *
 * <p>The last ReLU layer sees the features {@code g_n = h_{L-1}(x_n)} ({@code x_n} itself for one hidden layer). With
 * its hyperplanes normalized to {@code ||u_k|| = 1} (offset {@code c_k = b_k / ||w_k||}, amplitude
 * {@code a_k = ||w_k|| v_k}) the layer's balanced penalty is {@code sum_k ||a_k||} (A3, A4; the path norm for one
 * hidden layer; A8 for depth), so with {@code H[n][k] = relu(u_k . g_n - c_k)} the problem
 * {@code min sum_n w_n loss(H A + X C^T + 1 c0^T; y_n) + lambda sum_k ||a_k||} (A2b) is a group lasso: convex,
 * so it can be solved to a certified accuracy, here by {@link LossGroupLasso#restricted} to a duality gap of this
 * subproblem (the T8 argument restricted to the fixed hyperplanes), from the network's own amplitudes and affine part.
 *
 * <p>The input network is a feasible point of the same problem, so the result can only be better: that is
 * enforced (the better of the two, by {@link #objective}, is returned). Units whose group ends at exactly zero are
 * dropped; units with {@code w_k = 0} are constants and are absorbed by {@code c0}. The returned network's last layer
 * is unit-normalized, not balanced: {@link Finishing} rebalances (A4). The same restricted problem gives a layered
 * network its certificate ({@link #certificate}).
 */
public final class Polish {

    /** Largest N x K feature matrix the polish builds (a few copies of it are held at once). */
    public static final long MAX_FEATURE_ENTRIES = 4_000_000L;
    /** Largest number of neurons: the Gram matrix is K x K and the one-output solve factors it repeatedly. */
    public static final int MAX_NEURONS = 300;
    /**
     * Rows of the layer input and of the features built between two looks at a stop: a deep network's last-layer
     * features can take a second, which a fit past its deadline's grace must not spend; 64 rows of them are a few
     * milliseconds (docs/benchmarks.md "Time limits").
     */
    static final int ROWS_PER_LOOK = 64;

    private Polish() {
    }

    /**
     * Whether a problem of {@code rows} samples and {@code neurons} neurons is small enough to polish
     * ({@link #MAX_FEATURE_ENTRIES}, {@link #MAX_NEURONS}); {@link Finishing} skips the polish otherwise.
     */
    public static boolean affordable(int rows, int neurons) {
        return neurons <= MAX_NEURONS && (long) rows * neurons <= MAX_FEATURE_ENTRIES;
    }

    /**
     * @param network    the polished network, or a copy of the input where the polished one was not better;
     *                   unit-normal last layer
     * @param objective  {@link #objective} of {@code network}
     * @param gap        duality gap of the subproblem at the solve's end (NaN when the solve failed)
     * @param converged  whether the gap met {@link GroupLasso#GAP_TOLERANCE}
     */
    public record Result<N extends Network>(N network, double objective, double gap, int iterations, boolean converged) {
    }

    /**
     * {@code dataFit + lambda (1/2 sum_{l<L} ||W_l||_F^2 + sum_k ||v_k|| ||w_k||)} over the last layer's units k (plus
     * the skip decay of a classification loss, A2b): the objective once the last layer is balanced (A3, A4). For one
     * hidden layer {@code dataFit + lambda pathNorm}, which is the objective under either regularizer once rebalanced.
     */
    public static double objective(Network network, FitProblem problem, double lambda) {
        List<Layer> layers = network.layers();
        int last = layers.size() - 1;
        double earlier = 0;
        for (int l = 0; l < last; l++) {
            earlier += 0.5 * MatrixNorms.inner(layers.get(l).weights(), layers.get(l).weights());
        }
        DMatrixRMaj w = layers.get(last).weights();
        double path = 0;
        for (int k = 0; k < w.numRows; k++) {
            path += MatrixNorms.rowNorm(network.outputWeights(), k) * MatrixNorms.rowNorm(w, k);
        }
        return Networks.dataFit(network, problem) + lambda * (earlier + path) + SkipDecay.value(problem.loss(), network, lambda);
    }

    /**
     * Polishes {@code network} on {@code problem} with strength {@code lambda > 0}; the solve looks at {@code stop} every
     * step and ends early once it is true (see {@link GroupLasso#stopWhen}), and so does the building of the features
     * before it (every {@link #ROWS_PER_LOOK} rows): stopped before the solve starts, the result is a copy of the input
     * (0 iterations, gap NaN).
     *
     * @throws IllegalArgumentException when the network does not match the problem's shape or lambda is not positive
     */
    @SuppressWarnings("unchecked")
    public static <N extends Network> Result<N> polish(N network, FitProblem problem, double lambda, BooleanSupplier stop) {
        int d = problem.inputDim();
        int m = problem.outputDim();
        if (network.inputDim() != d || network.outputDim() != m) {
            throw new IllegalArgumentException("network is " + network.inputDim() + " -> " + network.outputDim()
                    + " but the problem is " + d + " -> " + m);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("the polish needs a finite lambda > 0, got " + lambda);
        }
        double before = objective(network, problem, lambda);
        Hyperplanes planes = Hyperplanes.of(network, problem, stop);
        // Stopped before the solve: its set-up (the Gram matrix of the features) does not look at the stop.
        LossGroupLasso.Outcome solved = planes == null || stop.getAsBoolean() ? null
                : LossGroupLasso.restricted(problem, planes.features(), lambda, network.hasSkip(), planes.amplitudes(),
                        network.affine(), stop);
        if (solved == null) {
            return new Result<>((N) network.copy(), before, Double.NaN, 0, false);
        }
        N polished = (N) assemble(network, planes, solved.amplitudes(), solved.affine());
        // The input is feasible for the same convex problem, so the optimum cannot be worse: keep the better one in
        // case rounding or an unfinished solve says otherwise.
        double after = objective(polished, problem, lambda);
        return after <= before
                ? new Result<>(polished, after, solved.gap(), solved.iterations(), solved.converged())
                : new Result<>((N) network.copy(), before, solved.gap(), solved.iterations(), solved.converged());
    }

    /**
     * The duality gap (T8 restricted to the fixed earlier layers and hyperplanes, A2b for the problem's loss) at the
     * network itself: the fit's dual point made feasible by {@link FenchelDual}, priced over the fixed hyperplanes
     * ({@code S(g) = max_k ||H_k^T g||}, exact for this restricted problem), against the primal
     * {@code dataFit + lambda sum_k ||a_k|| (+ lambda/2 ||C||^2 for classification)}: a layered network's certificate,
     * exact for this restricted problem, silent about the earlier layers. Null (not computed) once {@code stop} is
     * true, which the building of the features looks at every {@link #ROWS_PER_LOOK} rows: a fit past its deadline's
     * grace ({@code CancellationToken#finishing}), where for a deep network the features alone take up to a second
     * ({@link #ROWS_PER_LOOK}).
     */
    public static Certificate certificate(Network net, FitProblem problem, double lambda, BooleanSupplier stop) {
        Hyperplanes planes = Hyperplanes.of(net, problem, stop);
        if (planes == null || stop.getAsBoolean()) {
            return null;
        }
        int m = problem.outputDim();
        int width = planes.features().numCols;
        DMatrixRMaj a = new DMatrixRMaj(width, m, true, planes.amplitudes());
        double groups = 0;
        for (int k = 0; k < width; k++) {
            groups += MatrixNorms.rowNorm(a, k);
        }
        DMatrixRMaj predictions = net.predict(problem.x(), null);
        double dual = FenchelDual.overFeatures(problem, predictions, lambda, net.hasSkip(), planes.features());
        double primal = Networks.dataFit(net, problem) + lambda * groups + SkipDecay.value(problem.loss(), net, lambda);
        return new Certificate(Math.max(0.0, primal - dual), dual, true);
    }

    /**
     * The last ReLU layer's units with {@code w_k != 0} as unit-normal hyperplanes {@code (u_k, c_k)} with amplitudes
     * {@code a_k = ||w_k|| v_k} (A3, A6), and their features {@code H} on the layer's input {@code g}; null once
     * {@code stop} is true, looked at after each earlier layer and every {@link #ROWS_PER_LOOK} rows of the features.
     */
    private record Hyperplanes(DMatrixRMaj input, double[] u, double[] c, double[] amplitudes, DMatrixRMaj features) {

        static Hyperplanes of(Network net, FitProblem problem, BooleanSupplier stop) {
            List<Layer> layers = net.layers();
            int last = layers.size() - 1;
            DMatrixRMaj g = problem.x();
            for (int l = 0; l < last; l++) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                DMatrixRMaj next = new DMatrixRMaj(g.numRows, layers.get(l).outputs());
                LayerForward.apply(layers.get(l), g, next);
                g = next;
            }
            Layer layer = layers.get(last);
            DMatrixRMaj w = layer.weights();
            int inputs = layer.inputs();
            int m = net.outputDim();
            List<Integer> units = new ArrayList<>();
            for (int k = 0; k < layer.outputs(); k++) {
                if (MatrixNorms.rowNorm(w, k) > 0) {
                    units.add(k);
                }
            }
            int width = units.size();
            double[] u = new double[width * inputs];
            double[] c = new double[width];
            double[] amplitudes = new double[width * m];
            for (int q = 0; q < width; q++) {
                c[q] = net.unitNormal(units.get(q), u, q * inputs, amplitudes, q * m);
            }
            DMatrixRMaj features = Polish.features(g, u, c, width, stop);
            return features == null ? null : new Hyperplanes(g, u, c, amplitudes, features);
        }
    }

    /**
     * {@code H[n][k] = relu(u_k . g_n - c_k)}, N x K, for the layer input {@code g} (N x inputs, not modified); null
     * once {@code stop} is true, looked at every {@link #ROWS_PER_LOOK} rows.
     */
    static DMatrixRMaj features(DMatrixRMaj g, double[] u, double[] c, int width, BooleanSupplier stop) {
        int n = g.numRows;
        int d = g.numCols;
        double[] x = g.data;
        DMatrixRMaj h = new DMatrixRMaj(n, width);
        for (int r = 0; r < n; r++) {
            if (r % ROWS_PER_LOOK == 0 && stop.getAsBoolean()) {
                return null;
            }
            for (int q = 0; q < width; q++) {
                h.data[r * width + q] = Math.max(0.0, SamePattern.preActivation(u, q, c[q], x, r, d));
            }
        }
        return h;
    }

    /**
     * A copy of {@code network} whose last layer holds the unit-normal units with non-zero groups and amplitudes as
     * outgoing weights, plus {@code affine} (laid out as {@link Network#affine()}).
     */
    private static Network assemble(Network network, Hyperplanes planes, double[] groups, double[] affine) {
        int m = network.outputDim();
        int inputs = planes.input().numCols;
        int width = planes.c().length;
        int kept = 0;
        for (int q = 0; q < width; q++) {
            if (Vectors.norm(groups, q * m, m) > 0) {
                kept++;
            }
        }
        Network copy = network.copy();
        List<Layer> layers = new ArrayList<>(copy.layers());
        Layer last = Layer.zeros(Layer.Kind.RELU, kept, inputs);
        DMatrixRMaj v = new DMatrixRMaj(kept, m);
        int slot = 0;
        for (int q = 0; q < width; q++) {
            if (Vectors.norm(groups, q * m, m) == 0) {
                continue;
            }
            System.arraycopy(planes.u(), q * inputs, last.weights().data, slot * inputs, inputs);
            last.bias()[slot] = planes.c()[q];
            System.arraycopy(groups, q * m, v.data, slot * m, m);
            slot++;
        }
        layers.set(layers.size() - 1, last);
        Network out = copy.withLayers(layers, v);
        out.setAffine(affine);
        return out;
    }
}
