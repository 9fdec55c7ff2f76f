package io.sparsefit.core.solver.exact;

import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact solution of the 1-D generalized lasso of theory C1,
 * {@code min_z 1/2 sum_i c_i (z_i - y_i)^2 + lambda ||L z||_1}, by a monotone active-set method on the
 * knots, with continuation in lambda.
 *
 * <p>The unknown is the set of knots (data points where {@code (Lz)_j != 0}) with the signs of their
 * slope changes. For a given set, {@link KnotSpline} solves the optimality system exactly with one
 * tridiagonal solve and returns the dual function q of theory T8 at every data point; optimality
 * means {@code |q_j| <= lambda} off the knots and slope changes of the assigned signs on them.
 * The method is the Lawson-Hanson active-set method (as for non-negative least squares) transposed
 * to signed knots:
 * <ol>
 *   <li>Outer step: points with {@code |q_j| > lambda} come in runs of consecutive non-knot points; the
 *       largest violation of each run becomes a knot with the sign of q (the current spline does not
 *       change: its slope change there is zero).</li>
 *   <li>Inner steps: solve for the new set. If some slope change has the wrong sign, move from the
 *       current spline towards the solution only until the first slope change reaches zero, drop that
 *       knot and solve again.</li>
 * </ol>
 * With the signs fixed the objective is a convex quadratic that equals the true objective while the
 * signs are respected, so every inner step decreases the true objective and no knot set repeats: the
 * method terminates, unlike the plain primal-dual active-set update, which cycled on noisy data. If an
 * outer step made no progress (every new knot dropped at once), the next adds only the single largest
 * violation, for which descent is guaranteed. When no violation is left, the KKT conditions hold and the
 * T8 gap is zero up to rounding; the solver stops only when that gap is below {@code tol * max(1, J)}.
 *
 * <p>lambda is lowered geometrically from lambda_max (T6), where the empty set is optimal, each level
 * warm-starting the next, so each level adds few knots. Each solve is O(N) and counts as one iteration.
 */
public final class ActiveSetSpline {

    /** Ratio between consecutive continuation levels. */
    static final double LEVEL_RATIO = 0.25;
    /**
     * A point becomes a knot only when {@code |q_j| > lambda (1 + ADD_MARGIN)}: without the margin,
     * rounding in q at points that sit exactly at the bound (degenerate points) would be added and
     * dropped forever. Its effect on the gap is of order {@code ADD_MARGIN * lambda * TV}, far below tol.
     */
    static final double ADD_MARGIN = 1e-11;
    /**
     * A slope change counts as having the wrong sign only below {@code -DROP_MARGIN * max|a|}; a change
     * that is zero up to rounding may stay (it costs {@code 2 lambda |a|} in the gap, i.e. nothing).
     */
    static final double DROP_MARGIN = 1e-12;

