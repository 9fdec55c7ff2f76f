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
     * pricing): measured at N = 50-500, m = 2, 3 (see {@link #resolve}).
     */
    public static final int AUTO_CONVEX_MAX_ROWS = 500;
    /**
     * Largest data set (rows) for which {@code auto} picks {@code convex} for two inputs and one output: the exact 2-D
     * pricing's limit ({@code Pricing.EXACT_2D_MAX_ROWS}); there it reaches the optimum with an exact certificate,
     * relative gap below 1e-6 (issue 20), where {@code lbfgs} at width 64 stops short. Measured (bench/auto-2d,
     * docs/benchmarks.md "auto in two inputs", the planted task, lambda 0.1, standardized, one run): at N = 1,000
     * {@code convex} ends with an exact relative gap of 5.0e-7 in 2.4 CPU s, {@code lbfgs} 0.045 % above in 1.1 CPU s
     * (certified gap 13 % of J); at N = 10,000 {@code convex} 4.4e-7 in 71 CPU s, {@code lbfgs} 0.21 % above in 5.4
     * CPU s (certified gap 57 % of J). The optimum with its certificate costs 13 times {@code lbfgs}'s CPU time at
     * 10^4 rows (the exact pruned sweep prices each of about 70 rounds); before the pruned sweep it took 404 CPU s.
     * With the width not given the {@code convex} fit starts from {@code lbfgs}'s ({@link #warmConvex2D}).
     */
    public static final int AUTO_CONVEX_MAX_ROWS_2D = 10_000;
    /**
     * As {@link #AUTO_CONVEX_MAX_ROWS_2D} for a classification loss (two classes, one logit): measured up to 1,000 rows
     * only (bench/peers-classify, half-moons at N = 1,000, lambda 1: {@code convex} 16 s to an exact relative gap of
     * 5.7e-10 against {@code lbfgs}'s 2.2 s at 0.022 % above, before the pruned sweep), and a classification round
     * prices the full circle, twice the sweep of squared loss; beyond it {@code lbfgs} until it is measured.
     */
    public static final int AUTO_CONVEX_MAX_ROWS_2D_CLASSIFICATION = 1_000;
    /**
     * Largest input dimension for which {@code auto} picks {@code convex}: two, where its certificate is exact.
     * In d >= 3 the local pricing is slower than lbfgs and can miss atoms (bench/peers: d = 5 and 10).
     */
    public static final int AUTO_CONVEX_MAX_INPUTS = 2;
    /**
     * Largest data set for which {@code auto} picks {@code convex} with several outputs and more than one input.
     * Measured (core, one seed, planted teachers with m = 2, 3 and linnerud in bench/peers): at N = 20, d = 3 it
     * ends 0.2-7 % below {@code lbfgs} in about the same time; from N = 50 on its tail grows to the atom cap
     * (vector amplitudes that are not parallel do not merge) and takes 2-17 s where {@code lbfgs} lands within
     * 0.1 % in well under a second.
     */
    public static final int AUTO_CONVEX_MAX_ROWS_MULTI_OUTPUT = 30;

    /**
     * Largest data set (rows) for which {@code auto} continues a width-filling {@code lbfgs} fit with {@code convex}
     * ({@link WidthFreeSolver}), for every loss. Measured on diabetes (N = 442, d = 10), where a column-generation round with 170-250
     * atoms took 1-2 s and the fit 3-6 minutes; a round's cost grows with N, so beyond twice that size the continuation
     * could hold a worker for most of an hour until it is faster (issue 20). Larger fits keep the {@code lbfgs} fit at
     * its starting width, as before.
     */
    public static final int AUTO_WIDTH_FREE_MAX_ROWS = 1_000;

    /**
     * The solver {@code auto} stands for, read from the solvers' capabilities ({@link SolverType#capabilities()}) and
     * the measured choices below. Mini-batches: {@code adam}, the one solver that takes them. A deep architecture:
     * {@code lbfgs} (full-batch quasi-Newton with a strong Wolfe search; in docs/benchmarks.md's before/after run it
     * ended below full-batch {@code adam} on 10 of the 14 shallow tasks; {@code adam} ended lower on diabetes at lambda
     * 0.003, where both were cut by the time limit, and on the three linnerud tasks (three outputs), where {@code lbfgs}
     * converged to a higher stationary point, by 0.004-7 %; nothing about depth changes that on the data sizes a fit
     * here admits). With a penalty, {@code lambda > 0} and the skip connection on (the optimum of both
     * global solvers has an unpenalized affine part): {@code exact} (C1) where it is capable (one input, one output,
     * squared loss); {@code convex} (C2) where it is capable and for two inputs and one output up to
     * {@link #AUTO_CONVEX_MAX_ROWS_2D} rows (the global optimum with an exact certificate, relative gap below 1e-6 where
     * {@code lbfgs} at width 64 stopped 0.04 % above it; issue 20; with squared loss and the width not given, started
     * from an {@code lbfgs} fit, {@link #warmConvex2D}); several outputs: {@code convex} for one input
     * up to {@link #AUTO_CONVEX_MAX_ROWS} rows (exact 1-D pricing: the same or a lower objective than {@code lbfgs} in
     * a third of the time, measured at N = 50-500, m = 2, 3) and for any input dimension up to
     * {@link #AUTO_CONVEX_MAX_ROWS_MULTI_OUTPUT} rows; the same for the classification losses (A2b) without weights,
     * measured (bench/peers-classify quick, docs/benchmarks.md "Classification peers", one seed, a loaded machine): on
     * the 1-D task (N = 200) {@code convex} reaches the optimum with an exact relative gap of 3.6e-10 in 0.04 s with 3
     * neurons, {@code lbfgs} the same objective in 0.4 s with 35; on the half-moons (N = 200) exact gaps 2.0e-10 and
     * 2.5e-13 in 1.5 and 0.9 s, where {@code lbfgs} ended 0.003 % above at lambda 0.01 (gap 2.5e-4); at N = 1,000
     * half-moons (lambda 1) {@code convex} took 16 s to a gap of 5.7e-10 against {@code lbfgs}'s 2.2 s at 0.022 % above
     * (gap 8.1e-3), the trade taken for squared loss at that size. Otherwise {@code lbfgs}, which reached lower objectives than
     * {@code prox} in less time on every benchmark task (docs/benchmarks.md). A solver other than {@code auto} is
     * returned as it is ({@link #requireCapable} checks it).
     *
     * <p>{@code lbfgs} is not the end of {@code auto} when the width was not given ({@link Architecture#widthCapped}
     * false, {@link FitSettings#defaults}, an absent {@code hiddenLayers} over HTTP): for every loss (squared, Huber,
     * logistic, cross-entropy), with or without sample weights, for one output or several, and the global problem above,
     * the solver {@link #create} returns for it ({@link #widthFree}) probes
     * the starting width with {@code lbfgs} and, when that fit uses most of its width, goes on with {@code lbfgs} afresh
     * at six times the width and then {@code convex} column generation warm-started from its neurons
     * ({@link WidthFreeSolver}, for single fits and a regularization path's points alike; issue 20, theory T7: the
     * optimum may need up to N - (d + 1) neurons). Measured at six times the width with the hand-over to
     * {@code convex} (docs/benchmarks.md, "auto beyond the default width", medians of three, CPU s): 4.3695 and 35.4265
     * at 3 s, against 4.5370 and 35.7951 at four times without it. The figures that follow were measured at four times
     * the width (256), before the hand-over (bench/peers diabetes, N = 442, d = 10, standardized, one seed, a loaded
     * machine, main-thread CPU seconds):
     * at lambda 0.832 {@code lbfgs} at width 64 ends at J = 43.287 with 61 neurons; this fit is at 35.94 after 3 s, 34.18
     * after 30 s and ends at 34.120 with 190 neurons (39 s); at 0.0832, 6.768 with 64 neurons against 4.53 after 10 s
     * and 4.090 with 272 neurons at the end (79 s). The other losses, weights and several outputs (LossWideAutoProbe,
     * main's classes against these in one run, one seed, a wall budget of 30 s at load 9-12; before, {@code auto} was
     * {@code lbfgs} at width 64, converged in 1.9-3.6 main-thread CPU s, 7.7 on digits; J before -> after, and after 3
     * main-thread CPU s): Huber (delta 1) on diabetes 6.590 -> 4.445 (4.64) at lambda 0.0832 and 42.19 -> 35.34 (36.09)
     * at 0.832; diabetes with sample weights in [0.5, 2] 6.405 -> 4.424 (4.64) and 43.02 -> 35.10 (35.66); logistic, a
     * planted d = 5, N = 800 task with 10 % of the labels flipped, 111.95 -> 78.00 (83.91) at 0.001 lambda_max and 313.09
     * -> 298.47 (304.29) at 0.01; three outputs (planted d = 5, N = 600) 8.195 -> 5.736 (5.774) at 0.001 lambda_max and
     * 19.48 -> 19.15 (19.22) at 0.01; cross-entropy on 900 digits (d = 64, ten classes, so ten outputs) 33.509 -> 33.421
     * at 0.003 lambda_max, where the widened fit is still above {@code lbfgs}'s end after 5 CPU s (33.60 against 33.51)
     * and below it at its own (10.4 s). Each widened fit used its 30 s (13-16 process CPU s against 3-10). Where the {@code lbfgs} fit leaves its width unused
     * (diabetes at 8.32: 21 neurons; planted d = 5 and d = 3 tasks: 11-24) the fit is {@code lbfgs}'s at that width, bit
     * for bit: the probe looks at the unfinished network after 2,000 iterations inside the one {@code lbfgs} run, which
     * goes on unchanged (beside the wider run when it fills the width).
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
     * goes through {@link Finishing#finish(Network, FitProblem, Regularization, double)}: the convex
     * polish of the outer weights with the hyperplanes fixed (only with a penalty, {@code lambda > 0} and an
     * affordable problem size; in 1-D with skip it starts from the spline through the fitted values, knots on
     * data points), then rebalance (A4), prune and canonicalize (A6). The
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
     * Whether {@code auto}'s {@code lbfgs} fit goes on beyond its starting width ({@link WidthFreeSolver}, issue 20): the
     * width was not given ({@link Architecture#widthCapped} false), one hidden layer, the problem the convex solver's
     * optimum is that of (a penalty, {@code lambda > 0}, the skip connection), full batch, up to
     * {@link #AUTO_WIDTH_FREE_MAX_ROWS} rows; any loss, sample weights or not, any number of outputs (the measured cases
     * are in {@link #resolve(SolverType, SolverCapabilities.Demand, int)}'s comment; the fill test weighs the rows and
     * takes the data scale of the loss, {@link WidthFreeSolver#inUseOnData}). Also where {@code auto} resolved to
     * {@code convex} in two inputs with one output ({@link #warmConvex2D}): there the same solver runs {@code lbfgs} at
     * the starting width and then {@code convex} from its neurons, whatever their number.
     *
     * @param type what {@link #resolve} made of {@code settings.solver()}
     */
    public static boolean widthFree(FitSettings settings, SolverCapabilities.Demand demand, SolverType type, int rows) {
        boolean continued = type == SolverType.LBFGS && rows <= AUTO_WIDTH_FREE_MAX_ROWS
                || type == SolverType.CONVEX && warmConvex2D(demand, rows);
        return settings.solver() == SolverType.AUTO && continued && !settings.architecture().widthCapped()
                && !demand.deep() && demand.batchSize() == 0 && demand.skip() && demand.lambda() > 0
                && demand.regularization() != Regularization.NONE;
    }

    /**
     * Whether {@code auto}'s {@code convex} fit in two inputs starts from an {@code lbfgs} fit at the starting width
     * ({@link WidthFreeSolver}, when {@link #widthFree} also holds, i.e. the width was not given): one output, squared
     * loss without weights, up to {@link #AUTO_CONVEX_MAX_ROWS_2D} rows (issue 20). The fit's progress then opens with
     * {@code lbfgs}'s objectives, near the optimum after a few dozen iterations, where a cold {@code convex} fit reports
     * its first rounds' (the affine fit's, then a few atoms'); the {@code convex} phase, warm from the {@code lbfgs}
     * neurons moved through their nearest data points ({@link io.sparsefit.core.convex.ExactPricing2D#throughNearestPoints}),
     * ends at the optimum with the exact certificate as a cold fit does where measured (objectives within the
     * certificates' gaps, below 5e-7 of J), and down to about 0.001 lambda_max on TwoInputAutoTest's data it reaches
     * 1e-6 in 17 of 19 cases (not at 300 and 1,000 rows at lambda 0.01; {@link WidthFreeSolver}'s class comment). Measured against the cold fit in one run (TimeToTargetProbe, bench/peers' planted 2-D task, N = 1,000,
     * main-thread CPU s, medians of the warm fits, load 10-15): to 1 % above the optimum 0.016-0.018 against 0.21 s at
     * lambda 0.01 lambda_max and 0.006-0.007 against 0.11-0.13 s at 0.1 lambda_max; to the end with the certificate 0.96
     * against 0.59 s at 0.01 (the {@code lbfgs} phase's 1,416 iterations, then 16 rounds against a cold fit's 13) and 0.32
     * against 0.50 s at 0.1 (410 iterations, then 2 rounds against 10). At N = 10^4 (bench/peers d2-large, lambda 0.05
     * lambda_max, wall s at load 12-21) 1.2 against 28 s to 1 % and 54 against 76 s to the end, PyTorch L-BFGS at width
     * 64 taking 48 s to 1 %. Classification losses keep the cold fit (not measured).
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
        // A fit stopped by its deadline is still finished, within the deadline's grace (CancellationToken#finishing: past
        // it the polish keeps its best iterate); a cancel (not the deadline) stops the finishing and discards it.
        // The first half of the grace (the certificate's pricing keeps the second, CancellationToken#polishing).
        CancellationToken polishing = cancel.polishing();
        RecordedStop stop = new RecordedStop(polishing::isCancelled);   // cut only if it saw it (steps that do not look run whole)
        Network network = result.network();
        if (type == SolverType.CONVEX && result.stopReason() != StopReason.CANCELLED) {
            // Already optimal over its hyperplanes: only the identity-preserving steps (balance, merge, A4/A6).
            network = Finishing.finish(network, problem, settings.regularization());
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
