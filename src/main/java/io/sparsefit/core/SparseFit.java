package io.sparsefit.core;

import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Finishing;
import io.sparsefit.core.linalg.RecordedStop;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.Adam;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.ExactSpline1D;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.PathProx;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.Solver;
import io.sparsefit.core.solver.SolverCapabilities;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.convex.ColumnGeneration;
import java.util.List;

/**
 * The library's front door: solve, finish (theory C3), and compute diagnostics.
 *
 * <pre>{@code
 * FitProblem p = FitProblem.of1D(new double[] {0, 1, 2, 3}, new double[] {0, 1, 0, 1});
 * FitOutcome out = SparseFit.fit(p, FitSettings.defaults(0.01), ProgressListener.NONE, CancellationToken.NEVER);
 * out.diagnostics().knots();
 * }</pre>
 */
public final class SparseFit {

    private SparseFit() {
    }

    /**
     * Largest data set (rows) for which {@code auto} picks {@code convex} for one input and several outputs (exact 1-D
     * pricing; see {@link #resolve}).
     */
    public static final int AUTO_CONVEX_MAX_ROWS = 500;
    /**
     * Largest data set (rows) for which {@code auto} picks {@code convex} for two inputs and one output: the exact 2-D
     * pricing's limit ({@code Pricing.EXACT_2D_MAX_ROWS}), where it reaches the optimum with an exact certificate and
     * {@code lbfgs} at width 64 stops short (docs/benchmarks.md "auto in two inputs"). With the width not given the
     * {@code convex} fit starts from {@code lbfgs}'s ({@link #warmConvex2D}).
     */
    public static final int AUTO_CONVEX_MAX_ROWS_2D = 10_000;
    /**
     * As {@link #AUTO_CONVEX_MAX_ROWS_2D} for a classification loss (two classes, one logit): measured up to 1,000 rows
     * only (docs/benchmarks.md "Classification peers"), and a classification round prices the full circle, twice the
     * sweep of squared loss; beyond it {@code lbfgs} until it is measured.
     */
    public static final int AUTO_CONVEX_MAX_ROWS_2D_CLASSIFICATION = 1_000;
    /**
     * Largest input dimension for which {@code auto} picks {@code convex}: two, where its certificate is exact.
     * In d >= 3 the local pricing is slower than lbfgs and can miss atoms (bench/peers: d = 5 and 10).
     */
    public static final int AUTO_CONVEX_MAX_INPUTS = 2;
    /**
     * Largest data set for which {@code auto} picks {@code convex} with several outputs and more than one input:
     * beyond it the atom set grows to its cap (vector amplitudes that are not parallel do not merge) and {@code lbfgs}
     * is faster for the same objective (bench/peers, planted teachers and linnerud).
     */
    public static final int AUTO_CONVEX_MAX_ROWS_MULTI_OUTPUT = 30;

    /**
     * Largest data set (rows) for which {@code auto} goes on beyond its starting width ({@link WidthFreeSolver}) in a
     * single fit: the largest measured (docs/benchmarks.md, "Beyond 10,000 rows": 3 x 10^4 rows in five inputs). Beyond
     * {@link WidthFreeSolver#WIDE_MAX_ROWS} the continuation is the priced convex phase alone, whose round cap sits at
     * its floor of 25 from 24,000 rows on: its work (rounds x N x atoms) and its memory (N-row atom columns) then grow
     * with N without a cap, so beyond this {@code auto} stays at its starting width.
     */
    public static final int AUTO_WIDTH_FREE_MAX_ROWS = 30_000;

    /**
     * Largest data set (rows) for which a regularization path's {@code auto} points go on beyond the starting width
     * (every point and every fold widens: 20 points and 5 folds are 120 fits, hours at 2,000 rows if each reached its
     * round cap); two inputs with one output, where {@code auto} is {@code convex} ({@link #warmConvex2D}), are not
     * limited by it.
     */
    public static final int AUTO_WIDTH_FREE_PATH_MAX_ROWS = 1_000;

