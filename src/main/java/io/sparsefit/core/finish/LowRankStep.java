package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.objective.NetworkObjective;
import io.sparsefit.core.objective.SkipDecay;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The low-rank step of theory A8 for a network with linear layers: proximal gradient on the product of each run's
 * factors, everything else fixed.
 *
 * <p>A run (q - 1 linear layers and the ReLU layer they feed, see {@link Rebalance}) enters f only through the product
 * {@code M = F_q ... F_1}, and the least weight decay of any factorization of M is {@code lambda P(M)} with
 * {@code P(M) = (q/2) sum_i sigma_i(M)^{2/q}} (A8; the nuclear norm {@code ||M||_*} for two factors), reached by the
 * balanced factorization ({@link Rebalance#factorize}). So with the other layers, the biases, {@code V} and the skip
 * fixed, the objective over the run is {@code F(M) + lambda P(M)} with F the data fit: gradient training reaches its
 * stationary points only approximately, leaving singular values of order 1e-6 where the optimum has exact zeros. Each
 * step here is {@code M <- prox_{t lambda P}(M - t grad F(M))}: singular value thresholding (soft thresholding for
 * q = 2; for q > 2 the scalar prox of {@code c s^{2/q}}, see {@link #shrink}), with t halved until the step lowers
 * {@code F + lambda P} and doubled after each kept step (F is only piecewise smooth, so there is no curvature bound to
 * take t from). The result is written back
 * as the balanced factorization {@code U S'^{1/q}, ..., S'^{1/q} V^T}, and the whole network is kept only when its
 * objective (data fit, weight decay of every matrix, skip decay) is below the input's: the step never raises the
 * objective.
 */
public final class LowRankStep {

    /** Proximal steps per run at most (each one data fit with its gradient, one SVD). */
    public static final int MAX_STEPS = 200;
    /** Stop once a step lowers {@code F + lambda P} by less than this, relative. */
    public static final double RELATIVE_DECREASE = 1e-13;
    /** Halvings of the step size at most within one step. */
    static final int MAX_BACKTRACKS = 60;

    private LowRankStep() {
    }

    /**
     * {@code network} with each run's product moved by the proximal steps, or {@code network} itself (not modified)
     * when it has no run or the steps do not lower its objective; a new network otherwise, unbalanced in its units
     * ({@link Finishing} rebalances afterwards, which cannot raise the objective, A4).
     *
     * @param lambda weight-decay strength, {@code > 0}
     * @param stop   looked at every step; once true, the network reached so far is returned (if it is better)
     */
    public static <N extends Network> N apply(N network, FitProblem problem, double lambda, BooleanSupplier stop) {
        if (Rebalance.runs(network).isEmpty() || !(lambda > 0)) {
            return network;
        }
        @SuppressWarnings("unchecked")
        N out = (N) network.copy();
        for (int[] run : Rebalance.runs(out)) {
            if (stop.getAsBoolean()) {
                break;
            }
            stepRun(out, run[0], run[1], problem, lambda, stop);
        }
        return objective(out, problem, lambda) < objective(network, problem, lambda) ? out : network;
    }

    /** {@code dataFit + lambda/2 sum ||W||_F^2} over every weight matrix, plus the skip decay (A2, A2b). */
    public static double objective(Network net, FitProblem problem, double lambda) {
        return Networks.dataFit(net, problem) + lambda * WeightDecay.INSTANCE.value(net)
                + SkipDecay.value(problem.loss(), net, lambda);
    }

    /** The proximal steps on the run {@code first..relu} of {@code net} (modified when they lower the objective). */
    private static void stepRun(Network net, int first, int relu, FitProblem problem, double lambda, BooleanSupplier stop) {
        List<Layer> layers = net.layers();
        List<Layer> run = layers.subList(first, relu + 1);
        int q = run.size();
        // The same network with the run collapsed into one ReLU layer of weights M: F and its gradient in M.
        DMatrixRMaj m = Rebalance.product(run);
        List<Layer> collapsedLayers = new ArrayList<>(layers.subList(0, first));
        collapsedLayers.add(new Layer(Layer.Kind.RELU, m, layers.get(relu).bias()));
        collapsedLayers.addAll(layers.subList(relu + 1, layers.size()));
        Network collapsed = net.withLayers(collapsedLayers, net.outputWeights());
        NetworkObjective objective = new NetworkObjective(problem, collapsed);
        double[] gradient = new double[collapsed.parameterCount()];
        int offset = collapsed.offsetLayer(first);
        int size = m.getNumElements();
        double[] g = new double[size];

        double[] current = m.data.clone();
        Thresholded best = null;
        double fit = objective.dataFit(collapsed, gradient);
        System.arraycopy(gradient, offset, g, 0, size);
        double j = fit + lambda * penalty(singularValues(m), q);
        double t = 1.0;
        DMatrixRMaj z = new DMatrixRMaj(m.numRows, m.numCols);
        for (int step = 0; step < MAX_STEPS && !stop.getAsBoolean(); step++) {
            Thresholded trial = null;
            double trialJ = Double.NaN;
            for (int attempt = 0; attempt < MAX_BACKTRACKS && !stop.getAsBoolean(); attempt++) {
                for (int i = 0; i < size; i++) {
                    z.data[i] = current[i] - t * g[i];
                }
                trial = threshold(z, t * lambda, q);
                if (trial == null) {
                    break;
                }
                System.arraycopy(trial.product().data, 0, m.data, 0, size);
                trialJ = objective.dataFit(collapsed, null) + lambda * penalty(trial.sigma(), q);
                // F is only piecewise smooth (a sample crossing a hyperplane is a kink), so the step is kept when
                // F + lambda P falls, not by a curvature test, which would force t to the scale of the nearest kink.
                if (trialJ < j) {
                    break;
                }
                trial = null;
                t *= 0.5;
            }
            if (trial == null) {
                break;
            }
            boolean small = j - trialJ <= RELATIVE_DECREASE * Math.abs(j);
            best = trial;
            j = trialJ;
            System.arraycopy(m.data, 0, current, 0, size);
            fit = objective.dataFit(collapsed, gradient);
            System.arraycopy(gradient, offset, g, 0, size);
            t *= 2.0;
            if (small) {
                break;
            }
        }
        if (best != null) {
            Rebalance.factorize(run, best.u(), best.sigma(), best.vt(), best.sigma().length);
        }
    }

    /** {@code M = U diag(sigma) V^T} after thresholding, and the product itself. */
    private record Thresholded(DMatrixRMaj u, double[] sigma, DMatrixRMaj vt, DMatrixRMaj product) {
    }

    /** {@code prox_{c P}(z)} by the SVD of {@code z} (not modified); null when the SVD fails. */
    private static Thresholded threshold(DMatrixRMaj z, double c, int q) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(z.numRows, z.numCols, true, true, true);
        if (!svd.decompose(z.copy())) {
            return null;
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj vt = svd.getV(null, true);
        int r = svd.numberOfSingularValues();
        double[] sigma = new double[r];
        for (int i = 0; i < r; i++) {
            // P's scalar part is (q/2) s^{2/q}: the prox of c (q/2) s^{2/q} per singular value.
            sigma[i] = shrink(svd.getSingularValues()[i], c * q / 2.0, q);
        }
        DMatrixRMaj product = new DMatrixRMaj(z.numRows, z.numCols);
        for (int i = 0; i < r; i++) {
            if (sigma[i] == 0) {
                continue;
            }
            for (int a = 0; a < z.numRows; a++) {
                double left = u.unsafe_get(a, i) * sigma[i];
                for (int b = 0; b < z.numCols; b++) {
                    product.data[a * z.numCols + b] += left * vt.unsafe_get(i, b);
                }
            }
        }
        return new Thresholded(u, sigma, vt, product);
    }

    /**
     * {@code argmin_{s >= 0} 1/2 (s - x)^2 + c s^p} with {@code p = 2/q}, for {@code x >= 0}, {@code c >= 0}: soft
     * thresholding {@code max(0, x - c)} for q = 2; for q > 2 (p < 1, not convex) the better of 0 and the larger
     * stationary point, which lies between the inflection point {@code (c p (1 - p))^{1/(2 - p)}} and x (bisection on
     * the derivative, increasing there).
     */
    static double shrink(double x, double c, int q) {
        if (q <= 1) {
            return x;
        }
        if (q == 2) {
            return Math.max(0.0, x - c);
        }
        double p = 2.0 / q;
        double inflection = Math.pow(c * p * (1 - p), 1 / (2 - p));
        if (!(x > inflection) || derivative(inflection, x, c, p) >= 0) {
            return 0.0;
        }
        double lo = inflection;
        double hi = x;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (derivative(mid, x, c, p) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double s = hi;
        double atS = 0.5 * (s - x) * (s - x) + c * Math.pow(s, p);
        return atS < 0.5 * x * x ? s : 0.0;
    }

    private static double derivative(double s, double x, double c, double p) {
        return s - x + c * p * Math.pow(s, p - 1);
    }

    /** {@code (q/2) sum sigma_i^{2/q}}. */
    public static double penalty(double[] sigma, int q) {
        double s = 0;
        for (double v : sigma) {
            s += q == 2 ? v : Math.pow(v, 2.0 / q);
        }
        return 0.5 * q * s;
    }

    private static double[] singularValues(DMatrixRMaj m) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
        if (!svd.decompose(m.copy())) {
            return new double[] {Double.POSITIVE_INFINITY};
        }
        return svd.getSingularValues().clone();
    }
}
