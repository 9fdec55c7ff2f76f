package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.GroupLasso;
import io.sparsefit.core.loss.SquaredLoss;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.objective.AffineRefit;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The convex polish of theory C3: keep every neuron's hyperplane fixed and re-solve the outer weights and
 * the affine part exactly.
 *
 * <p>With the hyperplanes normalized to {@code ||u_k|| = 1} (offset {@code c_k = b_k / ||w_k||}) the path
 * norm is {@code sum_k ||v_k||} (A3), so with the features {@code H[n][k] = relu(u_k . x_n - c_k)} the
 * problem {@code min 1/2 ||H V + X C^T + 1 c0^T - Y||^2 + lambda sum_k ||v_k||} is a group lasso: convex,
 * so it can be solved to a certified accuracy. The unpenalized affine columns {@code [1, X]} ({@code [1]}
 * without a skip connection) are projected out first (orthonormal basis by twice-repeated Gram-Schmidt),
 * which leaves {@code min 1/2 ||P(H V - Y)||^2 + lambda sum ||v_k||}; that is solved by FISTA with group
 * soft-thresholding (step {@code 1/L}, {@code L} the largest eigenvalue of {@code G = (PH)^T PH} by power
 * iteration) with gradient restarts (see {@link GroupLasso}). Stopping is on the duality gap of this subproblem: the residual
 * {@code r = P(Y - H V)} scaled by {@code min(1, lambda / max_k ||(PH)_k^T r||)} is dual feasible, and
 * {@code gap = primal - (<s r, PY> - 1/2 ||s r||^2)} bounds the distance to the optimum (the T8 argument
 * restricted to the fixed hyperplanes). For one output (a plain lasso) an exact, finite feature-sign search
 * runs first and FISTA only takes over if it does not meet the gap: ReLU features with nearby knots are badly
 * conditioned, and FISTA's tail is then far too slow for a tight gap.
 *
 * <p>The input network is a feasible point of the same problem, so the result can only be better: that is
 * enforced (the better of the two, by {@code dataFit + lambda pathNorm}, is returned). Neurons whose group
 * ends at exactly zero are dropped; neurons with {@code w_k = 0} are constants and are absorbed by
 * {@code c0}. The returned network is unit-normalized, not balanced: {@link Finishing} rebalances (A4).
 */
public final class Polish {

    /** Largest N x K feature matrix the polish builds (a few copies of it are held at once). */
    public static final long MAX_FEATURE_ENTRIES = 4_000_000L;
    /** Largest number of neurons: the Gram matrix is K x K and the one-output solve factors it repeatedly. */
    public static final int MAX_NEURONS = 300;

    private Polish() {
    }

    /**
     * Whether the polish solves {@code problem}'s own objective: its group lasso is least squares, so only for the
     * squared loss without sample weights (A2); {@link Finishing} and {@link DeepFinishing} skip it otherwise (a
     * group lasso with a general loss is the convex solver's restricted problem, theory A2b, C2).
     */
    public static boolean applies(FitProblem problem) {
        return problem.loss() instanceof SquaredLoss && problem.sampleWeights() == null;
    }

    /**
     * Whether a problem of {@code rows} samples and {@code neurons} neurons is small enough to polish
     * ({@link #MAX_FEATURE_ENTRIES}, {@link #MAX_NEURONS}); {@link Finishing} skips the polish otherwise.
     */
    public static boolean affordable(int rows, int neurons) {
        return neurons <= MAX_NEURONS && (long) rows * neurons <= MAX_FEATURE_ENTRIES;
    }

    /**
     * @param network    the polished network (or a copy of the input, see {@code improved}); unit-normal neurons
     * @param objective  {@code dataFit + lambda pathNorm} of {@code network}
     * @param gap        duality gap of the subproblem at the solve's end (NaN when the solve failed)
     * @param converged  whether the gap met {@link GroupLasso#GAP_TOLERANCE}
     * @param improved   false when the input was kept because the polished network was not better
     */
    public record Result(ShallowNetwork network, double objective, double gap, int iterations, boolean converged,
                         boolean improved) {
    }

    /** {@code dataFit + lambda pathNorm} (A2 with the path norm, which equals weight decay after rebalancing, A3/A4). */
    public static double pathNormObjective(ShallowNetwork network, FitProblem problem, double lambda) {
        return Networks.dataFit(network, problem) + lambda * PathNorm.of(network);
    }

    /**
     * Polishes {@code network} on {@code problem} with strength {@code lambda > 0}.
     *
     * @throws IllegalArgumentException when the network does not match the problem's shape or lambda is not positive
     */
    public static Result polish(ShallowNetwork network, FitProblem problem, double lambda) {
        return polish(network, problem, lambda, () -> false);
    }

