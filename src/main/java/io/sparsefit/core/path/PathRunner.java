package io.sparsefit.core.path;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverCapabilities;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.exact.SplinePath;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Runs a regularization path. Lambdas are solved in descending order; at each one every validation fold's
 * training part is fitted and scored on its held-out part, then the model is refit on all the data, so a point
 * is complete (and reported, and the cancel token looked at) before the next starts: a cancel stops a path
 * within one point. A deadline token ({@link CancellationToken#withDeadline}) stops it the same way: the point in
 * progress is dropped and the path is {@code cancelled} with the points done (its caller asks the token which).
 * Each sequence (a fold's training rows, or all rows) is warm-started along lambda:
 * <ul>
 *   <li>{@code exact} (one input): every point is the exact solver's own solve (a few milliseconds at 10^4 rows,
 *       so no warm start is needed); the homotopy of {@link SplinePath} (theory C1) is traced once on all the
 *       data for the breakpoints, and checked against the exact solve at every point: the breakpoints are
 *       reported down to the last point where the two agree ({@code breakpointsComplete} says whether that is
 *       the smallest lambda);</li>
 *   <li>{@code convex}: column generation starting from the previous point's hyperplanes;</li>
 *   <li>{@code prox}, {@code lbfgs}, {@code adam}: starting from the previous point's network (padded with fresh
 *       neurons up to the width);</li>
 *   <li>{@code auto} with the width not given where a single fit takes the width-free continuation
 *       ({@link SparseFit#widthFreePath}: as a single fit, and where {@code auto} is {@code lbfgs} up to
 *       {@link SparseFit#AUTO_WIDTH_FREE_PATH_MAX_ROWS} rows; decided once for the smallest lambda): the {@link io.sparsefit.core.WidthFreeSolver}
 *       at every point, warm from the previous point's network: straight to warm {@code convex} once that network
 *       fills the starting width (a widened point's neurons are kept, not cut back to the starting width), else its
 *       {@code lbfgs} phase warm and the continuation as in a single fit.</li>
 * </ul>
 * Every refit on all data is finished and certified exactly like a single fit ({@link SparseFit#fit}). The solver
 * is resolved once, for the smallest lambda (what {@code auto} would pick there). Deterministic for a seed.
 */
public final class PathRunner {

    /** Breakpoints traced at most; below the last one the breakpoints are incomplete. */
    public static final int MAX_BREAKPOINTS = 200_000;

    /** Relative objective agreement of the homotopy with the exact solve at a point (see {@link #agrees}). */
    static final double AGREEMENT = 1e-9;

    private PathRunner() {
    }

    public static RegularizationPath run(FitProblem problem, PathSpec spec, PathListener listener, CancellationToken cancel) {
        FitSettings base = spec.settings();
        if (base.regularization() == Regularization.NONE) {
            throw new IllegalArgumentException("a path needs a penalty (weight_decay or path_norm)");
        }
        double lambdaMax = DiagnosticsCalculator.lambdaMax(problem, base.seed(), cancel::isCancelled);
        if (cancel.isCancelled()) {
            return new RegularizationPath(lambdaMax, base.solver(), List.of(), -1, -1, -1, List.of(), false, true);
        }
        double[] lambdas = spec.lambdaSequence(lambdaMax);
        double smallest = lambdas[lambdas.length - 1];
        SolverCapabilities.Demand demand = SparseFit.demand(problem, base.withLambda(smallest));
        SolverType type = SparseFit.resolve(base.solver(), demand, problem.rows());
        SparseFit.requireCapable(type, demand);
        // auto's width-free continuation, decided once like the solver (at every lambda of a grid the conditions but
        // lambda > 0 are the same)
        boolean widthFree = SparseFit.widthFreePath(base.withLambda(smallest), demand, type, problem.rows());
        List<Track> folds = folds(problem, spec, base.seed());
        Track full = new Track(problem, null, null);
        // The homotopy traces the unweighted problem; with sample weights the path is checked by exact solves alone.
        SplinePath homotopy = type == SolverType.EXACT && problem.sampleWeights() == null ? SplinePath.trace(problem.x().data, problem.y().data, smallest,
                MAX_BREAKPOINTS, cancel) : null;
        // The lowest lambda at which the homotopy agreed with the exact solve (see verified below).
        double verifiedTo = homotopy == null ? Double.NaN : homotopy.lambdaMax();
        boolean homotopyFailed = false;
        List<PathPoint> points = new ArrayList<>();
        boolean cancelled = false;
        for (double lambda : lambdas) {
            if (cancel.isCancelled()) {
                cancelled = true;
                break;
            }
            FitSettings settings = base.withLambda(lambda).withSolver(type);
            double[] foldMse = new double[folds.size()];
            double holdoutSe = Double.NaN;
            for (int k = 0; k < folds.size() && !cancelled; k++) {
                Track t = folds.get(k);
                Network net = t.solve(settings, type, widthFree, cancel);
                if (net == null) {
                    cancelled = true;
                    break;
                }
                double[] rowErrors = rowErrors(net, problem.loss(), t.heldX, t.heldY);
                foldMse[k] = mean(rowErrors);
                if (folds.size() == 1) {
                    holdoutSe = standardDeviation(rowErrors, foldMse[k]) / Math.sqrt(rowErrors.length);
                }
            }
            FitOutcome outcome = cancelled ? null : full.solveOutcome(settings, type, widthFree, lambdaMax, cancel);
            if (outcome == null) {
                cancelled = true;
                break;
            }
            if (homotopy != null && !homotopyFailed && lambda >= homotopy.lowest()) {
                if (agrees(homotopy.networkAt(lambda, settings.exact().sparsest()), outcome, problem, settings)) {
                    verifiedTo = Math.min(verifiedTo, lambda);
                } else {
                    homotopyFailed = true;
                }
            }
            double mse = folds.isEmpty() ? Double.NaN : mean(foldMse);
            double se = folds.isEmpty() ? Double.NaN
                    : folds.size() == 1 ? holdoutSe : standardDeviation(foldMse, mse) / Math.sqrt(folds.size());
            PathPoint point = new PathPoint(lambda, outcome, mse, se, foldMse);
            points.add(point);
            listener.onPoint(points.size() - 1, lambdas.length, point);
        }
        int[] choice = RegularizationPath.choose(points);
        int chosen = spec.chooseBest() ? choice[0] : choice[1];
        List<SplinePath.Breakpoint> breakpoints = new ArrayList<>();
        boolean complete = false;
        if (homotopy != null) {
            // Only the part of the homotopy that was checked: every breakpoint whose segment reaches down to a verified
            // point's lambda (a breakpoint's set holds from its lambda down to the next breakpoint's), and no further than
            // the first segment whose objective breaks monotonicity.
            List<SplinePath.Breakpoint> traced = homotopy.breakpoints();
            int monotoneTo = monotoneSegments(homotopy, traced, problem);
            for (int i = 0; i < traced.size() && i < monotoneTo; i++) {
                breakpoints.add(traced.get(i));
                if (traced.get(i).lambda() <= verifiedTo) {
                    break;
                }
            }
            complete = !homotopyFailed && !cancelled && homotopy.complete() && verifiedTo <= smallest
                    && monotoneTo == traced.size();
        }
        return new RegularizationPath(lambdaMax, type, points, choice[0], choice[1], chosen, breakpoints, complete, cancelled);
    }

    /**
     * How many leading segments of the homotopy pass the monotonicity check: the optimal value
     * {@code V(lambda) = min_f L(f) + lambda R(f)} is nondecreasing in lambda ({@code R >= 0}), so going down the
     * path the objective at each segment's middle must not exceed the previous segment's (to {@link #AGREEMENT}
     * relative). A wrong set shows as a spike: amplitudes of two close knots growing against each other, with the data
     * fit right and the penalty far too large. The amplitudes are affine in
     * lambda on a segment, so a spike inside it shows at its middle or at a neighbour's. Cost: one O(N K) evaluation
     * per breakpoint.
     */
    private static int monotoneSegments(SplinePath homotopy, List<SplinePath.Breakpoint> traced, FitProblem problem) {
        double previous = Double.POSITIVE_INFINITY;
        for (int i = 0; i < traced.size(); i++) {
            double upper = traced.get(i).lambda();
            double lower = i + 1 < traced.size() ? traced.get(i + 1).lambda() : homotopy.lowest();
            if (!(lower > 0) || lower >= upper) {
                continue;
            }
            double mid = Math.sqrt(upper * lower);
            ShallowNetwork net = homotopy.networkAt(mid, false);
            double j = DiagnosticsCalculator.dataFit(net, problem) + mid * io.sparsefit.core.penalty.PathNorm.of(net);
            if (j > previous * (1 + AGREEMENT) + 1e-12) {
                return i;
            }
            previous = j;
        }
        return traced.size();
    }

    /**
     * Whether the homotopy's network at a point is the exact solve's optimum: objectives equal to {@link #AGREEMENT}
     * relative. The homotopy's affine maps come from two linear solves per breakpoint and their errors accumulate
     * over thousands of breakpoints, so its breakpoints are reported
     * only as far as the exact solves confirm them.
     */
    private static boolean agrees(ShallowNetwork traced, FitOutcome exact, FitProblem problem, FitSettings settings) {
        double j = exact.diagnostics().objective();
        double tracedObjective = DiagnosticsCalculator.dataFit(traced, problem)
                + settings.lambda() * io.sparsefit.core.penalty.PathNorm.of(traced);
        return Math.abs(tracedObjective - j) <= AGREEMENT * Math.max(1.0, Math.abs(j));
    }

    /** The validation sequences: K folds, one hold-out part, or none. */
    private static List<Track> folds(FitProblem problem, PathSpec spec, long seed) {
        int n = problem.rows();
        List<Track> tracks = new ArrayList<>();
        if (spec.folds() >= 2) {
            int[] fold = Folds.kFold(n, spec.folds(), seed);
            for (int k = 0; k < spec.folds(); k++) {
                boolean[] held = new boolean[n];
                for (int i = 0; i < n; i++) {
                    held[i] = fold[i] == k;
                }
                tracks.add(track(problem, held));
            }
        } else if (Folds.holdoutRows(n, spec.holdout()) > 0) {
            tracks.add(track(problem, Folds.holdout(n, spec.holdout(), seed)));
        }
        return tracks;
    }

    /** The training part of {@code problem} (its loss and weights kept) and the held-out rows. */
    private static Track track(FitProblem problem, boolean[] held) {
        DMatrixRMaj x = problem.x();
        DMatrixRMaj y = problem.y();
        FitProblem train = new FitProblem(Folds.rows(x, held, false), Folds.rows(y, held, false)).withLoss(problem.loss());
        double[] w = problem.sampleWeights();
        if (w != null) {
            train = train.withSampleWeights(Folds.rows(new DMatrixRMaj(w.length, 1, true, w), held, false).data);
        }
        return new Track(train, Folds.rows(x, held, true), Folds.rows(y, held, true));
    }

    /**
     * The loss's error per held-out row ({@link io.sparsefit.core.loss.Loss#error}: the squared error summed over
     * outputs for regression, the trainMse convention; the log loss for classification).
     */
    private static double[] rowErrors(Network net, io.sparsefit.core.loss.Loss loss, DMatrixRMaj x, DMatrixRMaj y) {
        DMatrixRMaj pred = net.predict(x, null);
        double[] out = new double[x.numRows];
        loss.error(pred.data, y.data, x.numRows, pred.numCols, out);
        return out;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e;
        }
        return s / v.length;
    }

    private static double standardDeviation(double[] v, double mean) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double s = 0;
        for (double e : v) {
            s += (e - mean) * (e - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /**
     * Whether the token stopped a point's fit: a cancel, or a deadline token's budget ({@link StopReason#TIME_LIMIT}; a
     * point has no time limit of its own). Either way the point in progress is dropped, not reported half solved: the
     * path keeps only complete points, and {@link CancellationToken#timedOut()} tells its caller which it was.
     */
    private static boolean stopped(StopReason reason) {
        return reason == StopReason.CANCELLED || reason == StopReason.TIME_LIMIT;
    }

    /** One sequence of warm-started fits over the same rows. */
    private static final class Track {
        final FitProblem problem;
        final DMatrixRMaj heldX;
        final DMatrixRMaj heldY;
        Network previous;

        Track(FitProblem problem, DMatrixRMaj heldX, DMatrixRMaj heldY) {
            this.problem = problem;
            this.heldX = heldX;
            this.heldY = heldY;
        }

        /** A validation fold's network at the settings' lambda, or null when stopped: no diagnostics, it is only scored. */
        Network solve(FitSettings settings, SolverType type, boolean widthFree, CancellationToken cancel) {
            SolverResult result = SparseFit.solveAndFinish(problem, settings, type, SparseFit.create(type, widthFree, previous),
                    ProgressListener.NONE, cancel);
            if (stopped(result.stopReason())) {
                return null;
            }
            previous = result.network();
            return previous;
        }

        /**
         * A fit at the settings' lambda, finished and diagnosed like a single fit, with the path's {@code lambdaMax} of these
         * rows (computed once, not at every point), or null when stopped (cancel or deadline).
         */
        FitOutcome solveOutcome(FitSettings settings, SolverType type, boolean widthFree, double lambdaMax,
                                CancellationToken cancel) {
            FitOutcome outcome = SparseFit.fit(problem, settings, type, SparseFit.create(type, widthFree, previous),
                    ProgressListener.NONE, cancel,
                    lambdaMax);
            if (stopped(outcome.diagnostics().stopReason())) {
                return null;
            }
            previous = outcome.network();
            return outcome;
        }
    }
}