    private final MergedData data;
    private final KnotSpline spline;
    private final SplineGap gapCalculator;
    private final double[] signAt;
    private final boolean[] isNew;
    private final double[] current;
    private final double[] currentAmplitude;
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
        this.isNew = new boolean[data.n];
        this.current = new double[data.n];
        this.currentAmplitude = new double[data.n];
    }

    /**
     * Runs to convergence, the iteration limit or cancellation; afterwards the spline (see
     * {@link ExactSplineFit#network}) is the best point reached, which always respects its signs.
     *
     * @param lambda    target strength, {@code 0 < lambda < lambdaMax}
     * @param lambdaMax lambda_max of the data (T6), where continuation starts
     */
    public void run(double lambda, double lambdaMax, double tol, int maxIter, int logEvery,
                    ProgressListener progress, CancellationToken cancel) {
        // Level lambda_max: no knots, the affine fit. Solving it gives a valid spline even if we stop at once.
        java.util.Arrays.fill(signAt, 0.0);
        loadKnots();
        spline.solve(lambda);
        objective = objectiveAt(lambda);
        double level = Math.max(lambda, lambdaMax * LEVEL_RATIO);
        boolean singleOnly = false;
        iterations = 0;
        while (true) {
            // Invariant: the spline holds the optimum for the loaded knots, signs respected, with its dual q.
            if (stopEarly(maxIter, cancel)) {
                return;
            }
            int added = addViolators(level, singleOnly);
            boolean progressed = added > 0 && improve(level, lambda, maxIter, logEvery, progress, cancel);
            if (Boolean.getBoolean("exactdebug")) System.err.printf("it %d level %.6g added %d single %b progressed %b knots %d levelobj %.15g%n", iterations, level, added, singleOnly, progressed, spline.knotCount, spline.dataFit + level * spline.totalVariation);
            if (stopReason != null) {
                return;
            }
            if (added > 0 && !progressed && !singleOnly) {
                singleOnly = true;
                continue;
            }
            singleOnly = false;
            if (added > 0 && progressed) {
                continue;
            }
            // No violation left at this level (or, at double precision, no way to reduce it further).
            if (level == lambda) {
                gap = gapCalculator.of(spline, lambda);
                report(lambda, progress);
                // A stalled set that still misses the gap cannot improve at double precision: stop
                // rather than spin, and say the criterion was not met.
                stopReason = gap <= tol * Math.max(1.0, objective) ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS;
                return;
            }
            level = Math.max(lambda, level * LEVEL_RATIO);
        }
    }

    private boolean stopEarly(int maxIter, CancellationToken cancel) {
        if (cancel.isCancelled()) {
            stopReason = StopReason.CANCELLED;
            return true;
        }
        if (iterations >= maxIter) {
            stopReason = StopReason.MAX_ITERATIONS;
            return true;
        }
        return false;
    }

    /**
     * The inner steps after knots were added: solve, and while a slope change has the wrong sign, step
     * only part way and drop the knot that reached zero. Returns whether any added knot survived.
     * On cancellation or the iteration limit the spline is reset to the last sign-respecting point.
     */
    private boolean improve(double level, double lambda, int maxIter, int logEvery,
                            ProgressListener progress, CancellationToken cancel) {
        System.arraycopy(spline.fitted, 0, current, 0, data.n);
        boolean first = true;
        while (true) {
            if (stopEarly(maxIter, cancel)) {
                loadKnots();
                spline.evaluate(current);
                objective = objectiveAt(lambda);
                return false;
            }
            loadKnots();
            spline.amplitudesOf(current, currentAmplitude);
            int p = spline.knotCount;
            for (int l = 0; first && l < p; l++) {
                if (isNew[spline.knotIndex[l]]) {
                    currentAmplitude[l] = 0.0; // the current spline is linear across a knot just added
                }
            }
            first = false;
            if (!spline.solve(level)) {
                // Numerical breakdown of the banded solve: keep the last good point and report it.
                spline.evaluate(current);
                objective = objectiveAt(lambda);
                stopReason = StopReason.DIVERGED;
                return false;
            }
            iterations++;
            objective = objectiveAt(lambda);
            if (iterations % logEvery == 0) {
                report(lambda, progress);
            }
            double largest = 0.0;
            for (int l = 0; l < p; l++) {
                largest = Math.max(largest, Math.abs(spline.amplitude[l]));
            }
            double wrong = -DROP_MARGIN * largest;
            double step = 1.0;
            for (int l = 0; l < p; l++) {
                double s = spline.knotSign[l];
                double target = s * spline.amplitude[l];
                if (target < wrong) {
                    double now = Math.max(0.0, s * currentAmplitude[l]);
                    step = Math.min(step, now / (now - target));
                }
            }
            if (Boolean.getBoolean("exactdebug")) {
                double lo = spline.dataFit + level * spline.totalVariation;
                double minH = Double.MAX_VALUE; for (int l = 1; l < p; l++) minH = Math.min(minH, data.x[spline.knotIndex[l]] - data.x[spline.knotIndex[l-1]]);
                double fc = 0, tv = 0; for (int i = 0; i < data.n; i++) { double r = data.y[i] - current[i]; fc += data.weight[i]*r*r; } for (int l = 0; l < p; l++) tv += Math.abs(currentAmplitude[l]);
                double kkt = 0; for (int l = 0; l < p; l++) kkt = Math.max(kkt, Math.abs(spline.dual[spline.knotIndex[l]] - level * spline.knotSign[l]));
                System.err.printf("   inner step %.3g knots %d candidateobj %.12g currentobj %.12g minH %.3g kkt %.3g%n", step, p, lo, 0.5*(fc+data.withinSquares) + level*tv, minH, kkt);
            }
            if (step == 1.0) {
                boolean survived = false;
                for (int l = 0; l < p; l++) {
                    survived |= isNew[spline.knotIndex[l]];
                }
                java.util.Arrays.fill(isNew, false);
                return survived;
            }
            // Move to the first sign change and drop the knots that reached zero there.
            double[] z = spline.fitted;
            for (int i = 0; i < data.n; i++) {
                current[i] += step * (z[i] - current[i]);
            }
            // Drop exactly the knots that block the step (their slope change reaches zero there).
            for (int l = 0; l < p; l++) {
                double s = spline.knotSign[l];
                double target = s * spline.amplitude[l];
                if (target < wrong) {
                    double now = Math.max(0.0, s * currentAmplitude[l]);
                    if (now / (now - target) <= step) {
                        int j = spline.knotIndex[l];
                        signAt[j] = 0.0;
                        isNew[j] = false;
                    }
                }
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

    /**
     * Outer step: violators {@code |q_j| > level} off the knots come in runs of consecutive non-knot
     * points with the same sign of q; the largest violation of each run (or only the largest overall,
     * when {@code singleOnly}) becomes a knot with the sign of q. Adding every violator instead puts
     * dozens of knots where one is needed; q is pinned to {@code +-level} at the new knot, which splits
     * the run, so later steps add more knots in a region only where they are needed. Returns the count.
     */
    private int addViolators(double level, boolean singleOnly) {
        double threshold = level * (1.0 + ADD_MARGIN);
        double[] q = spline.dual;
        int last = data.n - 1;
        int added = 0;
        int peak = -1;
        double peakValue = 0.0;
        double runSign = 0.0;
        int best = -1;
        double bestValue = 0.0;
        for (int j = 1; j <= last; j++) {
            double violation = j < last && signAt[j] == 0.0 && Math.abs(q[j]) > threshold ? Math.signum(q[j]) : 0.0;
            if (violation != runSign && peak >= 0) {
                // The run of violators ends before j: its peak becomes a knot.
                if (!singleOnly) {
                    signAt[peak] = runSign;
                    isNew[peak] = true;
                    added++;
                }
                if (peakValue > bestValue) {
                    best = peak;
                    bestValue = peakValue;
                }
                peak = -1;
            }
            runSign = violation;
            if (violation != 0.0 && (peak < 0 || Math.abs(q[j]) > peakValue)) {
                peak = j;
                peakValue = Math.abs(q[j]);
            }
        }
        if (singleOnly && best >= 0) {
            signAt[best] = Math.signum(q[best]);
            isNew[best] = true;
            added = 1;
        }
        return added;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    public int iterations() {
        return iterations;
    }

    /** The T8 gap at the end, NaN unless the final level was completed. */
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

    /** The current spline. */
    KnotSpline spline() {
        return spline;
    }
}
