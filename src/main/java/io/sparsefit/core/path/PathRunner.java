package io.sparsefit.core.path;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.Adam;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.PathProx;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.Solver;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.convex.ColumnGeneration;
import io.sparsefit.core.solver.exact.SplinePath;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * Runs a regularization path. Lambdas are solved in descending order; at each one every validation fold's
 * training part is fitted and scored on its held-out part, then the model is refit on all the data, so a point
 * is complete (and reported, and the cancel token looked at) before the next starts: a cancel stops a path
 * within one point. Each sequence (a fold's training rows, or all rows) is warm-started along lambda:
 * <ul>
 *   <li>{@code exact} (one input): the homotopy of {@link SplinePath} traced once per sequence down to the
 *       smallest lambda (theory C1); each point is the exact solve on its segment's knot set, which is the
 *       previous point's active set updated by the breakpoints in between;</li>
 *   <li>{@code convex}: column generation starting from the previous point's hyperplanes;</li>
 *   <li>{@code prox}, {@code lbfgs}, {@code adam}: starting from the previous point's network (padded with fresh
 *       neurons up to the width).</li>
 * </ul>
 * Every refit on all data is finished and certified exactly like a single fit ({@link SparseFit#fit}). The solver
 * is resolved once, for the smallest lambda (what {@code auto} would pick there). Deterministic for a seed.
 */
public final class PathRunner {

    /** Breakpoints traced at most per sequence; below the last one the exact points are solved cold. */
    public static final int MAX_BREAKPOINTS = 200_000;

    private PathRunner() {
    }

    public static RegularizationPath run(FitProblem problem, PathSpec spec, PathListener listener, CancellationToken cancel) {
        FitSettings base = spec.settings();
        if (base.regularization() == Regularization.NONE) {
            throw new IllegalArgumentException("a path needs a penalty (weight_decay or path_norm)");
        }
        double lambdaMax = DiagnosticsCalculator.lambdaMax(problem, base.seed());
        double[] lambdas = spec.lambdaSequence(lambdaMax);
        double smallest = lambdas[lambdas.length - 1];
        SolverType type = SparseFit.resolve(base.solver(), problem.rows(), problem.inputDim(), problem.outputDim(),
                base.regularization(), base.skip(), smallest);
        if (type == SolverType.EXACT && (problem.inputDim() != 1 || problem.outputDim() != 1 || !base.skip())) {
            throw new IllegalArgumentException("the exact solver needs one input, one output and the skip connection");
        }
        List<Track> folds = folds(problem, spec, base.seed());
        Track full = new Track(problem, null, null);
        List<SplinePath.Breakpoint> breakpoints = List.of();
        if (type == SolverType.EXACT) {
            for (Track t : folds) {
                t.trace(smallest, cancel);
            }
            full.trace(smallest, cancel);
            breakpoints = full.path.breakpoints();
        }
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
                ShallowNetwork net = t.solve(settings, type, cancel);
                if (net == null) {
                    cancelled = true;
                    break;
                }
                double[] rowErrors = rowErrors(net, t.heldX, t.heldY);
                foldMse[k] = mean(rowErrors);
                if (folds.size() == 1) {
                    holdoutSe = standardDeviation(rowErrors, foldMse[k]) / Math.sqrt(rowErrors.length);
                }
            }
            FitOutcome outcome = cancelled ? null : full.solveOutcome(settings, type, cancel);
            if (outcome == null) {
                cancelled = true;
                break;
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
        return new RegularizationPath(lambdaMax, type, points, choice[0], choice[1], chosen, breakpoints, cancelled);
    }

    /** The validation sequences: K folds, one hold-out part, or none. */
    private static List<Track> folds(FitProblem problem, PathSpec spec, long seed) {
        DMatrixRMaj x = problem.x();
        DMatrixRMaj y = problem.y();
        int n = problem.rows();
        List<Track> tracks = new ArrayList<>();
        if (spec.folds() >= 2) {
            int[] fold = Folds.kFold(n, spec.folds(), seed);
            for (int k = 0; k < spec.folds(); k++) {
                boolean[] held = new boolean[n];
                for (int i = 0; i < n; i++) {
                    held[i] = fold[i] == k;
                }
                tracks.add(track(x, y, held));
            }
        } else if (Folds.holdoutRows(n, spec.holdout()) > 0) {
            tracks.add(track(x, y, Folds.holdout(n, spec.holdout(), seed)));
        }
        return tracks;
    }

    private static Track track(DMatrixRMaj x, DMatrixRMaj y, boolean[] held) {
        FitProblem train = new FitProblem(Folds.rows(x, held, false), Folds.rows(y, held, false));
        return new Track(train, Folds.rows(x, held, true), Folds.rows(y, held, true));
    }

    /** A fit's solver, warm-started from the previous point's network when there is one. */
    static Solver warmSolver(SolverType type, ShallowNetwork previous) {
        if (previous == null) {
            return SparseFit.create(type);
        }
        return switch (type) {
            case CONVEX -> new ColumnGeneration(previous);
            case LBFGS -> new Lbfgs(previous);
            case PROX -> new PathProx(previous);
            case ADAM -> new Adam(previous);
            default -> SparseFit.create(type);
        };
    }

    /** Squared error summed over outputs, per held-out row (the trainMse convention). */
    private static double[] rowErrors(ShallowNetwork net, DMatrixRMaj x, DMatrixRMaj y) {
        DMatrixRMaj pred = net.predict(x, null);
        int m = y.numCols;
        double[] out = new double[x.numRows];
        for (int i = 0; i < x.numRows; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                double r = pred.data[i * m + j] - y.data[i * m + j];
                s += r * r;
            }
            out[i] = s;
        }
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

    /** One sequence of warm-started fits over the same rows. */
    private static final class Track {
        final FitProblem problem;
        final DMatrixRMaj heldX;
        final DMatrixRMaj heldY;
        SplinePath path;
        ShallowNetwork previous;

        Track(FitProblem problem, DMatrixRMaj heldX, DMatrixRMaj heldY) {
            this.problem = problem;
            this.heldX = heldX;
            this.heldY = heldY;
        }

        void trace(double floor, CancellationToken cancel) {
            path = SplinePath.trace(problem.x().data, problem.y().data, floor, MAX_BREAKPOINTS, cancel);
        }

        /** The network at the settings' lambda, or null when cancelled. Validation folds need no diagnostics. */
        ShallowNetwork solve(FitSettings settings, SolverType type, CancellationToken cancel) {
            if (path != null && settings.lambda() >= path.lowest()) {
                return path.networkAt(settings.lambda(), settings.sparsest());
            }
            FitOutcome outcome = solveOutcome(settings, type, cancel);
            return outcome == null ? null : outcome.network();
        }

        /** A full fit at the settings' lambda (finished and diagnosed like a single fit), or null when cancelled. */
        FitOutcome solveOutcome(FitSettings settings, SolverType type, CancellationToken cancel) {
            if (path != null && settings.lambda() >= path.lowest()) {
                long start = System.nanoTime();
                ShallowNetwork net = path.networkAt(settings.lambda(), settings.sparsest());
                // Exact on its segment (C1): converged, certified by the diagnostics' own duality gap (T8).
                SolverResult result = new SolverResult(net, StopReason.CONVERGED, 0, List.of());
                return new FitOutcome(net, DiagnosticsCalculator.compute(net, problem, settings, type, result, start));
            }
            FitOutcome outcome = SparseFit.fit(problem, settings, type, warmSolver(type, previous), ProgressListener.NONE, cancel);
            if (outcome.diagnostics().stopReason() == StopReason.CANCELLED) {
                return null;
            }
            previous = outcome.network();
            return outcome;
        }
    }
}