    /**
     * The solver {@code auto} stands for, read from the solvers' capabilities ({@link SolverType#capabilities()}) and
     * the measured choices below (docs/benchmarks.md). Mini-batches: {@code adam}, the one solver that takes them. A
     * deep architecture: {@code lbfgs} (full-batch quasi-Newton with a strong Wolfe search; it ended below full-batch
     * {@code adam} on most benchmark tasks). With a penalty, {@code lambda > 0} and the skip connection on (the optimum
     * of both global solvers has an unpenalized affine part): {@code exact} (C1) where it is capable (one input, one
     * output, squared loss); {@code convex} (C2) where it is capable and for two inputs and one output up to
     * {@link #AUTO_CONVEX_MAX_ROWS_2D} rows (the global optimum with an exact certificate; with squared loss and the
     * width not given, started from an {@code lbfgs} fit, {@link #warmConvex2D}); several outputs: {@code convex} for
     * one input up to {@link #AUTO_CONVEX_MAX_ROWS} rows and for any input dimension up to
     * {@link #AUTO_CONVEX_MAX_ROWS_MULTI_OUTPUT} rows; the same for the classification losses (A2b) without weights
     * (docs/benchmarks.md "Classification peers"). Otherwise {@code lbfgs}, which reached lower objectives than
     * {@code prox} in less time on every benchmark task. A solver other than {@code auto} is returned as it is
     * ({@link #requireCapable} checks it).
     *
     * <p>{@code lbfgs} is not the end of {@code auto} when the width was not given ({@link Architecture#widthCapped}
     * false, {@link FitSettings#defaults}, an absent {@code hiddenLayers} over HTTP): for every loss, with or without
     * sample weights, for one output or several, and the global problem above, the solver {@link #create} returns for
     * it ({@link #widthFree}) probes the starting width with {@code lbfgs} and, when that fit uses most of its width,
     * goes on with {@code lbfgs} afresh at six times the width and then {@code convex} column generation warm-started
     * from its neurons ({@link WidthFreeSolver}; theory T7: the optimum may need up to N - (d + 1) neurons; measured in
     * docs/benchmarks.md "auto beyond the default width" and "Other losses, weights and several outputs"). Where the
     * {@code lbfgs} fit leaves its width unused the fit is {@code lbfgs}'s at that width, bit for bit: the probe looks
     * at the unfinished network inside the one {@code lbfgs} run, which goes on unchanged. Up to
     * {@link #AUTO_WIDTH_FREE_MAX_ROWS} rows in a single fit, up to {@link #AUTO_WIDTH_FREE_PATH_MAX_ROWS} at a path's
     * points: beyond 1,000 rows the continuation's convex phase has a round cap scaled down with N
     * ({@link WidthFreeSolver#scaledRoundCap}: 600 rounds x 1,000 / N, so 300 at 2,000 rows and 60 at 10^4, at least 25),
     * so that a fit without a time limit still ends in minutes; beyond {@link WidthFreeSolver#WIDE_MAX_ROWS} rows a fit
     * that fills its width goes from the starting width straight to the convex phase when its priced gap says so,
     * without the wide {@code lbfgs} restart, whose work is not bounded by N. Measured on planted teachers in d = 3, 5,
     * 10 at 2,000-10^4 rows, 0.01 and 0.05 lambda_max, 8 CPU s: the
     * width-free fit ended at or below the width-64 {@code lbfgs} fit in 11 of 12 cases (up to 0.3 % lower), the 12th
     * 5e-6 above it on the same {@code lbfgs} path cut earlier by the budget; at 60 CPU s up to 0.5 % lower, and with
     * 10 minutes of a loaded machine 32 % lower at 2,000 rows and lambda 0.01 (docs/benchmarks.md, "auto beyond the
     * default width").
     */
    public static SolverType resolve(SolverType requested, SolverCapabilities.Demand demand, int rows) {
        if (requested != SolverType.AUTO) {
            return requested;
        }
        if (demand.batchSize() > 0) {
            return SolverType.ADAM;
        }
        if (demand.deep()) {
            return SolverType.LBFGS;
        }
        boolean global = demand.skip() && demand.regularization() != Regularization.NONE && demand.lambda() > 0;
        int inputDim = demand.inputs();
        int outputDim = demand.outputs();
        if (global && capable(SolverType.EXACT, demand)) {
            return SolverType.EXACT;
        }
        boolean convexSize = outputDim == 1 ? inputDim <= AUTO_CONVEX_MAX_INPUTS
                && rows <= (inputDim != 2 ? AUTO_CONVEX_MAX_ROWS : demand.loss().classification()
                        ? AUTO_CONVEX_MAX_ROWS_2D_CLASSIFICATION : AUTO_CONVEX_MAX_ROWS_2D)
                : inputDim == 1 ? rows <= AUTO_CONVEX_MAX_ROWS : rows <= AUTO_CONVEX_MAX_ROWS_MULTI_OUTPUT;
        // measured for squared loss and the classification losses without weights; Huber and sample weights go to
        // lbfgs until they are benchmarked
        boolean measured = (demand.loss().leastSquares() || demand.loss().classification()) && !demand.weighted();
        if (global && convexSize && measured && capable(SolverType.CONVEX, demand)) {
            return SolverType.CONVEX;
        }
        return SolverType.LBFGS;
    }

