package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.CholeskyDelete;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.loss.Loss;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.dense.row.linsol.chol.LinearSolverChol_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The one restricted group lasso of every loss (theory C2, C3 with the hyperplanes fixed), in Gram form:
 * {@code min_A 1/2 <A, Q A> - <B, A> + lambda sum_k ||A_k||} over K groups {@code A_k} in R^m (A is K x m row-major),
 * so an iteration costs O(K^2 m) for least squares and O(K^2 m^2) for a model, whatever N is. Two problems take this
 * form:
 * <ul>
 *   <li>least squares without weights ({@link #GroupLasso(DMatrixRMaj, DMatrixRMaj, double)}): features {@code F}
 *   (N x K) and targets {@code T} (N x m) with the unpenalized columns projected out, {@code Q = F^T F} acting on every
 *   output alike (K x K), {@code B = F^T T}. The duality gap is known: {@code s = min(1, lambda / max_k ||F_k^T r||)}
 *   makes {@code s r} dual feasible ({@code r = T - F A}, T8) and {@code gap = P - D(s r)} with {@code D} the squared
 *   loss's dual value ({@link Loss#dualValue}, the one {@link FenchelDual} uses); it is screened in the loop by
 *   {@code D} written out in the Gram form, {@code s <r, T> - s^2 ||r||^2 / 2} (digits lost to cancellation when r is
 *   small next to T), and confirmed on the explicit residual before stopping at {@code gap <= tolerance * P} or the
 *   rounding floor {@code 1e-15 ||T||^2};</li>
 *   <li>the model of a proximal Newton step of any other loss ({@link LossGroupLasso}, A2b): {@code Q} (Km x Km) the
 *   Hessian with the unpenalized block eliminated; no dual point is at hand, so it stops when the KKT conditions hold
 *   to {@code tolerance * lambda}. Squared loss is the case where this model is exact.</li>
 * </ul>
 *
 * <p>FISTA (step {@code 1/L}, {@code L} the largest eigenvalue of Q by power iteration times a margin) with group
 * soft-thresholding and the gradient restart of O'Donoghue and Candes finds the support. ReLU features with nearby knots
 * make Q badly conditioned and FISTA's tail far too slow for a tight gap, so the exact solution on a support is tried:
 * for one output (a plain lasso) the finite feature-sign search runs first ({@link #featureSign}), and every
 * {@value #CHECK_EVERY} iterations the KKT equations on the current support and signs are solved; for a model with
 * several outputs Newton's method on the support (where the group norms are smooth) does the same, first from the
 * start. A try is kept when it does not raise the objective; each support (one output: support and signs) is solved
 * once. Least squares with several outputs runs FISTA alone: there Newton at every support FISTA passes through cost 3
 * to 7 times the solve (measured on 1-D ReLU features, N = 300-400, K = 60-150, m = 3), most supports being transient.
 *
 * <p>Work buffers are allocated once per instance; FISTA's step allocates nothing (the checks every
 * {@value #CHECK_EVERY} iterations and the support solves do).
 */
public final class GroupLasso {

    public static final double GAP_TOLERANCE = 1e-12;
    public static final int MAX_ITERATIONS = 50_000;
    /** The stopping rule of a proximal Newton model: KKT residual at most this times lambda. */
    static final double KKT_TOLERANCE = 1e-11;
    static final int MODEL_ITERATIONS = 3_000;
    static final int CHECK_EVERY = 20;
    static final int SUPPORT_STEPS = 30;
    static final int POWER_ITERATIONS = 300;
    static final double STEP_MARGIN = 1.05;
    /**
     * Feature-sign's near-dependence test (one output): a feature whose squared distance to the span of the active ones
     * before it is at most this fraction of its squared norm (a Cholesky pivot, {@link ActiveFactor}) makes the
     * active set's Gram matrix nearly singular, and its KKT solve is then rounding: the search steps along the near-null
     * vector instead ({@link #nullStep}). Column generation in two inputs at small lambda piles up such atoms
     * (hyperplanes through one data point whose patterns differ at points within rounding of them: singular values of
     * the projected features down to 1e-10 of the largest, TwoInputAutoTest's data at lambda 0.03), where FISTA's
     * 50,000 iterations left the restricted relative gap at 1.1e-6 and these steps closed it to 4e-13 in 15.
     */
    public static final double NEAR_NULL = 1e-12;
    /**
     * Feature-sign's looser test (one output) for an active set whose KKT solve made no progress: with a Cholesky pivot
     * at most this fraction of its diagonal the set is taken as optimal to rounding and an entering coordinate is tried;
     * on a better-conditioned set the search ends there as before and FISTA takes over. Tried everywhere, the retry ended
     * column generation's rounds from three inputs on sooner and higher, its local pricing claiming convergence from the
     * exact restricted optima (linnerud, five inputs, lambda 0.1, 41 one-ulp nudges of the targets: mean J 1.05118
     * against 1.04904 and median 25 rounds against 46, Mann-Whitney p = 0.002); with this test 1.04897 (p = 0.92), and
     * TwoInputAutoTest's data (lambda 0.03, 120 rows) still certifies without the cold fit (2.2e-8 of J, against 9e-9
     * with the retry everywhere).
     */
    static final double NEAR_DEPENDENT = 1e-6;
    /**
     * Least squares after a nearly dependent active set: the search's optimum is returned without FISTA only when its
     * gap is within this multiple of the one asked (the measured rounding was 1.1 times it); a larger gap goes on to
     * FISTA, so a KKT solve that made no progress on a singular set is never taken as the optimum unchecked.
     */
    static final double ROUNDING_SLACK = 100;

    /**
     * @param amplitudes the groups, K x m row-major
     * @param primal     least squares: {@code 1/2 ||F A - T||^2 + lambda sum ||A_k||}; a model: its value
     * @param gap        least squares: the duality gap; a model: the largest KKT residual
     */
    public record Outcome(double[] amplitudes, double primal, double gap, int iterations, boolean converged) {
    }

    private final double[] gram;      // K x K shared by the outputs (least squares, or m = 1), else Km x Km
    private final int order;          // K or Km: the side of gram
    private final double[] cross;     // B, K x m
    private final int width;
    private final int outputs;
    private final int size;
    private final double lambda;
    private final double tolerance;
    private final int maxIterations;
    private final DMatrixRMaj features;   // least squares only (null for a model)
    private final DMatrixRMaj targets;
    private final double[] columns;       // least squares: F transposed (K x N, column k of F at k N), else null
    private final double targetSquares;
    private final double[] residual;
    private final double[] correlation;
    private final double[] scratch;       // Km: Q A in value()
    private final double[] segmentPoint;  // K: a point on a feature-sign segment (one output)
    private double[] lastPattern;         // signs (one output) or support of the last support solve, null before
    private double[] lastSolved;          // its answer (null: none)
    private double lastSolvedPrimal = Double.NaN;   // P at lastSolved once measured (NaN: not yet)
    private ActiveFactor lastFactor;      // the last factorization (one output), whose rows the next one reuses
    private BooleanSupplier stop = () -> false;
    private boolean featureSignOptimal;   // the last feature-sign search ended at its optimum (no entering coordinate)
    private boolean featureSignSingular;  // ... and met a nearly dependent active set (NEAR_NULL, NEAR_DEPENDENT)

    /**
     * Least squares; {@code features} N x K and {@code targets} N x m are not modified (and not copied: keep them); a
     * transposed copy of the features (N K doubles) is kept for the residual's column passes.
     */
    public GroupLasso(DMatrixRMaj features, DMatrixRMaj targets, double lambda) {
        this(features, targets, lambda, GAP_TOLERANCE, MAX_ITERATIONS, null);
    }

    /**
     * Least squares stopping at {@code gap <= gapTolerance * P} (an outer method that needs less accuracy per solve)
     * after at most {@code maxIterations} FISTA iterations, with {@code F^T F} given ({@code gram}, K x K row-major, not
     * modified, not copied; null: computed here): an outer loop that adds and removes a few columns a round keeps it.
     * Each entry must be the plain sum over rows, in row order, that {@code multTransA} forms, for the same bits.
     */
    public GroupLasso(DMatrixRMaj features, DMatrixRMaj targets, double lambda, double gapTolerance, int maxIterations,
                      double[] gram) {
        this(gramOf(features, targets, gram), features.numCols, crossOf(features, targets), features.numCols,
                targets.numCols, lambda, gapTolerance, maxIterations, features, targets);
    }

    private static double[] gramOf(DMatrixRMaj features, DMatrixRMaj targets, double[] gram) {
        if (features.numRows != targets.numRows) {
            throw new IllegalArgumentException("features have " + features.numRows + " rows but targets " + targets.numRows);
        }
        int k = features.numCols;
        if (gram != null && gram.length < k * k) {
            throw new IllegalArgumentException("gram has length " + gram.length + ", expected " + k * k);
        }
        if (gram != null) {
            return gram;
        }
        DMatrixRMaj g = new DMatrixRMaj(k, k);
        CommonOps_DDRM.multTransA(features, features, g);
        return g.data;
    }

    private static double[] crossOf(DMatrixRMaj features, DMatrixRMaj targets) {
        DMatrixRMaj b = new DMatrixRMaj(features.numCols, targets.numCols);
        CommonOps_DDRM.multTransA(features, targets, b);
        return b.data;
    }

    /**
     * The model of a proximal Newton step: {@code q} (Km x Km row-major, PSD) and {@code c} (Km) not modified, not
     * copied; stops at the KKT residual {@value #KKT_TOLERANCE} lambda.
     */
    GroupLasso(double[] q, double[] c, int groups, int m, double lambda) {
        this(q, groups * m, c, groups, m, lambda, KKT_TOLERANCE, MODEL_ITERATIONS, null, null);
    }

    private GroupLasso(double[] gram, int order, double[] cross, int width, int outputs, double lambda, double tolerance,
                       int maxIterations, DMatrixRMaj features, DMatrixRMaj targets) {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and > 0, got " + lambda);
        }
        this.gram = gram;
        this.order = order;
        this.cross = cross;
        this.width = width;
        this.outputs = outputs;
        this.size = width * outputs;
        this.lambda = lambda;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.features = features;
        this.targets = targets;
        this.columns = features == null ? null : transpose(features);
        this.targetSquares = targets == null ? 0.0 : Vectors.dot(targets.data, targets.data);
        this.residual = targets == null ? null : new double[targets.data.length];
        this.correlation = new double[size];
        this.scratch = new double[size];
        this.segmentPoint = new double[outputs == 1 ? width : 0];
    }

    /**
     * Makes {@link #solve} look at {@code stop} at every feature-sign step and FISTA iteration and return the best point
     * so far, unconverged, once it is true (a cancelled fit). Returns this.
     */
    public GroupLasso stopWhen(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /** Solves from {@code start} (K x m row-major, not modified); null if the data made the iteration non-finite. */
    public Outcome solve(double[] start) {
        if (start.length != size) {
            throw new IllegalArgumentException("start has length " + start.length + ", expected " + size);
        }
        double[] v = start.clone();
        double[] best = start.clone();
        double[] initial = measure(v, true, correlation);
        double bestPrimal = initial[0];
        double bestGap = initial[1];
        double floor = 1e-15 * targetSquares;
        if (width == 0 || met(initial, floor)) {
            return new Outcome(best, bestPrimal, bestGap, 0, true);
        }
        int steps = 0;
        double[] solved = outputs == 1 ? null : supportSolution(v);   // null for least squares (FISTA alone)
        if (outputs == 1) {
            steps = featureSign(v);
        } else if (solved != null) {
            System.arraycopy(solved, 0, v, 0, size);
        }
        if (outputs == 1 || solved != null) {
            double[] pg = measure(v, true, correlation);
            if (Double.isFinite(pg[0]) && pg[0] <= bestPrimal) {
                bestPrimal = pg[0];
                bestGap = pg[1];
                System.arraycopy(v, 0, best, 0, size);
            }
            if (met(new double[] {bestPrimal, bestGap}, floor)) {
                return new Outcome(best, bestPrimal, bestGap, steps, true);
            }
            if (features != null && featureSignOptimal && featureSignSingular && pg[0] <= bestPrimal
                    && bestGap <= ROUNDING_SLACK * Math.max(tolerance * bestPrimal, floor)) {
                // Least squares at the search's optimum having met a nearly dependent active set (only there: elsewhere
                // FISTA runs as before, see NEAR_DEPENDENT for why the rest keeps its bits), within ROUNDING_SLACK of the
                // tolerance: what is left of the gap is the rounding of its KKT solves on nearly dependent features,
                // which FISTA's iterations do not close (measured: 2,000 of them left the relative gap at 1.1e-11
                // against 1.0e-11 asked, on N = 700, K = 250-330). Not converged: the tolerance itself was not met.
                return new Outcome(best, bestPrimal, bestGap, steps, false);
            }
            System.arraycopy(best, 0, v, 0, size);
        }
        double lipschitz = largestEigenvalue(gram, order) * STEP_MARGIN;
        if (!(lipschitz > 0)) {
            // Every feature is zero after projection (or a model's Hessian is): the groups cannot lower the objective,
            // so zero is optimal. A non-finite Q (NaN) lands here too and is reported by its own stopping test.
            double[] zero = new double[size];
            double[] pg = measure(zero, true, correlation);
            return new Outcome(zero, pg[0], pg[1], 0, met(pg, floor));
        }
        double gramFloor = Math.max(floor, 1e-13 * targetSquares);
        double[] previous = v.clone();
        double[] point = v.clone();
        double[] grad = new double[size];
        double t = 1.0;
        int iteration = 0;
        while (iteration < maxIterations && !stop.getAsBoolean()) {
            iteration++;
            gramTimes(point, grad);
            System.arraycopy(v, 0, previous, 0, size);
            for (int i = 0; i < size; i++) {
                v[i] = point[i] - (grad[i] - cross[i]) / lipschitz;
            }
            shrinkGroups(v, width, outputs, lambda / lipschitz);
            t = extrapolate(v, previous, point, size, t);
            if (iteration % CHECK_EVERY != 0) {
                continue;
            }
            solved = supportSolution(v);
            if (solved != null && solvedPrimal(solved) <= primal(v)) {
                System.arraycopy(solved, 0, v, 0, size);
                System.arraycopy(solved, 0, point, 0, size);
                t = 1.0;
            }
            double[] pg = measure(v, false, grad);
            if (!Double.isFinite(pg[0])) {
                // The step estimate was too long: restart from the best point with a longer safety margin.
                lipschitz *= 4.0;
                System.arraycopy(best, 0, v, 0, size);
                System.arraycopy(best, 0, point, 0, size);
                t = 1.0;
                continue;
            }
            if (pg[0] <= bestPrimal) {
                bestPrimal = pg[0];
                bestGap = pg[1];
                System.arraycopy(v, 0, best, 0, size);
            }
            if (met(pg, gramFloor)) {
                double[] exact = measure(v, true, correlation);   // the Gram form of the gap can be optimistic
                if (met(exact, floor)) {
                    return new Outcome(v.clone(), exact[0], exact[1], iteration, true);
                }
            }
        }
        if (!Double.isFinite(bestPrimal)) {
            return null;
        }
        double[] last = measure(best, true, correlation);
        return new Outcome(best, last[0], last[1], iteration, met(last, floor));
    }

    /** Whether {@code {P, gap}} from {@link #measure} meets the stopping rule (least squares: relative, or below floor). */
    private boolean met(double[] pg, double floor) {
        return features == null ? pg[1] <= tolerance * lambda : pg[1] <= Math.max(tolerance * pg[0], floor);
    }

    /**
     * {@code {P, gap}} at {@code v} (not modified). Least squares: from the explicit residual ({@code explicit}) or from
     * the Gram form, O(K^2 m): {@code ||r||^2 = ||T||^2 - 2 <V, B> + <V, G V>}, {@code <r, T> = ||T||^2 - <V, B>},
     * correlations {@code B - G V}. A model: its value and KKT residual. {@code work} (Km, modified) ends holding
     * {@code Q V} (a model) or, from the Gram form, the correlations (least squares; from the explicit residual they go
     * to this instance's correlation buffer, which every caller passes as {@code work}).
     */
    private double[] measure(double[] v, boolean explicit, double[] work) {
        if (features == null) {
            return new double[] {value(v), kkt(v, work)};
        }
        if (explicit) {
            return primalAndGap(v);
        }
        gramTimes(v, work);
        double vb = 0;
        double vgv = 0;
        for (int i = 0; i < size; i++) {
            vb += v[i] * cross[i];
            vgv += v[i] * work[i];
        }
        for (int i = 0; i < size; i++) {
            work[i] = cross[i] - work[i];
        }
        return primalAndGap(v, work, Math.max(0.0, targetSquares - 2 * vb + vgv), targetSquares - vb);
    }

    /**
     * P at a support solution from {@link #supportSolution} ({@code solved}): FISTA's tail is offered the same answer at
     * every check while its support stays, and its P (the explicit one of {@link #primal}) is measured once.
     */
    private double solvedPrimal(double[] solved) {
        if (Double.isNaN(lastSolvedPrimal) || !Arrays.equals(solved, lastSolved)) {
            double p = primal(solved);
            if (Arrays.equals(solved, lastSolved)) {
                lastSolvedPrimal = p;
            }
            return p;
        }
        return lastSolvedPrimal;
    }

    /** P at {@code v} (not modified): {@link #measure}'s first entry, without the correlations the gap needs. */
    private double primal(double[] v) {
        if (features == null) {
            return value(v);
        }
        return 0.5 * residualSquares(v) + lambda * penalty(v);
    }

    /**
     * {@code r = T - F V} into {@link #residual}, returning {@code ||r||^2}. Each entry subtracts its terms in the order
     * of the columns, as a sweep over the rows of F would, but only the columns with a nonzero amplitude are visited
     * (a zero term changes no bit), each a contiguous pass over N rows of {@link #columns} that the compiler vectorizes:
     * O(N nonzeros) where the row sweep was O(N K) with a dependency chain per row (issue 20: this sum at every check of
     * FISTA was over half of the restricted solve at K = 300-500, N = 700-1,000).
     */
    private double residualSquares(double[] v) {
        System.arraycopy(targets.data, 0, residual, 0, residual.length);
        addScaledRows(columns, width, features.numRows, v, outputs, -1.0, residual);
        double squares = 0;
        for (int i = 0; i < residual.length; i++) {
            squares += residual[i] * residual[i];
        }
        return squares;
    }

    /** Least squares: {@code {P, gap}} from the explicit residual {@code r = T - F V}. */
    private double[] primalAndGap(double[] v) {
        double[] f = features.data;
        double squares = residualSquares(v);
        // F^T r row by row of F: each correlation sums over the rows in order, a contiguous pass a row
        Arrays.fill(correlation, 0.0);
        for (int r = 0; r < features.numRows; r++) {
            int row = r * width;
            if (outputs == 1) {
                double g = residual[r];
                for (int k = 0; k < width; k++) {
                    correlation[k] += f[row + k] * g;
                }
                continue;
            }
            for (int k = 0; k < width; k++) {
                double h = f[row + k];
                for (int i = 0; i < outputs; i++) {
                    correlation[k * outputs + i] += h * residual[r * outputs + i];
                }
            }
        }
        double s = dualScale(correlation);
        for (int i = 0; i < residual.length; i++) {
            residual[i] *= s;
        }
        double primal = 0.5 * squares + lambda * penalty(v);
        double dual = Loss.squared().dualValue(residual, targets.data, null, features.numRows, outputs, scratch);
        return new double[] {primal, Math.max(0.0, primal - dual)};
    }

    /** F (N x K row-major) transposed: column k at {@code [k N, (k + 1) N)}. */
    private static double[] transpose(DMatrixRMaj f) {
        int n = f.numRows;
        int k = f.numCols;
        double[] t = new double[n * k];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < k; c++) {
                t[c * n + r] = f.data[r * k + c];
            }
        }
        return t;
    }

    /**
     * {@code {P, gap}} from {@code ||r||^2} ({@code squares}), {@code <r, T>} ({@code inner}) and the correlations
     * {@code F^T r} (K x m): the squared loss's dual value {@code <g, T> - ||g||^2 / 2} at {@code g = s r}
     * ({@link #dualScale}) written out in these sums, a screen before the explicit gap above.
     */
    private double[] primalAndGap(double[] v, double[] correlations, double squares, double inner) {
        double primal = 0.5 * squares + lambda * penalty(v);
        double s = dualScale(correlations);
        double dual = s * inner - 0.5 * s * s * squares;
        return new double[] {primal, Math.max(0.0, primal - dual)};
    }

    /**
     * {@code s = min(1, lambda / max_k ||F_k^T r||)} from the correlations {@code F^T r} (K x m): {@code s r} is the
     * largest multiple of {@code r} that is dual feasible (T8).
     */
    private double dualScale(double[] correlations) {
        double dualNorm = 0;
        for (int k = 0; k < width; k++) {
            dualNorm = Math.max(dualNorm, Vectors.norm(correlations, k * outputs, outputs));
        }
        return dualNorm > lambda ? lambda / dualNorm : 1.0;
    }

    /** {@code sum_k ||V_k||}. */
    private double penalty(double[] v) {
        double penalty = 0;
        for (int k = 0; k < width; k++) {
            penalty += Vectors.norm(v, k * outputs, outputs);
        }
        return penalty;
    }

    /** {@code 1/2 <V, Q V> - <B, V> + lambda sum ||V_k||} ({@code v} not modified). */
    private double value(double[] v) {
        gramTimes(v, scratch);
        double s = 0;
        for (int i = 0; i < size; i++) {
            s += 0.5 * v[i] * scratch[i] - cross[i] * v[i];
        }
        for (int k = 0; k < width; k++) {
            s += lambda * Vectors.norm(v, k * outputs, outputs);
        }
        return s;
    }

    /** The largest violation of the KKT conditions at {@code v} (not modified); {@code work} (Km) ends holding Q V. */
    private double kkt(double[] v, double[] work) {
        gramTimes(v, work);
        double worst = 0;
        for (int k = 0; k < width; k++) {
            double norm = Vectors.norm(v, k * outputs, outputs);
            double s = 0;
            for (int i = k * outputs; i < (k + 1) * outputs; i++) {
                double r = work[i] - cross[i] + (norm > 0 ? lambda * v[i] / norm : 0.0);
                s += r * r;
            }
            s = Math.sqrt(s);
            worst = Math.max(worst, norm > 0 ? s : Math.max(0.0, s - lambda));
        }
        return worst;
    }

    /**
     * Feature-sign search (Lee, Battle, Raina and Ng, 2006) for one output, in place on {@code v}: keep an active set
     * with signs; solve the KKT equations on it, {@code G_AA v_A = B_A - lambda sign_A}; move from the current point
     * towards that solution to the best point of the segment, checking every place where a coordinate crosses zero (it
     * leaves the active set); once the active set is optimal, add the inactive coordinate whose gradient most exceeds
     * {@code lambda}, or stop when none does. Without the steps below, every step lowers the objective and no active set
     * repeats, so it ends after finitely many steps; the null steps and the retry may leave the objective where it is,
     * so the limit of {@code 20 K + 100} steps is what ends it then (and guards against rounding). A nearly singular active set
     * ({@link #NEAR_NULL}) takes a {@link #nullStep} instead of its KKT solve (an active coordinate leaves, the objective
     * does not rise); a nearly dependent active set ({@link #NEAR_DEPENDENT}) whose KKT solve makes no progress (already
     * optimal to rounding) is taken as optimal and an entering coordinate is tried before giving up. Returns the number
     * of steps; {@link #featureSignOptimal} says whether it ended with no coordinate left to enter,
     * {@link #featureSignSingular} whether it met a nearly dependent set on the way.
     */
    private int featureSign(double[] v) {
        featureSignOptimal = false;
        featureSignSingular = false;
        int limit = 20 * width + 100;
        double[] grad = new double[width];
        double[] target = new double[width];
        int[] active = new int[width];
        boolean activeOptimal = false;
        int step = 0;
        for (; step < limit && !stop.getAsBoolean(); step++) {
            gramTimes(v, grad);
            int count = 0;
            for (int k = 0; k < width; k++) {
                grad[k] -= cross[k];
                if (v[k] != 0) {
                    active[count++] = k;
                }
            }
            int entering = -1;
            if (activeOptimal || count == 0) {
                double worst = lambda;
                for (int k = 0; k < width; k++) {
                    if (v[k] == 0 && Math.abs(grad[k]) > worst) {
                        worst = Math.abs(grad[k]);
                        entering = k;
                    }
                }
                if (entering < 0) {
                    featureSignOptimal = true;
                    return step;
                }
                active[count++] = entering;
            }
            // KKT on the active set with the current signs (the entering one takes the sign that lowers J).
            double[] signs = new double[count];
            for (int p = 0; p < count; p++) {
                signs[p] = active[p] == entering ? -Math.signum(grad[entering]) : Math.signum(v[active[p]]);
            }
            ActiveFactor factor = new ActiveFactor(active, count, lastFactor);   // the one factorization of this step
            lastFactor = factor;
            int pivot = count < 2 ? -1 : factor.firstPivot(NEAR_NULL);
            featureSignSingular |= pivot >= 0;
            if (pivot >= 0 && nullStep(v, grad, active, count, signs, entering, factor.nullVector(pivot))) {
                activeOptimal = false;
                continue;
            }
            double[] z = signedKkt(factor, signs, true);
            if (z == null) {
                return step;
            }
            System.arraycopy(v, 0, target, 0, width);
            for (int p = 0; p < count; p++) {
                if (!Double.isFinite(z[p])) {
                    return step;
                }
                target[active[p]] = z[p];
            }
            // Best point of the segment v -> target among its end and its zero crossings.
            double bestT = 1.0;
            double bestValue = lassoValue(target);
            int zeroed = -1;
            for (int p = 0; p < count; p++) {
                int kp = active[p];
                if (v[kp] != 0 && Math.signum(target[kp]) != Math.signum(v[kp])) {
                    double t = v[kp] / (v[kp] - target[kp]);
                    for (int k = 0; k < width; k++) {
                        segmentPoint[k] = v[k] + t * (target[k] - v[k]);
                    }
                    segmentPoint[kp] = 0.0;
                    double value = lassoValue(segmentPoint);
                    if (value < bestValue) {
                        bestValue = value;
                        bestT = t;
                        zeroed = kp;
                    }
                }
            }
            if (!(bestValue < lassoValue(v))) {
                if (entering < 0 && !activeOptimal && count >= 2 && factor.firstPivot(NEAR_DEPENDENT) >= 0) {
                    // A nearly dependent active set whose KKT solve is rounding: taken as optimal, try an entering one
                    // (only there, NEAR_DEPENDENT says why)
                    featureSignSingular = true;
                    activeOptimal = true;
                    continue;
                }
                return step;   // no progress left at working precision
            }
            boolean signsKept = true;
            for (int k = 0; k < width; k++) {
                double next = v[k] + bestT * (target[k] - v[k]);
                signsKept &= k == entering || v[k] == 0 || Math.signum(next) == Math.signum(v[k]);
                v[k] = next;
            }
            if (zeroed >= 0) {
                v[zeroed] = 0.0;
            }
            activeOptimal = bestT == 1.0 && signsKept;
        }
        return step;
    }

    /**
     * One output: when the Gram matrix on {@code set[0..count)} is (nearly) singular, the step along its near-null
     * vector z that leaves the fitted values (nearly) where they are and changes the penalty linearly, oriented downhill
     * for {@code grad + lambda signs} and taken until the first active coordinate reaches zero (it leaves); kept when
     * the objective does not rise. {@code z} is the set's near-null vector ({@link ActiveFactor#nullVector},
     * modified). Returns whether it moved {@code v} (modified then).
     */
    private boolean nullStep(double[] v, double[] grad, int[] set, int count, double[] signs, int entering,
                             double[] z) {
        double slope = 0;
        for (int p = 0; p < count; p++) {
            slope += (grad[set[p]] + lambda * signs[p]) * z[p];
        }
        if (slope > 0) {
            for (int p = 0; p < count; p++) {
                z[p] = -z[p];
            }
        }
        double step = Double.POSITIVE_INFINITY;
        int leaving = -1;
        for (int p = 0; p < count; p++) {
            if (set[p] == entering) {
                if (z[p] * signs[p] < 0) {
                    return false;   // the entering coordinate would take the other sign: not the linear model
                }
                continue;
            }
            if (z[p] != 0 && Math.signum(z[p]) != signs[p]) {
                double t = Math.abs(v[set[p]] / z[p]);
                if (t < step) {
                    step = t;
                    leaving = p;
                }
            }
        }
        if (leaving < 0) {
            return false;
        }
        double[] moved = v.clone();
        for (int p = 0; p < count; p++) {
            moved[set[p]] += step * z[p];
        }
        moved[set[leaving]] = 0.0;
        for (int p = 0; p < count; p++) {
            if (moved[set[p]] != 0 && Math.signum(moved[set[p]]) != signs[p]) {
                return false;
            }
        }
        if (!(lassoValue(moved) <= lassoValue(v))) {
            return false;
        }
        System.arraycopy(moved, 0, v, 0, width);
        return true;
    }

    /**
     * One output: the Cholesky factorization {@code G = L L^T} of the Gram matrix on {@code set[0..count)} (in that
     * order), computed once per feature-sign step for both its KKT solve ({@link #signedKkt}) and its near-dependence
     * tests ({@link #NEAR_NULL}, {@link #NEAR_DEPENDENT}). The arithmetic is EJML's inner-product Cholesky
     * ({@code LinearSolverFactory_DDRM.chol} below 1,000 columns: {@code L_jp = (G_jp - sum_r L_pr L_jr) (1 / L_pp)},
     * stopping at the first pivot that is not positive), so a factor formed from scratch, or by appending to one never
     * rotated, has that solver's bits below 1,000 active columns (from there EJML would factor by blocks); one with
     * members deleted ({@link CholeskyDelete}), and any factor appended to it, agrees with it to rounding. Each squared pivot {@code G_pp - sum_r L_pr^2} (after a
     * deletion: {@code L_pp^2}) is kept before its square root for the tests.
     */
    final class ActiveFactor {   // package-private for its tests (GroupLassoWarmTest, ActiveFactorTest)
        final int[] set;
        final int count;
        final double[] lower;    // L, count x count row-major, zero above the diagonal
        final double[] pivots;   // squared pivots, up to the first that is not positive
        final int factored;      // columns of L computed: count unless a pivot was not positive

        ActiveFactor(int[] set, int count) {
            this(set, count, null);
        }

        /**
         * As {@link #ActiveFactor(int[], int)}, from the factor {@code previous} (may be null) where the two sets agree:
         * {@code set} begins with a stretch of {@code previous}'s factored set with some of its members left out, in
         * its order. Without members left out those rows are the ones this factorization would compute, to the bit (row
         * j of L depends only on {@code set[0..j]}); each member left out is deleted from the factor by Givens rotations
         * ({@link CholeskyDelete}, O(K^2) each, the same Gram matrix to rounding but not the same bits). Only the rows
         * after that stretch are formed, so a feature-sign step that drops an atom, or enters one (appended last),
         * costs O(K^2) where the whole factorization is O(K^3) (issue 20); the step after an entering one, its atom
         * now in index order, re-forms the rows from its place. Keeping the sets in the factor's order instead (every
         * step O(K^2)) took other courses on nearly dependent two-input sets and ended TwoInputAutoTest's 160 rows at
         * lambda 0.01 at a gap of 2.2e-6 to 3.1e-6 of J against 3.9e-7 (6.3e-7 with this order). {@code set} is
         * copied (feature-sign reuses its array).
         */
        ActiveFactor(int[] set, int count, ActiveFactor previous) {
            this.set = Arrays.copyOf(set, count);
            this.count = count;
            this.lower = new double[count * count];
            this.pivots = new double[count];
            int shared = 0;
            if (previous != null) {
                boolean[] member = new boolean[width];
                for (int p = 0; p < count; p++) {
                    member[set[p]] = true;
                }
                int kept = 0;
                int end = 0;
                int deleted = 0;
                int[] leaving = new int[previous.factored];
                for (; end < previous.factored; end++) {
                    int atom = previous.set[end];
                    if (kept < count && set[kept] == atom) {
                        kept++;
                    } else if (!member[atom]) {
                        leaving[deleted++] = end;
                    } else {
                        break;   // out of order: the stretch ends here
                    }
                }
                if (deleted == 0) {
                    for (int j = 0; j < kept; j++) {
                        System.arraycopy(previous.lower, j * previous.count, lower, j * count, j + 1);
                        pivots[j] = previous.pivots[j];
                    }
                } else {
                    double[] work = new double[end * end];
                    for (int j = 0; j < end; j++) {
                        System.arraycopy(previous.lower, j * previous.count, work, j * end, j + 1);
                    }
                    for (int q = deleted - 1; q >= 0; q--) {   // the last first: the rows before it stay put
                        CholeskyDelete.deleteRow(work, end - deleted + q + 1, end, leaving[q]);
                    }
                    int unchanged = leaving[0];
                    for (int j = 0; j < kept; j++) {
                        System.arraycopy(work, j * end, lower, j * count, j + 1);
                        double diagonal = lower[j * count + j];
                        pivots[j] = j < unchanged ? previous.pivots[j] : diagonal * diagonal;
                        if (j >= unchanged && pivots[j] <= count * 0x1p-52 * gram[set[j] * width + set[j]]) {
                            // A rotated pivot within the rounding of a fresh one (that could come out not positive and
                            // stop the factorization, sending the KKT solve to the minimum-norm one): formed afresh
                            // from here, so such sets get the same test as a fresh factorization, to rounding (a
                            // rounding-level pivot may go either way, as it may in a fresh one).
                            Arrays.fill(lower, j * count, (j + 1) * count, 0.0);
                            kept = j;
                            break;
                        }
                    }
                }
                shared = kept;
            }
            this.factored = factorRows(shared);
        }

        /**
         * Rows {@code from..count} of L by rows, the same arithmetic and order of terms as the inner-product Cholesky by
         * columns ({@code L_jp = (G_{set p, set j} - sum_{r < p} L_pr L_jr) (1 / L_pp)}, the pivot before its square root):
         * a pivot that is not positive ends the factorization there, and the rows below it keep only the columns before
         * it, as the column order leaves them. Returns the number of factored columns.
         */
        private int factorRows(int from) {
            int failed = count;
            for (int j = from; j < count; j++) {
                int columns = Math.min(j, failed);
                for (int p = 0; p < columns; p++) {
                    double sum = gram[set[p] * width + set[j]];
                    for (int r = 0; r < p; r++) {
                        sum -= lower[p * count + r] * lower[j * count + r];
                    }
                    lower[j * count + p] = sum * (1.0 / lower[p * count + p]);
                }
                if (failed < count) {
                    continue;
                }
                double sum = gram[set[j] * width + set[j]];
                for (int r = 0; r < j; r++) {
                    sum -= lower[j * count + r] * lower[j * count + r];
                }
                pivots[j] = sum;
                if (sum <= 0.0) {
                    failed = j;
                    continue;
                }
                lower[j * count + j] = Math.sqrt(sum);
            }
            return failed;
        }

        /**
         * The first pivot p whose squared value is at most {@code threshold} times {@code G_pp} (feature p lies within
         * {@code sqrt(threshold)} of the span of the ones before it, relative to its norm), -1 if none; a pivot that
         * stopped the factorization is one.
         */
        int firstPivot(double threshold) {
            for (int p = 0; p < Math.min(factored + 1, count); p++) {
                if (pivots[p] <= threshold * gram[set[p] * width + set[p]]) {
                    return p;
                }
            }
            return -1;
        }

        /**
         * The near-null vector of pivot p ({@link #firstPivot}): {@code z = [-A^{-1} b; 1; 0...]} with A the leading
         * block and b the column of p above it, {@code G z = [0; pivot; ...]}: {@code z_p = 1} and
         * {@code z_0..p-1 = -L1^{-T} l_p} by back substitution on the leading factor.
         */
        double[] nullVector(int p) {
            double[] z = new double[count];
            z[p] = 1.0;
            for (int r = p - 1; r >= 0; r--) {
                double t = -lower[p * count + r];
                for (int c = r + 1; c < p; c++) {
                    t -= lower[c * count + r] * z[c];
                }
                z[r] = t / lower[r * count + r];
            }
            return z;
        }

        /** {@code G z = rhs} (count x 1, not modified) into {@code z}; false when the factorization stopped. */
        boolean solve(DMatrixRMaj rhs, DMatrixRMaj z) {
            if (factored < count) {
                return false;
            }
            LinearSolverChol_DDRM.solveLower(DMatrixRMaj.wrap(count, count, lower), rhs, z, new double[count]);
            return true;
        }
    }

    /** {@code 1/2 v'Gv - B'v + lambda ||v||_1} (one output), the lasso objective up to a constant. */
    private double lassoValue(double[] v) {
        double quad = 0;
        double lin = 0;
        double l1 = 0;
        for (int k = 0; k < width; k++) {
            if (v[k] == 0) {
                continue;
            }
            double row = 0;
            for (int j = 0; j < width; j++) {
                row += gram[k * width + j] * v[j];
            }
            quad += v[k] * row;
            lin += cross[k] * v[k];
            l1 += Math.abs(v[k]);
        }
        return 0.5 * quad - lin + lambda * l1;
    }

    /**
     * {@code out = Q v} (K x m; {@code v} not modified). Q is symmetric to the bit when it is {@code multTransA}'s Gram
     * matrix, so {@code (Q v)_k = sum_j Q_jk v_j} is accumulated row by row of Q, in the same order of j as a dot product
     * of row k would, and a zero {@code v_j} (most groups of a sparse iterate) is skipped: adding {@code +-0} to a sum
     * changes no bit. Contiguous rows that the compiler vectorizes, O(K x nonzeros). A full model Q (Km x Km) is the
     * case of one output per row.
     */
    private void gramTimes(double[] v, double[] out) {
        Arrays.fill(out, 0, size, 0.0);
        addScaledRows(gram, order, order, v, order == width ? outputs : 1, 1.0, out);
    }

    /**
     * {@code out[t m + i] += sign c_ji matrix[j length + t]} for every row j < {@code rows} of {@code matrix} (row-major,
     * {@code length} columns) and output i < m with {@code c_ji = coefficients[j m + i]} nonzero ({@code out} modified,
     * the rest not): the rows in order, each a contiguous pass the compiler vectorizes, a zero coefficient skipped
     * (adding {@code +-0} changes no bit); {@code sign} is 1 or -1 (negation is exact, so -1 subtracts to the bit).
     * The restricted solve's two products: {@code Q v} over the rows of the symmetric Q, and {@code T - F V} over the
     * rows of F transposed.
     */
    private static void addScaledRows(double[] matrix, int rows, int length, double[] coefficients, int m, double sign,
                                      double[] out) {
        for (int j = 0; j < rows; j++) {
            int row = j * length;
            for (int i = 0; i < m; i++) {
                double c = sign * coefficients[j * m + i];
                if (c == 0) {
                    continue;
                }
                if (m == 1) {
                    for (int t = 0; t < length; t++) {
                        out[t] += matrix[row + t] * c;
                    }
                } else {
                    for (int t = 0; t < length; t++) {
                        out[t * m + i] += matrix[row + t] * c;
                    }
                }
            }
        }
    }

    /** Entry (i, j) of Q as a Km x Km matrix. */
    private double gramAt(int i, int j) {
        if (order == size) {
            return gram[i * size + j];
        }
        return i % outputs == j % outputs ? gram[i / outputs * width + j / outputs] : 0.0;
    }

    /**
     * FISTA's extrapolation {@code point = v + (t - 1) / t' (v - previous)} with the gradient restart of O'Donoghue and
     * Candes (the momentum is dropped, {@code t = 1}, when it points uphill: {@code (point - v) . (v - previous) > 0},
     * with {@code point} the last extrapolated point); {@code point} is modified, the next {@code t'} returned.
     */
    private static double extrapolate(double[] v, double[] previous, double[] point, int size, double t) {
        double uphill = 0;
        for (int i = 0; i < size; i++) {
            uphill += (point[i] - v[i]) * (v[i] - previous[i]);
        }
        double from = uphill > 0 ? 1.0 : t;
        double tNext = 0.5 * (1.0 + Math.sqrt(1.0 + 4.0 * from * from));
        double beta = (from - 1.0) / tNext;
        for (int i = 0; i < size; i++) {
            point[i] = v[i] + beta * (v[i] - previous[i]);
        }
        return tNext;
    }

    /** Group soft-thresholding {@code v_k <- max(0, 1 - threshold / ||v_k||) v_k} over K groups of m, in place. */
    private static void shrinkGroups(double[] v, int groups, int m, double threshold) {
        for (int k = 0; k < groups; k++) {
            double norm = Vectors.norm(v, k * m, m);
            double shrink = norm > threshold ? 1.0 - threshold / norm : 0.0;
            for (int i = 0; i < m; i++) {
                v[k * m + i] *= shrink;
            }
        }
    }

    /**
     * The exact solution on the support of {@code v} (one output: with its signs), or null. FISTA's tail keeps one
     * support over many checks and the answer depends on nothing else (Q and B are fixed), so the last one is kept and
     * a factorization, O((K m)^3), runs only when the support changes.
     */
    private double[] supportSolution(double[] v) {
        if (outputs > 1 && features != null) {
            return null;   // least squares with several outputs: FISTA alone (see the class comment)
        }
        double[] pattern = new double[width];
        for (int k = 0; k < width; k++) {
            pattern[k] = outputs == 1 ? (v[k] > 0 ? 1 : v[k] < 0 ? -1 : 0) : Vectors.norm(v, k * outputs, outputs) > 0 ? 1 : 0;
        }
        if (Arrays.equals(pattern, lastPattern)) {
            // Tried already: FISTA has to change the support first (a least-squares lasso offers the answer again).
            return features == null || outputs > 1 || lastSolved == null ? null : lastSolved.clone();
        }
        lastPattern = pattern;
        lastSolvedPrimal = Double.NaN;
        lastSolved = outputs == 1 ? signedSolution(v) : supportNewton(v);
        return lastSolved == null ? null : lastSolved.clone();
    }

    /** One output: the KKT equations {@code G_SS v_S = B_S - lambda sign(v_S)} on the support; null if signs change. */
    private double[] signedSolution(double[] v) {
        int[] support = support(v);
        double[] signs = new double[support.length];
        for (int p = 0; p < support.length; p++) {
            signs[p] = Math.signum(v[support[p]]);
        }
        double[] z = null;
        if (support.length > 0) {
            lastFactor = new ActiveFactor(support, support.length, lastFactor);
            z = signedKkt(lastFactor, signs, false);
        }
        double[] out = new double[width];
        for (int p = 0; p < support.length && z != null; p++) {
            if (!Double.isFinite(z[p]) || Math.signum(z[p]) != signs[p]) {
                return null;
            }
            out[support[p]] = z[p];
        }
        return z == null ? null : out;
    }

    /**
     * One output: {@code G_SS z = B_S - lambda signs} on the coordinates of {@code factor} by its Cholesky factor, else
     * (with {@code minimumNorm}; dependent features, e.g. atoms of one activation pattern) the minimum-norm solution,
     * which still gives feature-sign a descent segment. Null when neither applies.
     */
    private double[] signedKkt(ActiveFactor factor, double[] signs, boolean minimumNorm) {
        int count = factor.count;
        int[] set = factor.set;
        DMatrixRMaj rhs = new DMatrixRMaj(count, 1);
        for (int p = 0; p < count; p++) {
            rhs.data[p] = cross[set[p]] - lambda * signs[p];
        }
        DMatrixRMaj z = new DMatrixRMaj(count, 1);
        if (factor.solve(rhs, z)) {
            return z.data;
        }
        DMatrixRMaj a = new DMatrixRMaj(count, count);
        for (int p = 0; p < count; p++) {
            for (int q = 0; q < count; q++) {
                a.data[p * count + q] = gram[set[p] * width + set[q]];
            }
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
        if (!minimumNorm || !solver.setA(a)) {
            return null;
        }
        solver.solve(rhs, z);
        return z.data;
    }

    /**
     * Newton's method on the support of {@code a} (not modified), where the group norms are smooth: Hessian
     * {@code Q_SS + lambda (I / ||a_k|| - a_k a_k^T / ||a_k||^3)} per group, steps halved until the objective decreases.
     * Null without a support or without progress.
     */
    private double[] supportNewton(double[] a) {
        int[] support = support(a);
        if (support.length == 0) {
            return null;
        }
        int m = outputs;
        int s = support.length * m;
        double[] x = a.clone();
        double current = value(x);
        double[] qx = new double[size];
        double[] trial = new double[size];
        DMatrixRMaj hess = new DMatrixRMaj(s, s);
        DMatrixRMaj grad = new DMatrixRMaj(s, 1);
        DMatrixRMaj delta = new DMatrixRMaj(s, 1);
        boolean moved = false;
        for (int step = 0; step < SUPPORT_STEPS; step++) {
            gramTimes(x, qx);
            double largest = 0;
            for (int u = 0; u < support.length; u++) {
                int g = support[u];
                double norm = Vectors.norm(x, g * m, m);
                if (!(norm > 0)) {
                    return moved ? x : null;
                }
                for (int i = 0; i < m; i++) {
                    int row = u * m + i;
                    int gi = g * m + i;
                    grad.data[row] = qx[gi] - cross[gi] + lambda * x[gi] / norm;
                    for (int col = 0; col < s; col++) {
                        hess.data[row * s + col] = gramAt(gi, support[col / m] * m + col % m);
                    }
                    for (int j = 0; j < m; j++) {
                        hess.data[row * s + u * m + j] += lambda * ((i == j ? 1.0 : 0.0) / norm
                                - x[gi] * x[g * m + j] / (norm * norm * norm));
                    }
                    largest = Math.max(largest, hess.data[row * s + row]);
                }
            }
            double gradNorm = 0;
            for (int i = 0; i < s; i++) {
                hess.data[i * s + i] += 1e-14 * largest;
                gradNorm = Math.max(gradNorm, Math.abs(grad.data[i]));
            }
            if (gradNorm <= KKT_TOLERANCE * lambda) {
                return x;   // stationary on the support
            }
            if (!CommonOps_DDRM.solveSPD(hess.copy(), grad, delta) && !CommonOps_DDRM.solve(hess, grad, delta)) {
                break;
            }
            boolean improved = false;
            System.arraycopy(x, 0, trial, 0, size);
            double t = 1.0;
            for (int attempt = 0; attempt < 30 && !improved; attempt++, t *= 0.5) {
                for (int r = 0; r < s; r++) {
                    trial[support[r / m] * m + r % m] = x[support[r / m] * m + r % m] - t * delta.data[r];
                }
                double v = value(trial);
                if (v < current) {
                    current = v;
                    System.arraycopy(trial, 0, x, 0, size);
                    improved = true;
                    moved = true;
                }
            }
            if (!improved) {
                break;
            }
        }
        return moved ? x : null;
    }

    /** The groups of {@code v} with a nonzero norm, ascending. */
    private int[] support(double[] v) {
        return java.util.stream.IntStream.range(0, width).filter(k -> Vectors.norm(v, k * outputs, outputs) > 0).toArray();
    }

    /**
     * Largest eigenvalue of a symmetric PSD matrix ({@code size x size} row-major, not modified) by power iteration
     * (Rayleigh quotient) from a fixed start, 0 for a zero matrix.
     */
    private static double largestEigenvalue(double[] matrix, int size) {
        double[] x = new double[size];
        double[] y = new double[size];
        for (int k = 0; k < size; k++) {
            x[k] = 1.0 + 1.0 / (k + 1.0);   // deterministic, not orthogonal to a non-negative Perron vector
        }
        double estimate = 0;
        for (int it = 0; it < POWER_ITERATIONS; it++) {
            double norm = Vectors.norm(x);
            if (norm == 0) {
                return 0;
            }
            for (int k = 0; k < size; k++) {
                x[k] /= norm;
            }
            Vectors.rowDots(matrix, size, size, x, y);
            estimate = Vectors.dot(x, y);
            double[] swap = x;
            x = y;
            y = swap;
        }
        return estimate;
    }
}
