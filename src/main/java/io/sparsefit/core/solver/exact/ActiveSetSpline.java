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
 * knots.
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
 *   <li>Inner steps: solve for the new set; if every slope change has its sign, accept. Otherwise
 *       first try a shortcut: drop every knot with the wrong sign and solve again (up to
 *       {@link #SHORTCUT_ROUNDS} times), accepting the result only if its signs are right and its
 *       objective is below the current one. If that fails, take the Lawson-Hanson step: move from the
 *       current spline towards the first solution only until a slope change reaches zero, drop that
 *       knot and repeat.</li>
 * </ol>
 * With the signs fixed the objective is a convex quadratic that equals the true objective while the
 * signs are respected, so every accepted point lowers the true objective and no knot set repeats: the
 * method terminates, unlike the plain primal-dual active-set update (add every violator, drop every
 * wrong sign), which cycled on noisy data. If an outer step made no progress (every new knot dropped),
 * the next adds only the single largest violation, for which descent is guaranteed. When no violation
 * is left the KKT conditions hold and the T8 gap is zero up to rounding; the solver reports convergence
 * only when that gap is below {@code tol * max(1, J)}.
 *
 * <p>The start is the empty set (the affine fit, optimal at lambda_max, T6). Each solve is O(N) and
 * counts as one iteration; a few dozen solves suffice on noisy data up to N = 1e6 (continuation in lambda needs
 * more in total).
 * The inner shortcut is what keeps the count low; the Lawson-Hanson step is what makes it terminate.
 */
public final class ActiveSetSpline {

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
    /** How many drop-every-wrong-sign re-solves the shortcut may take before the guaranteed step. */
    static final int SHORTCUT_ROUNDS = 4;

    private final MergedData data;
    private final KnotSpline spline;
    private final SplineGap gapCalculator;
    private final double[] signAt;
    private final boolean[] isNew;
    private final double[] current;
    private final double[] currentAmplitude;
    private final double[] candidate;
    private final double[] candidateAmplitude;
    private final int[] candidateIndex;
    private final double[] candidateSign;
    private final List<LossPoint> lossCurve = new ArrayList<>();

    private StopReason stopReason;
    private int iterations;
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
        this.candidate = new double[data.n];
        this.candidateAmplitude = new double[data.n];
        this.candidateIndex = new int[data.n];
        this.candidateSign = new double[data.n];
    }

    /**
     * Runs to convergence, the iteration limit or cancellation; afterwards the spline (see
     * {@link ExactSplineFit#network}) is the best point reached, which always respects its signs.
     *
     * @param lambda target strength, {@code 0 < lambda < lambda_max} (T6)
     */
    public void run(double lambda, double tol, int maxIter, int logEvery,
                    ProgressListener progress, CancellationToken cancel) {
        // Start with no knots: the affine fit. Solving it gives a valid spline even if we stop at once.
        java.util.Arrays.fill(signAt, 0.0);
        loadKnots();
        spline.solve(lambda);
        objective = objectiveAt(lambda);
        boolean singleOnly = false;
        iterations = 0;
        while (true) {
            // Invariant: the spline holds the optimum for the loaded knots, signs respected, with its dual q.
            if (stopEarly(maxIter, cancel)) {
                return;
            }
            int added = addViolators(lambda, singleOnly);
            boolean progressed = added > 0 && improve(lambda, maxIter, logEvery, progress, cancel);
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
            // No violation left (or, at double precision, no way to reduce it further): the KKT point
            // up to rounding. If the gap still misses tol, rounding in the residual limits the
            // certificate (near-interpolating fits with tiny lambda on many points: the error in q is
            // about eps |y| sqrt(N) (x_N - x_1)); further steps cannot help, so stop and say the
            // criterion was not met.
            double gap = gapCalculator.of(spline, lambda);
            if (lossCurve.isEmpty() || lossCurve.get(lossCurve.size() - 1).iteration() != iterations) {
                report(lambda, progress);
            }
            stopReason = gap <= tol * Math.max(1.0, objective) ? StopReason.CONVERGED : StopReason.MAX_ITERATIONS;
            return;
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
     * The inner steps after knots were added. Solve for the current set; if every slope change has its
     * sign, accept. Otherwise first try the cheap shortcut of the primal-dual active-set method: drop
     * every knot with the wrong sign and solve again, accepting the result only if its signs are right
     * and its objective is below the current one (so the objective still decreases monotonically).
     * If the shortcut fails, take the guaranteed Lawson-Hanson step: move from the current spline
     * towards the first solution until a slope change reaches zero and drop that knot.
     * Returns whether any added knot survived. On cancellation or the iteration limit the spline is
     * reset to the current sign-respecting point.
     */
    private boolean improve(double lambda, int maxIter, int logEvery,
                            ProgressListener progress, CancellationToken cancel) {
        int n = data.n;
        System.arraycopy(spline.fitted, 0, current, 0, n);
        double currentObjective = spline.dataFit + lambda * spline.totalVariation;
        boolean first = true;
        while (true) {
            if (stopEarly(maxIter, cancel)) {
                return resetTo(current, lambda);
            }
            loadKnots();
            spline.amplitudesOf(current, currentAmplitude);
            for (int l = 0; first && l < spline.knotCount; l++) {
                if (isNew[spline.knotIndex[l]]) {
                    currentAmplitude[l] = 0.0; // the current spline is linear across a knot just added
                }
            }
            first = false;
            if (!solveCounted(lambda, logEvery, progress)) {
                return resetTo(current, lambda);
            }
            double wrong = wrongSignBelow();
            if (countWrongSigns(wrong) == 0) {
                return acceptSurvivors();
            }
            // Keep this solution for the guaranteed step, then try the shortcut.
            int p = spline.knotCount;
            System.arraycopy(spline.fitted, 0, candidate, 0, n);
            System.arraycopy(spline.amplitude, 0, candidateAmplitude, 0, p);
            System.arraycopy(spline.knotIndex, 0, candidateIndex, 0, p);
            System.arraycopy(spline.knotSign, 0, candidateSign, 0, p);
            for (int l = 0; l < p; l++) {
                if (candidateSign[l] * candidateAmplitude[l] < wrong) {
                    signAt[candidateIndex[l]] = 0.0;
                }
            }
            boolean shortcut = false;
            for (int round = 0; round < SHORTCUT_ROUNDS; round++) {
                if (stopEarly(maxIter, cancel)) {
                    restoreSigns(p);
                    return resetTo(current, lambda);
                }
                loadKnots();
                if (!solveCounted(lambda, logEvery, progress)) {
                    restoreSigns(p);
                    return resetTo(current, lambda);
                }
                double wrongNow = wrongSignBelow();
                if (countWrongSigns(wrongNow) == 0) {
                    shortcut = spline.dataFit + lambda * spline.totalVariation < currentObjective;
                    break;
                }
                for (int l = 0; l < spline.knotCount; l++) {
                    if (spline.knotSign[l] * spline.amplitude[l] < wrongNow) {
                        signAt[spline.knotIndex[l]] = 0.0;
                    }
                }
            }
            if (shortcut) {
                return acceptSurvivors();
            }
            restoreSigns(p);
            // Guaranteed step: as far towards the kept solution as the signs allow.
            double step = 1.0;
            for (int l = 0; l < p; l++) {
                double target = candidateSign[l] * candidateAmplitude[l];
                if (target < wrong) {
                    double now = Math.max(0.0, candidateSign[l] * currentAmplitude[l]);
                    step = Math.min(step, now / (now - target));
                }
            }
            double fit = 0.0;
            for (int i = 0; i < n; i++) {
                double z = current[i] + step * (candidate[i] - current[i]);
                current[i] = z;
                double r = data.y[i] - z;
                fit += data.weight[i] * r * r;
            }
            double tv = 0.0;
            for (int l = 0; l < p; l++) {
                double s = candidateSign[l];
                double target = s * candidateAmplitude[l];
                double now = Math.max(0.0, s * currentAmplitude[l]);
                if (target < wrong && now / (now - target) <= step) {
                    // This knot blocks the step: its slope change reaches zero here.
                    int j = candidateIndex[l];
                    signAt[j] = 0.0;
                    isNew[j] = false;
                } else {
                    tv += Math.abs(currentAmplitude[l] + step * (candidateAmplitude[l] - currentAmplitude[l]));
                }
            }
            currentObjective = 0.5 * (fit + data.withinSquares) + lambda * tv;
        }
    }

    /** Puts back the knots the shortcut dropped (the first p entries of the kept solution). */
    private void restoreSigns(int p) {
        for (int l = 0; l < p; l++) {
            signAt[candidateIndex[l]] = candidateSign[l];
        }
    }

    /** One counted solve; false on numerical breakdown (reported as DIVERGED). */
    private boolean solveCounted(double lambda, int logEvery, ProgressListener progress) {
        if (!spline.solve(lambda)) {
            stopReason = StopReason.DIVERGED;
            return false;
        }
        iterations++;
        objective = objectiveAt(lambda);
        if (iterations % logEvery == 0) {
            report(lambda, progress);
        }
        return true;
    }

    /** Makes the sign-respecting point {@code values} the spline again after an early stop. */
    private boolean resetTo(double[] values, double lambda) {
        loadKnots();
        spline.evaluate(values);
        objective = objectiveAt(lambda);
        return false;
    }

    private double wrongSignBelow() {
        double largest = 0.0;
        for (int l = 0; l < spline.knotCount; l++) {
            largest = Math.max(largest, Math.abs(spline.amplitude[l]));
        }
        return -DROP_MARGIN * largest;
    }

    private int countWrongSigns(double wrong) {
        int count = 0;
        for (int l = 0; l < spline.knotCount; l++) {
            if (spline.knotSign[l] * spline.amplitude[l] < wrong) {
                count++;
            }
        }
        return count;
    }

    /** The solved spline respects its signs: keep it; report whether a knot added this round survived. */
    private boolean acceptSurvivors() {
        boolean survived = false;
        for (int l = 0; l < spline.knotCount; l++) {
            survived |= isNew[spline.knotIndex[l]];
        }
        java.util.Arrays.fill(isNew, false);
        return survived;
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
     * Outer step: violators {@code |q_j| > lambda} off the knots come in runs of consecutive non-knot
     * points with the same sign of q; the largest violation of each run (or only the largest overall,
     * when {@code singleOnly}) becomes a knot with the sign of q. Adding every violator instead puts
     * dozens of knots where one is needed; q is pinned to {@code +-lambda} at the new knot, which splits
     * the run, so later steps add more knots in a region only where they are needed. Returns the count.
     */
    private int addViolators(double lambda, boolean singleOnly) {
        double threshold = lambda * (1.0 + ADD_MARGIN);
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

    public List<LossPoint> lossCurve() {
        return lossCurve;
    }

    /** The current spline. */
    KnotSpline spline() {
        return spline;
    }
}