    /** What a fit of {@code problem} with {@code settings} asks of its solver. */
    public static SolverCapabilities.Demand demand(FitProblem problem, FitSettings settings) {
        return new SolverCapabilities.Demand(problem.loss(), problem.sampleWeights() != null, settings.regularization(),
                settings.lambda(), settings.skip(), !settings.architecture().isShallow(), problem.inputDim(),
                problem.outputDim(), settings.adam().batchSize());
    }

    private static boolean capable(SolverType type, SolverCapabilities.Demand demand) {
        return type.capabilities().accepts(type.wireName(), demand);
    }

    /**
     * @throws IllegalArgumentException naming every capability {@code type} lacks for {@code demand}
     */
    public static void requireCapable(SolverType type, SolverCapabilities.Demand demand) {
        List<SolverCapabilities.Missing> missing = type.capabilities().missing(type.wireName(), demand);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", missing.stream().map(SolverCapabilities.Missing::message).toList()));
        }
    }

    /**
     * A fresh solver instance (solvers hold work buffers, so one per fit) for a fit whose {@code auto} resolved to
     * {@code type}: the {@link WidthFreeSolver} when {@code widthFree} ({@link #widthFree}), else {@code type}'s solver;
     * warm-started from {@code warmStart} (a finished network, e.g. a regularization path's previous point; null for
     * none) where the solver takes a warm start ({@link SolverCapabilities#warmStart}; a deep network is not one, every
     * fit of it starts afresh).
     */
    public static Solver create(SolverType type, boolean widthFree, Network warmStart) {
        ShallowNetwork previous = warmStart == null ? null : warmStart.oneLayer();
        if (widthFree) {
            return new WidthFreeSolver(previous);
        }
        if (type == SolverType.AUTO) {
            throw new IllegalArgumentException("resolve auto first");
        }
        ShallowNetwork warm = type.capabilities().warmStart() ? previous : null;
        return switch (type) {
            case EXACT -> new ExactSpline1D();
            case CONVEX -> new ColumnGeneration(warm);
            case PROX -> new PathProx(warm);
            case AUTO -> throw new AssertionError("checked above");
            case LBFGS -> new Lbfgs(warm);
            case ADAM -> new Adam(warm);
        };
    }

    /**
     * Fits, finishes and diagnoses. The result of a gradient solver ({@code prox}, {@code lbfgs}, {@code adam})
     * goes through {@link Finishing#finish(Network, FitProblem, Regularization, double)} (theory C3: polish,
     * rebalance A4, prune, canonicalize A6); the convex solver's through its identity-preserving steps only. The
     * exact solver's network is already optimal and balanced and is returned as it is. A cancelled fit still
     * returns the network reached so far, unfinished; one stopped by a deadline token ({@link StopReason#TIME_LIMIT}) is
     * finished like a converged one, within the deadline's grace ({@link CancellationToken#finishing()}: past it the
     * polish keeps its best iterate, never above its input, and the certificate's pricing its best atom so far).
     *
     * @throws IllegalArgumentException when the settings cannot apply to the problem (e.g. {@code exact} with d > 1)
     */
    public static FitOutcome fit(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        SolverCapabilities.Demand demand = demand(problem, settings);
        SolverType type = resolve(settings.solver(), demand, problem.rows());
        requireCapable(type, demand);
        return fit(problem, settings, type, create(type, widthFree(settings, demand, type, problem.rows()), null), progress,
                cancel);
    }

    /**
     * Whether {@code auto}'s {@code lbfgs} fit goes on beyond its starting width ({@link WidthFreeSolver}): the
     * width was not given ({@link Architecture#widthCapped} false), one hidden layer, the problem the convex solver's
     * optimum is that of (a penalty, {@code lambda > 0}, the skip connection), full batch, up to
     * {@link #AUTO_WIDTH_FREE_MAX_ROWS} rows (beyond 1,000 the convex phase's round cap shrinks with N,
     * {@link WidthFreeSolver#scaledRoundCap}; beyond {@link WidthFreeSolver#WIDE_MAX_ROWS} no wide {@code lbfgs}
     * restart); any loss,
     * sample weights or not, any number of outputs (the measured cases are in
     * {@link #resolve(SolverType, SolverCapabilities.Demand, int)}'s comment; the fill test weighs the rows and
     * takes the data scale of the loss, {@link WidthFreeSolver#inUseOnData}). Also where {@code auto} resolved to
     * {@code convex} in two inputs with one output ({@link #warmConvex2D}): there the same solver runs {@code lbfgs} at
     * the starting width and then {@code convex} from its neurons, whatever their number.
     *
     * @param type what {@link #resolve} made of {@code settings.solver()}
     * @param rows the problem's rows
     */
    public static boolean widthFree(FitSettings settings, SolverCapabilities.Demand demand, SolverType type, int rows) {
        boolean continued = type == SolverType.LBFGS && rows <= AUTO_WIDTH_FREE_MAX_ROWS
                || type == SolverType.CONVEX && warmConvex2D(demand, rows);
        return settings.solver() == SolverType.AUTO && continued && !settings.architecture().widthCapped()
                && !demand.deep() && demand.batchSize() == 0 && demand.skip() && demand.lambda() > 0
                && demand.regularization() != Regularization.NONE;
    }

    /**
     * The width beyond its starting width that a single fit with {@code settings} on {@code rows} rows may train where
     * {@code auto} is {@code lbfgs} and goes on beyond that width ({@link #widthFree}): the wide {@code lbfgs} run's width
     * ({@link WidthFreeSolver#wideWidth}: six times the starting width, at most the representer bound, theory T7), which
     * the convex phase then starts from (beyond {@link WidthFreeSolver#WIDE_MAX_ROWS} rows there is no wide run and the
     * convex phase adds the atoms the starting width lacks); 0 for a fit that does not widen so: a given width, another
     * solver, more than {@link #AUTO_WIDTH_FREE_MAX_ROWS} rows, {@code auto}'s {@code convex} in two inputs (whose atoms
     * grow whatever the width). The service's admission
     * sizes a widening fit by it; the fit itself decides in {@link #fit(FitProblem, FitSettings, ProgressListener,
     * CancellationToken)} by the same {@link #resolve} and {@link #widthFree}.
     *
     * @param rows the rows the fit trains on
     */
    public static int widenedLbfgsWidth(FitSettings settings, SolverCapabilities.Demand demand, int rows) {
        SolverType type = resolve(settings.solver(), demand, rows);
        if (type != SolverType.LBFGS || !widthFree(settings, demand, type, rows)) {
            return 0;
        }
        return WidthFreeSolver.wideWidth(settings.width(), rows, demand.inputs(), demand.outputs(),
                demand.loss().classification());
    }

    /**
     * {@link #widthFree} for the points of a regularization path: the same, and where {@code auto} is {@code lbfgs}
     * only up to {@link #AUTO_WIDTH_FREE_PATH_MAX_ROWS} rows.
     */
    public static boolean widthFreePath(FitSettings settings, SolverCapabilities.Demand demand, SolverType type, int rows) {
        return widthFree(settings, demand, type, rows) && (type != SolverType.LBFGS || rows <= AUTO_WIDTH_FREE_PATH_MAX_ROWS);
    }

    /**
     * Whether {@code auto}'s {@code convex} fit in two inputs starts from an {@code lbfgs} fit at the starting width
     * ({@link WidthFreeSolver}, when {@link #widthFree} also holds, i.e. the width was not given): one output, squared
     * loss without weights, up to {@link #AUTO_CONVEX_MAX_ROWS_2D} rows. The fit's progress then opens with
     * {@code lbfgs}'s objectives, near the optimum after a few dozen iterations, where a cold {@code convex} fit reports
     * its first rounds'; the {@code convex} phase, warm from the {@code lbfgs} neurons moved through their nearest data
     * points ({@link io.sparsefit.core.convex.ExactPricing2D#throughNearestPoints}), ends at the optimum with the exact
     * certificate as a cold fit does (measured faster to within 1 % of the optimum, docs/benchmarks.md "auto in
     * two inputs"). Classification losses keep the cold fit (not measured).
     */
    public static boolean warmConvex2D(SolverCapabilities.Demand demand, int rows) {
        return demand.inputs() == 2 && demand.outputs() == 1 && demand.loss().leastSquares() && !demand.weighted()
                && rows <= AUTO_CONVEX_MAX_ROWS_2D;
    }

    /**
     * As {@link #fit(FitProblem, FitSettings, ProgressListener, CancellationToken)} with a given solver instance
     * of the resolved {@code type} (e.g. one constructed with a warm start for a regularization path).
     */
    public static FitOutcome fit(FitProblem problem, FitSettings settings, SolverType type, Solver solver,
                                 ProgressListener progress, CancellationToken cancel) {
        return fit(problem, settings, type, solver, progress, cancel, Double.NaN);
    }

    /**
     * As above, with the problem's lambda_max already known ({@link DiagnosticsCalculator#lambdaMax}, e.g. once for
     * every point of a path); NaN computes it in the diagnostics.
     */
    public static FitOutcome fit(FitProblem problem, FitSettings settings, SolverType type, Solver solver,
                                 ProgressListener progress, CancellationToken cancel, double knownLambdaMax) {
        long start = System.nanoTime();
        SolverResult result = solveAndFinish(problem, settings, type, solver, progress, cancel);
        return report(problem, settings, type, solver, result, start, knownLambdaMax, cancel);
    }

    /** The outcome of a solved and finished {@code result}: its diagnostics, valid even when cancelled meanwhile. */
    static FitOutcome report(FitProblem problem, FitSettings settings, SolverType type, Solver solver, SolverResult result,
                             long start, double knownLambdaMax, CancellationToken cancel) {
        FitOutcome outcome = diagnose(problem, settings, type, solver, result, start, knownLambdaMax, cancel);
        if (result.stopReason() != StopReason.CANCELLED && cancel.ignoringDeadline().isCancelled()) {
            // Cancelled during the diagnostics: their pricing stopped early, so the certificate is not valid.
            outcome = diagnose(problem, settings, type, solver, cancelled(result), start, knownLambdaMax, cancel);
        }
        return outcome;
    }

    private static FitOutcome diagnose(FitProblem problem, FitSettings settings, SolverType type, Solver solver,
                                       SolverResult result, long start, double knownLambdaMax, CancellationToken cancel) {
        // The result says which solver's fit it is (a composite solver's kept phase), its data fit and lambda_max when known.
        SolverType ran = result.solverOr(type);
        // The convex solver priced the affine fit's residual already (the exact pruned sweep in 2-D): reuse it. In
        // 1-D the diagnostics' own DualNorm1D is kept, so the reported value does not depend on the solver.
        double lambdaMax = problem.inputDim() >= 2 && !Double.isNaN(result.lambdaMax()) ? result.lambdaMax() : knownLambdaMax;
        double dataFit = result.dataFit();
        // The pricing stops at a cancel or past the deadline's grace (then its certificate is a sampled estimate), the
        // proof of the dual norm at the deadline itself.
        Diagnostics diagnostics = DiagnosticsCalculator.compute(result.network(), problem, settings, ran, result, start, lambdaMax,
                dataFit, cancel.finishing()::isCancelled, cancel::isCancelled);
        return new FitOutcome(result.network(), diagnostics);
    }

    /**
     * The solve and the finishing of {@link #fit}, without the diagnostics (their certificate prices the residual
     * again): for fits whose network alone is used, such as a path's validation folds. The result's network is
     * finished, unless the fit was cancelled, and marked {@link SolverResult#finished()}. A result the solver returns
     * already finished ({@link WidthFreeSolver} finishes each of its phases itself, through this method) is returned as
     * it is.
     */
    public static SolverResult solveAndFinish(FitProblem problem, FitSettings settings, SolverType type, Solver solver,
                                              ProgressListener progress, CancellationToken cancel) {
        SolverResult result = solver.solve(problem, settings, progress, cancel);
        if (result.finished()) {
            return result;   // e.g. WidthFreeSolver's: finished phase by phase here, its deadline and cancel already applied
        }
        if (result.stopReason() == StopReason.CANCELLED && cancel.timedOut()) {
            result = result.withStopReason(StopReason.TIME_LIMIT);
        }
        // Finished within the first half of the deadline's grace (CancellationToken#polishing); a cancel discards it.
        CancellationToken polishing = cancel.polishing();
        RecordedStop stop = new RecordedStop(polishing::isCancelled);   // cut only if it saw it (steps that do not look run whole)
        Network network = result.network();
        if (type == SolverType.CONVEX && result.stopReason() != StopReason.CANCELLED) {
            // Already optimal over its hyperplanes: only the identity-preserving steps (balance, merge, A4/A6), the
            // prune taking exact zeros only (Finishing#finishOptimal says why)
            network = Finishing.finishOptimal(network, problem, settings.regularization());
        } else if (type != SolverType.EXACT && result.stopReason() != StopReason.CANCELLED) {
            network = Finishing.finish(network, problem, settings.regularization(), settings.lambda(), stop);
        }
        if (cancel.ignoringDeadline().isCancelled()) {
            return cancelled(result).finished(result.network());   // the network reached by the solver, unfinished
        }
        if (result.stopReason() != StopReason.CANCELLED && stop.seen()) {
            result = result.withStopReason(StopReason.TIME_LIMIT);   // the grace ran out and cut the finishing too
        }
        return result.finished(network);
    }

    /** {@code result} marked cancelled (its network as it is). */
    static SolverResult cancelled(SolverResult result) {
        return result.stopReason() == StopReason.CANCELLED ? result : result.withStopReason(StopReason.CANCELLED);
    }
}
