package io.sparsefit.core.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.loss.Loss;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The restricted group lasso of every loss and sample weights (theory A2b, C2, C3): over fixed ReLU features
 * {@code H} (N x K, one column per hyperplane) and the unpenalized affine columns {@code [1, X]} ({@code [1]} without a
 * skip connection),
 * {@code min sum_n w_n loss(H A + 1 c0^T + X C^T; y_n) + lambda sum_k ||A_k|| (+ lambda/2 ||C||_F^2 for classification)}.
 * {@link #restricted} is the one entry for a caller that solves it once (the polish): it takes the least-squares form
 * ({@link GroupLasso} on projected features) for the squared loss without weights, where that is faster, and this
 * class's proximal Newton otherwise.
 *
 * <p>Proximal Newton (Lee, Sun and Saunders, 2014): at the current point the smooth part is replaced by its second-order
 * model, whose Hessian is {@code sum_n w_n phi_n phi_n^T (x) H_n} with {@code phi_n} the feature row and {@code H_n} the
 * loss's m x m Hessian in the outputs (logistic {@code p(1-p)}, softmax {@code diag(p) - p p^T}, Huber 0/1); the
 * unpenalized coordinates are minimized out of the model exactly (a Schur complement), which leaves a group lasso in
 * Gram form {@code min_a 1/2 a^T Q a - c^T a + lambda sum_k ||a_k||}, independent of N, solved by the one
 * {@link GroupLasso} (FISTA and exact solves on the support). The proximal Newton step is then damped by backtracking on the true objective. The solve stops when the
 * restricted duality gap ({@link FenchelDual}, the dual point priced over the fixed features only) is below
 * {@code tolerance * max(1, J)}, or when the step no longer decreases the objective at working precision.
 *
 * <p>Deterministic; work buffers are allocated per solve.
 */
public final class LossGroupLasso {

    /** Proximal Newton steps at most (each forms the Hessian once, O(N (K + d)^2 m^2)). */
    public static final int MAX_STEPS = 60;
    /**
     * Largest number of unknowns {@code (K + 1 + d) m} {@link #restricted} takes to proximal Newton: each step forms a
     * dense Hessian of that size and factors it; larger problems (e.g. many classes and many inputs) are declined.
     */
    public static final int MAX_UNKNOWNS = 600;
    /**
     * Largest {@code N (K + 1 + d)^2 m^2} (one Hessian's work) {@link #restricted} takes to proximal Newton. Measured:
     * a logistic polish at N = 10,000, d = 10, width 256 ({@code lbfgs}, a loaded 2-core machine) spent 33 s (about
     * 7e8 per Hessian) and kept 253 neurons; below this bound a Hessian costs well under a second.
     */
    public static final long MAX_WORK = 50_000_000L;
    static final double ARMIJO = 1e-4;

    /**
     * @param amplitudes K x m row-major
     * @param affine     {@code c0} (m entries) then, with a skip connection, {@code C} (m x d row-major)
     * @param primal     the objective at the result
     * @param gap        the restricted duality gap there
     */
    public record Outcome(double[] amplitudes, double[] affine, double primal, double gap, int iterations,
                          boolean converged) {
    }

    private final FitProblem problem;
    private final Loss loss;
    private final double[] h;   // N x K row-major
    private final double lambda;
    private final boolean skip;
    private final double decay;
    private final int n;
    private final int k;
    private final int m;
    private final int d;
    private final int cols;   // K + q: features, then 1 and x
    private final int p;      // cols * m
    private BooleanSupplier stop = () -> false;
    private double[] offset;

    /**
     * @param features N x K features of the fixed hyperplanes, not modified (and not copied: keep them unchanged)
     * @param skip     whether the affine part has the linear terms {@code C} (else only {@code c0})
     */
    public LossGroupLasso(FitProblem problem, DMatrixRMaj features, double lambda, boolean skip) {
        if (features.numRows != problem.rows()) {
            throw new IllegalArgumentException("features have " + features.numRows + " rows but the problem " + problem.rows());
        }
        if (!(lambda > 0 || lambda == 0 && features.numCols == 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and > 0 (>= 0 without atoms), got " + lambda);
        }
        this.problem = problem;
        this.loss = problem.loss();
        this.h = features.data;
        this.lambda = lambda;
        this.skip = skip;
        this.decay = skip && loss.classification() ? lambda : 0.0;   // A2b: the skip's weights are decayed
        this.n = problem.rows();
        this.k = features.numCols;
        this.m = problem.outputDim();
        this.d = problem.inputDim();
        this.cols = k + (skip ? 1 + d : 1);
        this.p = cols * m;
    }

    /**
     * Solves the restricted problem of {@code problem}'s loss once, from {@code amplitudes} (K x m) and {@code affine}
     * (laid out as {@link Outcome}'s; neither modified) to {@link GroupLasso#GAP_TOLERANCE}, looking at {@code stop}
     * every step. Null when the data made the least-squares iteration non-finite, or when a proximal Newton problem
     * is beyond {@link #MAX_UNKNOWNS} or {@link #MAX_WORK}.
     *
     * <p>The squared loss without weights is the one case solved apart: the affine part projected out of features and
     * targets ({@link AffineProjection}), one Gram matrix for every output, and the affine part afterwards the
     * least-squares fit of what the atoms leave. Speed does not decide it: a polish from random hyperplanes
     * (lambda 0.01, one output, medians of 5, a 2-core machine at load 5-11) of the same problem with weights of 1,
     * which takes proximal Newton, took 1.5-3.4x the least-squares time on diabetes (N = 442, K = 64 and 200) and
     * 0.75-1.06x on the planted 2-D task (N = 1,000), to the same objective in 15 digits. It stays because it keeps the
     * bits of every squared-loss fit and polishes up to {@code Polish.MAX_NEURONS} neurons with several outputs,
     * where proximal Newton declines beyond {@link #MAX_UNKNOWNS} unknowns.
     */
    public static Outcome restricted(FitProblem problem, DMatrixRMaj features, double lambda, boolean skip,
                                     double[] amplitudes, double[] affine, BooleanSupplier stop) {
        int m = problem.outputDim();
        if (problem.plainLeastSquares()) {
            AffineProjection projection = AffineProjection.of(problem.x(), skip);
            GroupLasso.Outcome solved = new GroupLasso(projection.project(features), projection.project(problem.y()), lambda)
                    .stopWhen(stop).solve(amplitudes);
            if (solved == null) {
                return null;
            }
            return new Outcome(solved.amplitudes(), leastSquaresAffine(problem, features, solved.amplitudes(), skip),
                    solved.primal(), solved.gap(), solved.iterations(), solved.converged());
        }
        long unknowns = (long) (features.numCols + 1 + (skip ? problem.inputDim() : 0)) * m;
        if (unknowns > MAX_UNKNOWNS || problem.rows() * unknowns * unknowns > MAX_WORK) {
            return null;
        }
        return new LossGroupLasso(problem, features, lambda, skip).stopWhen(stop)
                .solve(amplitudes, affine, GroupLasso.GAP_TOLERANCE);
    }

    /**
     * The least-squares affine part ({@code c0}, then {@code C} m x d with {@code skip}) of what the atoms
     * ({@code features} N x K, {@code amplitudes} K x m; neither modified) leave of the targets, by the pseudo-inverse
     * ({@code N <= d} is allowed): the affine part of a restricted least-squares solution.
     */
    public static double[] leastSquaresAffine(FitProblem problem, DMatrixRMaj features, double[] amplitudes,
                                              boolean skip) {
        int n = problem.rows();
        int m = problem.outputDim();
        int width = features.numCols;
        DMatrixRMaj rest = problem.y().copy();
        for (int q = 0; q < width; q++) {
            if (Vectors.norm(amplitudes, q * m, m) == 0) {
                continue;
            }
            for (int r = 0; r < n; r++) {
                double h = features.data[r * width + q];
                for (int i = 0; i < m; i++) {
                    rest.data[r * m + i] -= h * amplitudes[q * m + i];
                }
            }
        }
        return AffineProjection.leastSquares(problem.x(), rest, skip);
    }

    /** Makes {@link #solve} look at {@code stop} every step and return the point reached once it is true. Returns this. */
    public LossGroupLasso stopWhen(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /**
     * Adds fixed outputs {@code f0} (N x m row-major, not modified, not copied) to the model's, e.g. the neurons of an
     * affine refit ({@code AffineRefit}: this problem with no atoms). Returns this.
     */
    public LossGroupLasso withOffset(double[] f0) {
        this.offset = f0;
        return this;
    }

    /**
     * Solves from {@code amplitudes} and {@code affine} (see {@link Outcome}; not modified) to a restricted relative
     * gap of {@code tolerance}.
     */
    public Outcome solve(double[] amplitudes, double[] affine, double tolerance) {
        double[] theta = pack(amplitudes, affine);
        double[] f = new double[n * m];
        double[] grad = new double[p];
        double[] trial = new double[p];
        DMatrixRMaj hessian = new DMatrixRMaj(p, p);
        double current = objective(theta, f);
        double gap = gap(theta, current, f);
        int step = 0;
        double damping = 0;   // Levenberg: relative to the largest curvature; grows when a step is rejected
        // At least one step with atoms: a gap at rounding level does not set tiny groups to zero; the step's prox does.
        while (step < MAX_STEPS && (step == 0 && k > 0 || gap > tolerance * Math.max(1.0, Math.abs(current)))
                && !stop.getAsBoolean()) {
            step++;
            smoothDerivatives(theta, f, grad, hessian);
            boolean accepted = false;
            boolean stationary = false;
            for (int tries = 0; tries < 12 && !accepted && !stationary; tries++) {
                double[] direction = newtonDirection(theta, grad, hessian, damping);
                double decrease = 0;
                for (int i = 0; i < p && direction != null; i++) {
                    decrease += grad[i] * direction[i];
                }
                for (int g = 0; g < k && direction != null; g++) {
                    decrease += lambda * (groupNorm(theta, direction, 1.0, g) - groupNorm(theta, null, 0.0, g));
                }
                if (direction != null && !(decrease < -1e-16 * Math.max(1.0, Math.abs(current)))) {
                    // Stationary at working precision; the full step still sets to zero the groups the model zeroes
                    // (a negligible atom, e.g. a far hyperplane that is affine on the data), kept if J does not rise.
                    for (int i = 0; i < p; i++) {
                        trial[i] = theta[i] + direction[i];
                    }
                    zeroTinyGroups(trial, theta, direction);
                    double value = objective(trial, f);
                    if (value <= current) {
                        System.arraycopy(trial, 0, theta, 0, p);
                        current = value;
                    }
                    stationary = true;
                    break;
                }
                double t = 1.0;
                for (int attempt = 0; attempt < 20 && direction != null; attempt++) {
                    for (int i = 0; i < p; i++) {
                        trial[i] = theta[i] + t * direction[i];
                    }
                    if (t == 1.0) {
                        zeroTinyGroups(trial, theta, direction);
                    }
                    double value = objective(trial, f);
                    if (value <= current + ARMIJO * t * decrease) {
                        System.arraycopy(trial, 0, theta, 0, p);
                        current = value;
                        accepted = true;
                        break;
                    }
                    t *= 0.5;
                }
                // A model without curvature in some direction (Huber outside delta) overshoots: damp it and retry.
                damping = accepted ? (t == 1.0 ? damping * 0.1 : damping) : Math.max(1e-10, damping * 100);
            }
            if (!accepted) {
                break;
            }
            gap = gap(theta, objective(theta, f), f);
        }
        double[] a = Arrays.copyOf(theta, k * m);
        return new Outcome(a, unpackAffine(theta), current, gap, step, gap <= tolerance * Math.max(1.0, Math.abs(current)));
    }

    /** A full step sets exactly to zero the groups the inner solve set to zero (rounding leaves them tiny otherwise). */
    private void zeroTinyGroups(double[] trial, double[] theta, double[] direction) {
        for (int g = 0; g < k; g++) {
            if (groupNorm(theta, direction, 1.0, g) <= 1e-15 * (groupNorm(theta, null, 0.0, g) + 1e-300)) {
                Arrays.fill(trial, g * m, (g + 1) * m, 0.0);
            }
        }
    }

    /**
     * The proximal Newton direction: the unpenalized block {@code u} minimized out of the model,
     * {@code Q = H_pp - H_pu H_uu^-1 H_up}, {@code g' = g_p - H_pu H_uu^-1 g_u}; the Gram-form group lasso in the
     * amplitudes {@code a} with {@code c = Q A - g'}; then {@code delta_u = -H_uu^-1 (g_u + H_up delta_a)}. The Hessian
     * (not modified) is damped by {@code (1e-13 + damping)} times its largest diagonal entry. Null when the unpenalized
     * block is singular beyond the damping or the model's solve is not finite.
     */
    private double[] newtonDirection(double[] theta, double[] grad, DMatrixRMaj original, double damping) {
        int pa = k * m;
        int pu = p - pa;
        double largest = 0;
        for (int i = 0; i < p; i++) {
            largest = Math.max(largest, original.data[i * p + i]);
        }
        DMatrixRMaj hessian = original.copy();
        for (int i = 0; i < p; i++) {
            hessian.data[i * p + i] += (1e-13 + damping) * Math.max(1.0, largest);
        }
        DMatrixRMaj huu = CommonOps_DDRM.extract(hessian, pa, p, pa, p);
        DMatrixRMaj hup = new DMatrixRMaj(pu, pa);   // (no atoms: K = 0 is an affine refit)
        for (int r = 0; r < pu; r++) {
            System.arraycopy(hessian.data, (pa + r) * p, hup.data, r * pa, pa);
        }
        DMatrixRMaj gu = new DMatrixRMaj(pu, 1, true, Arrays.copyOfRange(grad, pa, p));
        // [H_uu^-1 H_up | H_uu^-1 g_u] in one solve
        DMatrixRMaj rhs = new DMatrixRMaj(pu, pa + 1);
        CommonOps_DDRM.insert(hup, rhs, 0, 0);
        CommonOps_DDRM.insert(gu, rhs, 0, pa);
        DMatrixRMaj solved = new DMatrixRMaj(pu, pa + 1);
        if (!CommonOps_DDRM.solveSPD(huu.copy(), rhs, solved) && !CommonOps_DDRM.solve(huu, rhs, solved)) {
            return null;
        }
        double[] direction = new double[p];
        if (pa > 0) {
            double[] q = new double[pa * pa];
            double[] c = new double[pa];
            for (int i = 0; i < pa; i++) {
                double gi = grad[i];
                for (int r = 0; r < pu; r++) {
                    gi -= hup.data[r * pa + i] * solved.data[r * (pa + 1) + pa];
                }
                for (int j = 0; j < pa; j++) {
                    double s = hessian.data[i * p + j];
                    for (int r = 0; r < pu; r++) {
                        s -= hup.data[r * pa + i] * solved.data[r * (pa + 1) + j];
                    }
                    q[i * pa + j] = s;
                }
                c[i] = -gi;
            }
            for (int i = 0; i < pa; i++) {
                for (int j = 0; j < pa; j++) {
                    c[i] += q[i * pa + j] * theta[j];
                }
            }
            GroupLasso.Outcome model = new GroupLasso(q, c, k, m, lambda).stopWhen(stop).solve(Arrays.copyOf(theta, pa));
            if (model == null) {
                return null;
            }
            double[] a = model.amplitudes();
            for (int i = 0; i < pa; i++) {
                direction[i] = a[i] - theta[i];
            }
        }
        for (int r = 0; r < pu; r++) {
            double s = solved.data[r * (pa + 1) + pa];
            for (int j = 0; j < pa; j++) {
                s += solved.data[r * (pa + 1) + j] * direction[j];
            }
            direction[pa + r] = -s;
        }
        return direction;
    }

    /** The smooth part's gradient (modified) and Hessian (modified) at theta; {@code f} holds the outputs after. */
    private void smoothDerivatives(double[] theta, double[] f, double[] grad, DMatrixRMaj hessian) {
        outputs(theta, f);
        double[] lossGradient = new double[n * m];
        double[] y = problem.y().data;
        double[] w = problem.sampleWeights();
        loss.gradient(f, 0, y, 0, w, 0, n, m, 1.0, lossGradient, 0);
        Arrays.fill(grad, 0.0);
        double[] hs = hessian.data;
        Arrays.fill(hs, 0.0);
        double[] phi = new double[cols];
        double[] local = new double[m * m];
        int t = problem.targetDim();
        for (int r = 0; r < n; r++) {
            row(r, phi);
            loss.hessian(f, r * m, y, r * t, m, local);
            double wr = w == null ? 1.0 : w[r];
            for (int a = 0; a < cols; a++) {
                double pa = phi[a];
                if (pa == 0) {
                    continue;
                }
                for (int i = 0; i < m; i++) {
                    grad[a * m + i] += pa * lossGradient[r * m + i];
                }
                for (int b = a; b < cols; b++) {
                    double ab = wr * pa * phi[b];
                    if (ab == 0) {
                        continue;
                    }
                    for (int i = 0; i < m; i++) {
                        int rowIndex = (a * m + i) * p + b * m;
                        for (int c = 0; c < m; c++) {
                            hs[rowIndex + c] += ab * local[i * m + c];
                        }
                    }
                }
            }
        }
        for (int a = 0; a < p; a++) {   // the upper block triangle into the lower
            for (int b = 0; b < a; b++) {
                if (b / m < a / m) {
                    hs[a * p + b] = hs[b * p + a];
                }
            }
        }
        for (int i = (k + 1) * m; i < p && decay > 0; i++) {
            grad[i] += decay * theta[i];
            hs[i * p + i] += decay;
        }
    }

    /** The objective at theta; {@code f} (modified) holds the outputs after. */
    private double objective(double[] theta, double[] f) {
        outputs(theta, f);
        double value = loss.value(f, problem.y().data, problem.sampleWeights(), n, m);
        double groups = 0;
        for (int g = 0; g < k; g++) {
            groups += groupNorm(theta, null, 0.0, g);
        }
        double c = 0;
        for (int i = (k + 1) * m; i < p && decay > 0; i++) {
            c += theta[i] * theta[i];
        }
        return value + lambda * groups + 0.5 * decay * c;
    }

    /** The restricted gap at theta with objective {@code primal}; {@code f} holds theta's outputs (not modified). */
    private double gap(double[] theta, double primal, double[] f) {
        if (lambda == 0) {
            return Double.POSITIVE_INFINITY;   // no dual bound without a penalty: the solve runs to stationarity
        }
        double dual = FenchelDual.overFeatures(problem, new DMatrixRMaj(n, m, true, f), lambda, skip,
                new DMatrixRMaj(n, k, true, h));
        return Math.max(0.0, primal - dual);
    }

    /** {@code F = H A + 1 c0^T (+ X C^T)} into {@code f} (N x m, modified). */
    private void outputs(double[] theta, double[] f) {
        double[] phi = new double[cols];
        for (int r = 0; r < n; r++) {
            row(r, phi);
            for (int i = 0; i < m; i++) {
                double s = offset == null ? 0.0 : offset[r * m + i];
                for (int a = 0; a < cols; a++) {
                    s += phi[a] * theta[a * m + i];
                }
                f[r * m + i] = s;
            }
        }
    }

    /** Row r of {@code [H, 1, X]} (or {@code [H, 1]}) into {@code phi}. */
    private void row(int r, double[] phi) {
        System.arraycopy(h, r * k, phi, 0, k);
        phi[k] = 1.0;
        if (skip) {
            System.arraycopy(problem.x().data, r * d, phi, k + 1, d);
        }
    }

    /** {@code ||theta_g + s dir_g||} (dir may be null). */
    private double groupNorm(double[] theta, double[] dir, double s, int g) {
        double sum = 0;
        for (int i = 0; i < m; i++) {
            double v = theta[g * m + i] + (dir == null ? 0.0 : s * dir[g * m + i]);
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    /** theta = [A | c0 | C^T by column of x]: entry {@code (k + 1 + j) m + i} is {@code C[i][j]}. */
    private double[] pack(double[] amplitudes, double[] affine) {
        double[] theta = new double[p];
        System.arraycopy(amplitudes, 0, theta, 0, k * m);
        System.arraycopy(affine, 0, theta, k * m, m);
        if (skip) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < d; j++) {
                    theta[(k + 1 + j) * m + i] = affine[m + i * d + j];
                }
            }
        }
        return theta;
    }

    private double[] unpackAffine(double[] theta) {
        double[] affine = new double[skip ? m + m * d : m];
        System.arraycopy(theta, k * m, affine, 0, m);
        if (skip) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < d; j++) {
                    affine[m + i * d + j] = theta[(k + 1 + j) * m + i];
                }
            }
        }
        return affine;
    }
}
