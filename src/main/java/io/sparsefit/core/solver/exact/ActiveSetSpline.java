package io.sparsefit.core.solver.exact;

import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact solution of the 1-D generalized lasso of theory C1,
 * {@code min_z 1/2 sum_i c_i (z_i - y_i)^2 + lambda ||L z||_1}, by a primal-dual active-set method with
 * continuation in lambda.
 *
 * <p>The unknown is the set of knots (data points where {@code (Lz)_j != 0}) with their signs. Given a
 * set, {@link KnotSpline} solves the optimality system exactly with one tridiagonal solve, and returns
 * the dual function q of theory T8 at every data point. The set is then updated by the primal-dual
 * active-set rule (a semismooth Newton step on the dual box QP
 * {@code min_{|q| <= lambda} 1/2 ||y - L^T q||^2_{C^-1}}): a knot stays while its slope change keeps its
 * sign, a data point becomes a knot when {@code |q_j| > lambda}. When the set stops changing the KKT
 * conditions hold and the T8 gap is zero up to rounding; the solver stops only when that gap is below
 * {@code tol * max(1, objective)}.
 *
 * <p>Active-set steps are exact but may cycle when started far from the solution, so lambda is lowered
 * geometrically from lambda_max (T6), where the empty set is optimal, each level warm-starting the
 * next. A level that needs more than {@link #MAX_STEPS_PER_LEVEL} steps is abandoned and retried from
 * the previous level with half the (logarithmic) step. Each step is O(N).
 */
public final class ActiveSetSpline {

    /** Ratio between consecutive continuation levels. */
    static final double LEVEL_RATIO = 0.25;
    /** Steps after which a level is deemed to cycle and the continuation step is halved. */
    static final int MAX_STEPS_PER_LEVEL = 30;
    /**
     * A point becomes a knot only when {@code |q_j| > lambda (1 + ADD_MARGIN)}: without the margin,
     * rounding in q at points that are exactly at the bound (degenerate points) would add and drop them
     * forever. The margin's effect on the gap is of order {@code ADD_MARGIN * lambda * TV}, far below tol.
     */
    static final double ADD_MARGIN = 1e-11;
    /**
     * A knot is dropped only when its slope change has the wrong sign by more than
     * {@code DROP_MARGIN * max|a|}; a knot whose change is zero up to rounding may stay (it costs
     * {@code 2 lambda |a|} in the gap, i.e. nothing) instead of being dropped and re-added forever.
     */
    static final double DROP_MARGIN = 1e-12;

    private final MergedData data;
    private final KnotSpline spline;
    private final SplineGap gapCalculator;
    private final double[] signAt;
    private final double[] savedSignAt;
    private final List<LossPoint> lossCurve = new ArrayList<>();

    private StopReason stopReason;
    private int iterations;
    private double gap = Double.NaN;
    private double objective;

    public ActiveSetSpline(MergedData data) {
        if (data.n < 3) {
            throw new IllegalArgumentException("the active-set solver needs at least 3 distinct x values, got " + data.n);
        }
        this.data = data;
        this.spline = new KnotSpline(data);
        this.gapCalculator = new SplineGap(data);
        this.signAt = new double[data.n];
        this.savedSignAt = new double[data.n];
    }

    /**
     * Runs to convergence, the iteration limit or cancellation; afterwards {@link #spline()} is the
     * last solved spline (the best one reached).
     *
     * @param lambda    target strength, {@code 0 < lambda < lambdaMax}
     * @param lambdaMax lambda_max of the data (T6), where continuation starts
     */
    public void run(double lambda, double lambdaMax, double tol, int maxIter, int logEvery,
                    ProgressListener progress, CancellationToken cancel) {
        // Level "lambda_max": no knots. Solving it gives a valid spline even if we stop at once.
        java.util.Arrays.fill(signAt, 0.0);
        spline.knotCount = 0;
        spline.solve(lambda);
        objective = objectiveAt(lambda);
        System.arraycopy(signAt, 0, savedSignAt, 0, data.n);
        double savedLevel = lambdaMax;
        double level = Math.max(lambda, lambdaMax * LEVEL_RATIO);
        int stepsAtLevel = 0;
        iterations = 0;
        while (true) {
            if (cancel.isCancelled()) {
                stopReason = StopReason.CANCELLED;
                return;
            }
            if (iterations >= maxIter) {
                stopReason = StopReason.MAX_ITERATIONS;
                return;
            }
            loadKnots();
            if (!spline.solve(level)) {
                // Numerical breakdown of the banded solve: go back to the last good set and report it.
                System.arraycopy(savedSignAt, 0, signAt, 0, data.n);
                loadKnots();
                spline.solve(savedLevel);
                objective = objectiveAt(lambda);
                stopReason = StopReason.DIVERGED;
                return;
            }
            iterations++;
            stepsAtLevel++;
            objective = objectiveAt(lambda);
            if (iterations % logEvery == 0) {
                report(lambda, progress);
            }
            boolean changed = updateKnots(level);
            if (!changed) {
                if (level == lambda) {
                    gap = gapCalculator.of(spline, lambda);
                    if (iterations % logEvery != 0) {
                        report(lambda, progress);
                    }
                    // A stable set that still misses the gap cannot improve at double precision: stop
                    // rather than spin, and say the criterion was not met.
                    stopReason = gap <= tol * Math.max(1.0, objective) ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS;
                    return;
                }
                System.arraycopy(signAt, 0, savedSignAt, 0, data.n);
                savedLevel = level;
                level = Math.max(lambda, level * LEVEL_RATIO);
                stepsAtLevel = 0;
            } else if (stepsAtLevel >= MAX_STEPS_PER_LEVEL) {
                System.arraycopy(savedSignAt, 0, signAt, 0, data.n);
                level = Math.sqrt(savedLevel * level);
                stepsAtLevel = 0;
            }
        }
    }

    private void report(double lambda, ProgressListener progress) {
        double penalty = lambda * spline.totalVariation;
        lossCurve.add(new LossPoint(iterations, objective, spline.dataFit, penalty));
        progress.onProgress(iterations, objective, spline.dataFit, penalty);
    }

    private double objectiveAt(double lambda) {
        return spline.dataFit + lambda * spline.totalVariation;
    }

    /** Copies the knot set held in {@code signAt} into the spline's knot arrays. */
    private void loadKnots() {
        int p = 0;
        int last = data.n - 1;
        for (int j = 1; j < last; j++) {
            double s = signAt[j];
            if (s != 0.0) {
                spline.knotIndex[p] = j;
                spline.knotSign[p] = s;
                p++;
            }
        }
        spline.knotCount = p;
    }

    /** The primal-dual active-set update of {@code signAt}; returns whether the set changed. */
    private boolean updateKnots(double level) {
        double threshold = level * (1.0 + ADD_MARGIN);
        double[] q = spline.dual;
        double largest = 0.0;
        for (int k = 0; k < spline.knotCount; k++) {
            largest = Math.max(largest, Math.abs(spline.amplitude[k]));
        }
        double dropBelow = -DROP_MARGIN * largest;
        boolean changed = false;
        int l = 0;
        int last = data.n - 1;
        for (int j = 1; j < last; j++) {
            double s = signAt[j];
            if (s != 0.0) {
                // Knot j is spline knot l (both in ascending order).
                if (!(spline.amplitude[l] * s >= dropBelow)) {
                    signAt[j] = 0.0;
                    changed = true;
                }
                l++;
            } else if (Math.abs(q[j]) > threshold) {
                signAt[j] = Math.signum(q[j]);
                changed = true;
            }
        }
        return changed;
    }

    /** The last solved spline. */
    KnotSpline spline() {
        return spline;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    public int iterations() {
        return iterations;
    }

    /** The T8 gap at the end, NaN unless the final level was reached with a stable knot set. */
    public double gap() {
        return gap;
    }

    /** Objective at the target lambda of the last solved spline. */
    public double objective() {
        return objective;
    }

    public List<LossPoint> lossCurve() {
        return lossCurve;
    }
}