    /** As above; the solve looks at {@code stop} every step and ends early once it is true (see {@link GroupLasso#stopWhen}). */
    public static Result polish(ShallowNetwork network, FitProblem problem, double lambda, BooleanSupplier stop) {
        int n = problem.rows();
        int d = problem.inputDim();
        int m = problem.outputDim();
        if (network.inputDim() != d || network.outputDim() != m) {
            throw new IllegalArgumentException("network is " + network.inputDim() + " -> " + network.outputDim()
                    + " but the problem is " + d + " -> " + m);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("the polish needs a finite lambda > 0, got " + lambda);
        }
        double before = pathNormObjective(network, problem, lambda);

        // Hyperplanes (u_k, c_k) of the neurons with w_k != 0 and their amplitudes a_k = v_k ||w_k|| (A6).
        int[] index = new int[network.width()];
        int k = 0;
        for (int j = 0; j < network.width(); j++) {
            if (network.inputNorm(j) > 0) {
                index[k++] = j;
            }
        }
        int width = k;
        double[] u = new double[width * d];
        double[] c = new double[width];
        double[] amplitude = new double[width * m];
        for (int q = 0; q < width; q++) {
            c[q] = network.unitNormal(index[q], u, q * d, amplitude, q * m);
        }

        AffineProjection projection = AffineProjection.of(problem.x(), network.hasSkip());
        DMatrixRMaj features = features(problem, u, c, width);
        DMatrixRMaj projFeatures = projection.project(features);
        DMatrixRMaj projTargets = projection.project(problem.y());
        GroupLasso lasso = new GroupLasso(projFeatures, projTargets, lambda).stopWhen(stop);
        GroupLasso.Outcome solved = lasso.solve(amplitude);
        if (solved == null) {
            return new Result(network.copy(), before, Double.NaN, 0, false, false);
        }
        double[] groups = solved.amplitudes();

        ShallowNetwork polished = assemble(network, problem, features, u, c, groups, width);
        double after = pathNormObjective(polished, problem, lambda);
        // The input is feasible for the same convex problem, so the optimum cannot be worse; keep the better
        // one in case rounding or an unfinished solve says otherwise.
        if (!(after <= before)) {
            return new Result(network.copy(), before, solved.gap(), solved.iterations(), solved.converged(), false);
        }
        return new Result(polished, after, solved.gap(), solved.iterations(), solved.converged(), true);
    }

    /** {@code H[n][k] = relu(u_k . x_n - c_k)}, N x K. */
    static DMatrixRMaj features(FitProblem problem, double[] u, double[] c, int width) {
        int n = problem.rows();
        int d = problem.inputDim();
        double[] x = problem.x().data;
        DMatrixRMaj h = new DMatrixRMaj(n, width);
        for (int r = 0; r < n; r++) {
            for (int q = 0; q < width; q++) {
                double z = -c[q];
                for (int t = 0; t < d; t++) {
                    z += u[q * d + t] * x[r * d + t];
                }
                h.data[r * width + q] = Math.max(0.0, z);
            }
        }
        return h;
    }

    /** Unit-normal neurons with non-zero groups, plus the least-squares affine part of what they leave. */
    private static ShallowNetwork assemble(ShallowNetwork network, FitProblem problem,
                                           DMatrixRMaj features, double[] u, double[] c, double[] groups, int width) {
        int n = problem.rows();
        int d = problem.inputDim();
        int m = problem.outputDim();
        int kept = 0;
        for (int q = 0; q < width; q++) {
            if (groupNorm(groups, q, m) > 0) {
                kept++;
            }
        }
        ShallowNetwork out = new ShallowNetwork(d, m, kept, network.hasSkip());
        DMatrixRMaj rest = problem.y().copy();
        int slot = 0;
        for (int q = 0; q < width; q++) {
            if (groupNorm(groups, q, m) == 0) {
                continue;
            }
            System.arraycopy(u, q * d, out.inputWeights.data, slot * d, d);
            out.bias[slot] = c[q];
            System.arraycopy(groups, q * m, out.outputWeights.data, slot * m, m);
            for (int r = 0; r < n; r++) {
                double h = features.data[r * width + q];
                for (int i = 0; i < m; i++) {
                    rest.data[r * m + i] -= h * groups[q * m + i];
                }
            }
            slot++;
        }
        // Affine part: least squares of what the neurons leave on [1, X] (pseudo-inverse: N <= d is allowed).
        AffineRefit.setLeastSquares(out, problem.x(), rest);
        return out;
    }

    static double groupNorm(double[] groups, int q, int m) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            double g = groups[q * m + i];
            s += g * g;
        }
        return Math.sqrt(s);
    }
}
