package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.Vectors;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * {@code min_V 1/2 ||F V - T||^2 + lambda sum_k ||V_k||} (rows {@code V_k} in R^m are the groups): the
 * convex subproblem of the polish of theory C3 (features {@code F}, N x K, and targets {@code T}, N x m,
 * with the unpenalized columns already projected out).
 *
 * <p>FISTA on the Gram form ({@code G = F^T F}, {@code B = F^T T}, so an iteration costs O(K^2 m), not
 * O(N K m)) with step {@code 1/L}, {@code L} the largest eigenvalue of {@code G} by power iteration (times a
 * small safety margin), group soft-thresholding as the proximal map, and the gradient restart of
 * O'Donoghue and Candes. Every {@value #CHECK_EVERY} iterations the duality gap is computed (from the Gram
 * form inside the loop, from the explicit residual {@code r = T - F V} for the reported result): {@code s = min(1, lambda / max_k ||F_k^T r||)} makes {@code s r}
 * dual feasible, and {@code gap = P(V) - (s <r, T> - s^2 ||r||^2 / 2) >= 0} with equality exactly at the
 * optimum. The solve stops when {@code gap <= GAP_TOLERANCE * P} or below the rounding floor
 * {@code 1e-15 ||T||^2}, checked on the explicit residual whenever the cheaper Gram form says so.
 *
 * <p>For one output (a plain lasso) the exact feature-sign search runs first ({@link #featureSign}); FISTA
 * only takes over if its result does not meet the gap tolerance. ReLU features with nearby knots make
 * {@code G} badly conditioned, and FISTA's tail is then far too slow for a tight gap. Inside FISTA, every
 * check also tries the exact solution of the KKT equations on the current support with the current signs.
 *
 * <p>Work buffers are allocated once per instance; the iteration itself allocates nothing.
 */
public final class GroupLasso {

    public static final double GAP_TOLERANCE = 1e-12;
    public static final int MAX_ITERATIONS = 50_000;
    static final int CHECK_EVERY = 20;
    static final int POWER_ITERATIONS = 300;
    static final double STEP_MARGIN = 1.05;

    /**
     * @param amplitudes the groups, K x m row-major
     * @param primal     {@code 1/2 ||F V - T||^2 + lambda sum ||V_k||} at {@code amplitudes}
     * @param gap        duality gap there
     */
    public record Outcome(double[] amplitudes, double primal, double gap, int iterations, boolean converged) {
    }

    private final DMatrixRMaj features;
    private final DMatrixRMaj targets;
    private final double lambda;
    private final double gapTolerance;
    private final int maxIterations;
    private final int rows;
    private final int width;
    private final int outputs;
    private final double[] gram;
    private final double[] cross;
    private final double targetSquares;
    private final double[] residual;
    private final double[] correlation;
    private final double[] segmentPoint;   // K: a point on a feature-sign segment (one output)
    private double[] lastSigns;            // K: the signs of the last refineOnSupport call, null before
    private double[] lastRefined;          // its answer (null: no solution with those signs)
    private BooleanSupplier stop = () -> false;

    /** {@code features} N x K and {@code targets} N x m are not modified (and not copied: keep them unchanged). */
    public GroupLasso(DMatrixRMaj features, DMatrixRMaj targets, double lambda) {
        this(features, targets, lambda, GAP_TOLERANCE, MAX_ITERATIONS);
    }

    /**
     * As {@link #GroupLasso(DMatrixRMaj, DMatrixRMaj, double)}, stopping at {@code gap <= gapTolerance * P} instead of
     * {@link #GAP_TOLERANCE} (an outer method that needs less accuracy per solve) and after at most
     * {@code maxIterations} FISTA iterations (warm-started outer loops need fewer).
     */
    public GroupLasso(DMatrixRMaj features, DMatrixRMaj targets, double lambda, double gapTolerance, int maxIterations) {
        this(features, targets, lambda, gapTolerance, maxIterations, null);
    }

    /**
     * As {@link #GroupLasso(DMatrixRMaj, DMatrixRMaj, double, double, int)} with {@code F^T F} given ({@code gram}, K x K
     * row-major, not modified, not copied; null: computed here): an outer loop that adds and removes a few columns a
     * round keeps it. Each entry must be the plain sum over rows, in row order, that {@code multTransA} forms, for the
     * same results to the bit.
     */
    public GroupLasso(DMatrixRMaj features, DMatrixRMaj targets, double lambda, double gapTolerance, int maxIterations,
                      double[] gram) {
        if (features.numRows != targets.numRows) {
            throw new IllegalArgumentException("features have " + features.numRows + " rows but targets " + targets.numRows);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and > 0, got " + lambda);
        }
        this.features = features;
        this.targets = targets;
        this.lambda = lambda;
        this.gapTolerance = gapTolerance;
        this.maxIterations = maxIterations;
        this.rows = features.numRows;
        this.width = features.numCols;
        this.outputs = targets.numCols;
        if (gram != null && gram.length < width * width) {
            throw new IllegalArgumentException("gram has length " + gram.length + ", expected " + width * width);
        }
        if (gram == null) {
            DMatrixRMaj g = new DMatrixRMaj(width, width);
            CommonOps_DDRM.multTransA(features, features, g);
            gram = g.data;
        }
        DMatrixRMaj b = new DMatrixRMaj(width, outputs);
        CommonOps_DDRM.multTransA(features, targets, b);
        this.gram = gram;
        this.cross = b.data;
        double s = 0;
        for (int i = 0; i < rows * outputs; i++) {
            s += targets.data[i] * targets.data[i];
        }
        this.targetSquares = s;
        this.residual = new double[rows * outputs];
        this.correlation = new double[width * outputs];
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
        int size = width * outputs;
        if (start.length != size) {
            throw new IllegalArgumentException("start has length " + start.length + ", expected " + size);
        }
        double[] v = start.clone();
        double[] best = start.clone();
        double[] initial = primalAndGap(v);
        double bestPrimal = initial[0];
        double bestGap = initial[1];
        double floor = 1e-15 * targetSquares;
        if (width == 0 || bestGap <= Math.max(gapTolerance * bestPrimal, floor)) {
            return new Outcome(best, bestPrimal, bestGap, 0, true);
        }
        if (outputs == 1) {
            // A plain lasso: the exact, finite feature-sign search; FISTA below only if it could not finish.
            int steps = featureSign(v);
            double[] pg = primalAndGap(v);
            if (Double.isFinite(pg[0]) && pg[0] <= bestPrimal) {
                bestPrimal = pg[0];
                bestGap = pg[1];
                System.arraycopy(v, 0, best, 0, size);
            }
            if (bestGap <= Math.max(gapTolerance * bestPrimal, floor)) {
                return new Outcome(best, bestPrimal, bestGap, steps, true);
            }
            System.arraycopy(best, 0, v, 0, size);
        }
        double lipschitz = largestEigenvalue(gram, width) * STEP_MARGIN;
        if (!(lipschitz > 0)) {
            // Every feature is zero after projection: the groups cannot change the fit, so zero is optimal.
            double[] zero = new double[size];
            double[] pg = primalAndGap(zero);
            return new Outcome(zero, pg[0], pg[1], 0, true);
        }
        // The Gram form of the checks loses digits to cancellation when the residual is small next to T.
        double gramFloor = Math.max(floor, 1e-13 * targetSquares);
        double[] previous = v.clone();
        double[] point = v.clone();
        double[] grad = new double[size];
        double t = 1.0;
        int iteration = 0;
        while (iteration < maxIterations && !stop.getAsBoolean()) {
            iteration++;
            gramTimes(point, grad);
            for (int i = 0; i < size; i++) {
                grad[i] -= cross[i];
            }
            System.arraycopy(v, 0, previous, 0, size);
            for (int i = 0; i < size; i++) {
                v[i] = point[i] - grad[i] / lipschitz;
            }
            shrinkGroups(v, width, outputs, lambda / lipschitz);
            t = extrapolate(v, previous, point, size, t);
            if (iteration % CHECK_EVERY != 0) {
                continue;
            }
            if (outputs == 1) {
                double[] refined = refineOnSupport(v);
                if (refined != null && primalAndGap(refined)[0] <= primalAndGap(v)[0]) {
                    System.arraycopy(refined, 0, v, 0, size);
                    System.arraycopy(refined, 0, point, 0, size);
                    t = 1.0;
                }
            }
            double[] pg = gramPrimalAndGap(v, grad);
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
            if (pg[1] <= Math.max(gapTolerance * pg[0], gramFloor)) {
                // Confirm on the explicit residual before stopping (the Gram form can be optimistic).
                double[] exact = primalAndGap(v);
                if (exact[1] <= Math.max(gapTolerance * exact[0], floor)) {
                    return new Outcome(v.clone(), exact[0], exact[1], iteration, true);
                }
            }
        }
        if (!Double.isFinite(bestPrimal)) {
            return null;
        }
        // The reported primal and gap come from the explicit residual, not from the Gram form.
        double[] last = primalAndGap(best);
        return new Outcome(best, last[0], last[1], iteration, last[1] <= Math.max(gapTolerance * last[0], floor));
    }

    /**
     * Feature-sign search (Lee, Battle, Raina and Ng, 2006) for one output, in place on {@code v}: keep an
     * active set with signs; solve the KKT equations on it, {@code G_AA v_A = B_A - lambda sign_A}; move from
     * the current point towards that solution to the best point of the segment, checking every place where a
     * coordinate crosses zero (a crossed coordinate leaves the active set); once the active set is optimal,
     * add the inactive coordinate whose gradient most exceeds {@code lambda}, or stop when none does. Every
     * step lowers the objective and no active set repeats, so it ends after finitely many steps; a limit of
     * {@code 20 K + 100} steps guards against rounding. Returns the number of steps.
     */
    int featureSign(double[] v) {
        int limit = 20 * width + 100;
        double[] grad = new double[width];
        double[] target = new double[width];
        int[] active = new int[width];
        boolean activeOptimal = false;
        int step = 0;
        for (; step < limit && !stop.getAsBoolean(); step++) {
            gramTimes(v, grad);
            for (int k = 0; k < width; k++) {
                grad[k] -= cross[k];
            }
            int count = 0;
            for (int k = 0; k < width; k++) {
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
                    return step;
                }
                active[count++] = entering;
            }
            // KKT on the active set with the current signs (the entering one takes the sign that lowers J).
            DMatrixRMaj a = new DMatrixRMaj(count, count);
            DMatrixRMaj rhs = new DMatrixRMaj(count, 1);
            for (int p = 0; p < count; p++) {
                int kp = active[p];
                for (int q = 0; q < count; q++) {
                    a.data[p * count + q] = gram[kp * width + active[q]];
                }
                double sign = kp == entering ? -Math.signum(grad[kp]) : Math.signum(v[kp]);
                rhs.data[p] = cross[kp] - lambda * sign;
            }
            LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(count);
            DMatrixRMaj z = new DMatrixRMaj(count, 1);
            if (chol.setA(a.copy())) {
                chol.solve(rhs, z);
            } else {
                // Dependent features (e.g. atoms of one activation pattern): the minimum-norm solution of the
                // KKT equations still gives a descent segment.
                LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
                if (!pinv.setA(a)) {
                    return step;
                }
                pinv.solve(rhs, z);
            }
            System.arraycopy(v, 0, target, 0, width);
            for (int p = 0; p < count; p++) {
                if (!Double.isFinite(z.data[p])) {
                    return step;
                }
                target[active[p]] = z.data[p];
            }
            // Best point of the segment v -> target among its end and its zero crossings.
            double bestT = 1.0;
            double bestValue = lassoValue(target);
            for (int p = 0; p < count; p++) {
                int kp = active[p];
                double from = v[kp];
                double to = target[kp];
                if (from != 0 && Math.signum(to) != Math.signum(from)) {
                    double t = from / (from - to);
                    double value = lassoValueOnSegment(v, target, t, kp);
                    if (value < bestValue) {
                        bestValue = value;
                        bestT = t;
                    }
                }
            }
            double current = lassoValue(v);
            if (!(bestValue < current)) {
                return step;   // no progress left at working precision
            }
            int zeroed = -1;
            if (bestT < 1.0) {
                for (int p = 0; p < count; p++) {
                    int kp = active[p];
                    double from = v[kp];
                    double to = target[kp];
                    if (from != 0 && Math.signum(to) != Math.signum(from) && from / (from - to) == bestT) {
                        zeroed = kp;
                        break;
                    }
                }
            }
            boolean signsKept = true;
            for (int k = 0; k < width; k++) {
                double next = v[k] + bestT * (target[k] - v[k]);
                if (k != entering && v[k] != 0 && Math.signum(next) != Math.signum(v[k])) {
                    signsKept = false;
                }
                v[k] = next;
            }
            if (zeroed >= 0) {
                v[zeroed] = 0.0;
            }
            activeOptimal = bestT == 1.0 && signsKept;
        }
        return step;
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

    /** {@link #lassoValue} at {@code from + t (to - from)} with coordinate {@code zeroed} set to exactly zero. */
    private double lassoValueOnSegment(double[] from, double[] to, double t, int zeroed) {
        double[] point = segmentPoint;
        for (int k = 0; k < width; k++) {
            point[k] = from[k] + t * (to[k] - from[k]);
        }
        point[zeroed] = 0.0;
        return lassoValue(point);
    }

    /**
     * {@code {P(V), gap(V)}} from the Gram form, O(K^2 m) instead of O(N K m): {@code ||r||^2 = ||T||^2 -
     * 2 <V, B> + <V, G V>}, {@code <r, T> = ||T||^2 - <V, B>}, correlations {@code B - G V}. Uses
     * {@code work} (K x m) as scratch: it ends holding the correlations.
     */
    double[] gramPrimalAndGap(double[] v, double[] work) {
        gramTimes(v, work);
        double vb = 0;
        double vgv = 0;
        for (int i = 0; i < width * outputs; i++) {
            vb += v[i] * cross[i];
            vgv += v[i] * work[i];
        }
        double squares = Math.max(0.0, targetSquares - 2 * vb + vgv);
        double inner = targetSquares - vb;
        for (int i = 0; i < width * outputs; i++) {
            work[i] = cross[i] - work[i];
        }
        return primalAndGap(v, work, squares, inner);
    }

    /** {@code {P(V), gap(V)}} from the explicit residual (see the class comment). */
    double[] primalAndGap(double[] v) {
        double[] f = features.data;
        double[] y = targets.data;
        for (int i = 0; i < rows * outputs; i++) {
            residual[i] = y[i];
        }
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < width; k++) {
                double h = f[r * width + k];
                if (h == 0) {
                    continue;
                }
                for (int i = 0; i < outputs; i++) {
                    residual[r * outputs + i] -= h * v[k * outputs + i];
                }
            }
        }
        java.util.Arrays.fill(correlation, 0.0);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < width; k++) {
                double h = f[r * width + k];
                for (int i = 0; i < outputs; i++) {
                    correlation[k * outputs + i] += h * residual[r * outputs + i];
                }
            }
        }
        double squares = 0;
        double inner = 0;
        for (int i = 0; i < rows * outputs; i++) {
            squares += residual[i] * residual[i];
            inner += residual[i] * y[i];
        }
        return primalAndGap(v, correlation, squares, inner);
    }

    /**
     * {@code {P(V), gap(V)}} from {@code ||r||^2} ({@code squares}), {@code <r, T>} ({@code inner}) and the
     * correlations {@code F^T r} (K x m): the dual point is {@code s r} with {@code s = min(1, lambda / max_k
     * ||F_k^T r||)}, the largest multiple of {@code r} that is dual feasible (T8).
     */
    private double[] primalAndGap(double[] v, double[] correlations, double squares, double inner) {
        double penalty = 0;
        double dualNorm = 0;
        for (int k = 0; k < width; k++) {
            double nv = 0;
            double nc = 0;
            for (int i = 0; i < outputs; i++) {
                nv += v[k * outputs + i] * v[k * outputs + i];
                nc += correlations[k * outputs + i] * correlations[k * outputs + i];
            }
            penalty += Math.sqrt(nv);
            dualNorm = Math.max(dualNorm, Math.sqrt(nc));
        }
        double primal = 0.5 * squares + lambda * penalty;
        double s = dualNorm > lambda ? lambda / dualNorm : 1.0;
        double dual = s * inner - 0.5 * s * s * squares;
        return new double[] {primal, Math.max(0.0, primal - dual)};
    }

    /**
     * {@code out = G v} (K x m; {@code v} not modified). G is symmetric to the bit (each entry is the same sum of the
     * same products, {@code multTransA}), so {@code (G v)_k = sum_j G_jk v_j} is accumulated row by row of G, in the
     * same order of j as a dot product of row k would, and a zero {@code v_j} (most groups of a sparse iterate) is
     * skipped: adding {@code +-0} to a sum changes no bit. The same result as the row dot products, on contiguous
     * rows that the compiler vectorizes, and in O(K x nonzeros).
     */
    private void gramTimes(double[] v, double[] out) {
        java.util.Arrays.fill(out, 0, width * outputs, 0.0);
        for (int j = 0; j < width; j++) {
            int row = j * width;
            for (int i = 0; i < outputs; i++) {
                double vj = v[j * outputs + i];
                if (vj == 0) {
                    continue;
                }
                if (outputs == 1) {
                    for (int k = 0; k < width; k++) {
                        out[k] += gram[row + k] * vj;
                    }
                } else {
                    for (int k = 0; k < width; k++) {
                        out[k * outputs + i] += gram[row + k] * vj;
                    }
                }
            }
        }
    }

    /**
     * FISTA's extrapolation {@code point = v + (t - 1) / t' (v - previous)} with the gradient restart of O'Donoghue and
     * Candes (the momentum is dropped, {@code t = 1}, when it points uphill: {@code (point - v) . (v - previous) > 0},
     * with {@code point} the last extrapolated point); {@code point} is modified, the next {@code t'} returned.
     */
    static double extrapolate(double[] v, double[] previous, double[] point, int size, double t) {
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
    static void shrinkGroups(double[] v, int groups, int m, double threshold) {
        for (int k = 0; k < groups; k++) {
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += v[k * m + i] * v[k * m + i];
            }
            norm = Math.sqrt(norm);
            double shrink = norm > threshold ? 1.0 - threshold / norm : 0.0;
            for (int i = 0; i < m; i++) {
                v[k * m + i] *= shrink;
            }
        }
    }

    /**
     * One output only: the exact KKT solution on the support of {@code v} with its signs, or null. FISTA's tail keeps
     * one support and signs over many checks, and the answer depends on nothing else (G and B are fixed), so the last
     * one is kept: a Cholesky of the support's Gram block, O(K^3), runs only when the signs change.
     */
    private double[] refineOnSupport(double[] v) {
        boolean sameSigns = lastSigns != null;
        for (int k = 0; k < width && sameSigns; k++) {
            sameSigns = Math.signum(v[k]) == lastSigns[k];
        }
        if (sameSigns) {
            return lastRefined == null ? null : lastRefined.clone();
        }
        if (lastSigns == null) {
            lastSigns = new double[width];
        }
        for (int k = 0; k < width; k++) {
            lastSigns[k] = Math.signum(v[k]);
        }
        lastRefined = solveOnSupport(v);
        return lastRefined == null ? null : lastRefined.clone();
    }

    private double[] solveOnSupport(double[] v) {
        int count = 0;
        for (int k = 0; k < width; k++) {
            if (v[k] != 0) {
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        int[] support = new int[count];
        int s = 0;
        for (int k = 0; k < width; k++) {
            if (v[k] != 0) {
                support[s++] = k;
            }
        }
        DMatrixRMaj a = new DMatrixRMaj(count, count);
        DMatrixRMaj rhs = new DMatrixRMaj(count, 1);
        for (int p = 0; p < count; p++) {
            for (int q = 0; q < count; q++) {
                a.data[p * count + q] = gram[support[p] * width + support[q]];
            }
            rhs.data[p] = cross[support[p]] - lambda * Math.signum(v[support[p]]);
        }
        LinearSolverDense<DMatrixRMaj> chol = LinearSolverFactory_DDRM.chol(count);
        if (!chol.setA(a)) {
            return null;
        }
        DMatrixRMaj z = new DMatrixRMaj(count, 1);
        chol.solve(rhs, z);
        double[] out = new double[width];
        for (int p = 0; p < count; p++) {
            double value = z.data[p];
            if (!Double.isFinite(value) || Math.signum(value) != Math.signum(v[support[p]])) {
                return null;
            }
            out[support[p]] = value;
        }
        return out;
    }

    /**
     * Largest eigenvalue of a symmetric PSD matrix ({@code size x size} row-major, not modified) by power iteration
     * (Rayleigh quotient) from a fixed start, 0 for a zero matrix.
     */
    static double largestEigenvalue(double[] matrix, int size) {
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
            for (int k = 0; k < size; k++) {
                double s = 0;
                for (int j = 0; j < size; j++) {
                    s += matrix[k * size + j] * x[j];
                }
                y[k] = s;
            }
            estimate = Vectors.dot(x, y);
            double[] swap = x;
            x = y;
            y = swap;
        }
        return estimate;
    }
}
