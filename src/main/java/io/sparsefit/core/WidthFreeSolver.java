package io.sparsefit.core;

import io.sparsefit.core.convex.ExactPricing2D;
import io.sparsefit.core.convex.PricedDualPoint;
import io.sparsefit.core.convex.RepresenterBound;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.finish.DualCertificate;
import io.sparsefit.core.finish.Prune;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.Solver;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.convex.ColumnGeneration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code auto} beyond the starting width (issue 20; theory C2, C4, T7), the solver {@link SparseFit#create} returns
 * when {@link SparseFit#widthFree} holds, in three phases, each finished by its own solver's finishing:
 * <ol>
 *   <li>the probe: one {@code lbfgs} run at the starting width, asked once, after its {@value #PROBE_ITERATIONS}-th
 *       iteration and on its unfinished network, whether it fills the width ({@link #fillsOnData}: neurons in use on
 *       the data, all but at most {@value #WIDTH_UNUSED} of the width, rounded up). If it does, the wide run of step 2
 *       starts there and the narrow run goes on alongside it ({@link #alongside}: the two alternate on one thread in
 *       turns of counted iterations, about half the time each) until it ends or the wide run's objective is below its
 *       own at a hand-over; then it is finished: plain {@code lbfgs}'s fit (with {@code maxIter} at its count), bit for
 *       bit, so a deadline that cuts the wide run early keeps the narrow run continued, not its unconverged state at
 *       the probe point. If not, the same run simply goes on ({@link Lbfgs.Run}, paused at the probe point), as
 *       {@code lbfgs} bit for bit, with no extra finishing and no restarted memory, until it ends or, from three
 *       inputs on and up to {@link #WIDE_MAX_ROWS} rows, becomes slow: its objective falls by at most {@link #NARROW_HANDOVER_RATE} relative per iteration
 *       over {@value #HANDOVER_WINDOW} iterations (also before the probe point). A run that ends before the probe
 *       point is judged on its finished network: converged or at a smaller {@code maxIter} by its neurons
 *       ({@link #filled}), ended by the hand-over as at the probe point ({@link #fillsOnData}). A finished fit that does not fill goes on to the warm {@code convex} phase of step 3 from
 *       its own neurons where the hand-over ended it; otherwise it is priced as column generation prices
 *       ({@link #priced}, T8): a local minimum that needs other neurons, not more, opens the gap above
 *       {@value #PRICED_GAP} of J and goes on to the convex phase; one that does not is returned as it is, plain
 *       {@code lbfgs}'s fit.</li>
 *   <li>When the probe fills its width, the optimum may need more neurons than it has (T7: up to N - (d + 1)):
 *       {@code lbfgs} afresh, seeded as any start, at {@value #WIDEN_FACTOR} times the width (at most the representer
 *       bound). A fresh start, not the probe's neurons plus new ones, and L-BFGS, the fast step at this size (docs/benchmarks.md,
 *       "Why the wide phase starts afresh"). Up to {@link #WIDE_MAX_ROWS} rows; beyond them the filled fit is priced as
 *       one that does not fill, and the convex phase adds what it lacks (docs/benchmarks.md, "Beyond 10,000 rows").
 *       Once it goes on alone it ends where its objective falls by at most {@value #HANDOVER_RATE} relative per
 *       iteration over {@value #HANDOVER_WINDOW} iterations: the convex phase is faster from there.</li>
 *   <li>{@code convex} column generation warm-started from the neurons of the lower of the two finished {@code lbfgs}
 *       fits (the wide one, unless it ended above the probe's; the narrow one alone when it did not fill) as atoms
 *       ({@link ColumnGeneration#autoContinuation}), finished as a {@code convex} fit: pricing adds
 *       the atoms the width lacked, sliding moves all of them, the restricted group lasso is solved to its own gap, and
 *       the number of neurons is bounded only by the representer bound (purification to
 *       {@link io.sparsefit.core.convex.RepresenterBound}, T7: {@code N - (d + 1)} with one output, {@code N - 1} for
 *       logistic, {@code m (N - (d + 1))} for m outputs, {@code (C - 1)(N - 1)} for cross-entropy). Its round cap
 *       follows the rows ({@link #roundCap}): {@value #ROUND_CAP} rounds at {@value #FULL_ROUNDS_MAX_ROWS} rows, more
 *       below them with one output (the rounds are cheaper: N-row columns, fewer atoms), fewer beyond (every round
 *       passes over the rows).</li>
 * </ol>
 * Of the finished networks the one with the lowest objective (data fit plus penalty, the objective the fit reports) is
 * the result, reported as the solver that produced it ({@link SolverResult#solver()}). A phase stopped by the deadline
 * ends the solve there: its network reached so far is finished and the lower of the networks finished so far is kept
 * (the wide {@code lbfgs} fit cut by the deadline can end above the narrow one's or below it); a cancel returns the best
 * finished {@code lbfgs} fit before the cancelled phase.
 *
 * <p>Its result is finished (each phase by the finishing of its own solver, {@link SparseFit#solveAndFinish};
 * {@link SolverResult#finished()}), so the facade does not finish it again; the kept phase's data fit, computed for the
 * choice, is handed to the diagnostics ({@link SolverResult#dataFit()}), which therefore evaluate the network once more
 * only for the penalty.
 *
 * <p>Warm start (a regularization path's previous point, {@code PathRunner}): a previous network that already fills the
 * starting width (the previous point widened, or needed its whole width) goes straight to the warm {@code convex}
 * phase: its neurons are the atoms, and an {@code lbfgs} warm start would cut them back to the starting width. A
 * narrower one warm-starts the probe, which then goes on as above.
 *
 * <p>Two inputs with one output, where {@code auto} is {@code convex} ({@link SparseFit#warmConvex2D}): the probe never
 * widens (the exact 2-D pricing adds whatever atoms the width lacks); the finished {@code lbfgs} fit at the starting
 * width, whatever its fill, goes on to the convex phase, its hyperplanes first moved through their nearest data points
 * ({@link ExactPricing2D#throughNearestPoints}); a warm start (a path's later point) goes straight to the convex
 * phase, moved the same way. Column generation's warm start there takes the exact sweep's maxima, 32 a round, at
 * every row count ({@link ColumnGeneration#autoContinuation}): at small lambda the
 * {@code lbfgs} fit at the starting width is no head start and the optimum needs hundreds of atoms (T7). The fit ends
 * where column generation ends; its certificate is the diagnostics' own, exact in two inputs, computed once as for
 * every other fit (figures: docs/benchmarks.md, "auto in two inputs" and "Two inputs across sizes and lambdas"). A deadline that cuts a phase the fit would
 * have run makes it TIME_LIMIT, whichever fit is kept.
 *
 * <p>Progress ({@link ProgressListener}, counted on the {@code maxIter} scale the service divides by): the
 * {@code lbfgs} phases report their iterations one after the other (the narrow run up to the probe point, then the wide
 * one, which runs at most the iterations the probe left of {@code maxIter}; a run that does not fill and prices below
 * {@link #PRICED_GAP} reports as {@code lbfgs} alone, one that prices above it or that the hand-over ended goes on with
 * the convex rounds); the {@code convex} rounds then fill the rest, from the iterations the {@code lbfgs} phases used
 * up to {@code maxIter}, in proportion to the round cap ({@link #roundCap}, at most {@code maxIter}, {@link #roundStep});
 * a widened fit reports a last event at {@code maxIter} with its kept objective. The loss curve and the iteration count
 * are on the same scale, so the count never exceeds {@code maxIter}: the narrow run's up to the probe point, then the
 * wide one's, then the convex rounds' (a kept narrow fit: its own whole).
 *
 * <p>Not a gradient fit whose width grows by priced atoms: on diabetes it ended above the convex continuation at both
 * lambdas, and above L-BFGS afresh at the wider width at lambda 0.0832 (the comparison: {@code git show
 * ce98f17:docs/benchmarks.md}, "auto beyond the default width").
 *
 * <p>Every loss of the family (A2b), with sample weights and with several outputs: each phase takes them ({@code lbfgs}
 * and {@code convex} do; the convex restricted problem is the proximal Newton group lasso for a loss other than
 * squared), and the fill test weighs the rows and measures contributions against the loss's own data scale
 * ({@link #inUseOnData}). Measured in {@link SparseFit#resolve(SolverType,
 * io.sparsefit.core.solver.SolverCapabilities.Demand, int)}'s comment.
 *
 * <p>Deterministic for a seed: every phase is, and the two {@code lbfgs} runs alongside each other alternate on one
 * thread, handing over at counted iterations, whatever the clock ({@code WidthFreeAlongsideTest}).
 */
public final class WidthFreeSolver implements Solver {

    /**
     * The fit widens when the probe left at most this fraction of its starting width unused (rounded up: one neuron of
     * a narrow start), judged on the unfinished network at the probe point ({@link #fillsOnData}), or on the finished
     * one when the run ended earlier ({@link #filled}).
     */
    static final double WIDTH_UNUSED = 0.125;
    /**
     * Column generation's outer round cap when it continues a wide gradient fit in three inputs or more, at
     * {@link #FULL_ROUNDS_MAX_ROWS} rows (more below them, fewer beyond: {@link #roundCap}; fewer when {@code maxIter}
     * is smaller): the progress scale of that convex phase. Two inputs and a warm start straight to the convex phase (a
     * path's later points) keep column generation's own {@link ColumnGeneration#MAX_ROUNDS}.
     */
    static final int ROUND_CAP = ColumnGeneration.MAX_ROUNDS_WARM;
    /**
     * The rows at which the convex phase continuing a wide gradient fit has {@link #ROUND_CAP} rounds ({@link #roundCap}).
     * Beyond them a cap scaled by {@code FULL_ROUNDS_MAX_ROWS / N} ({@link #scaledRoundCap}): a round's pricing,
     * restricted solve and sliding each pass over the N rows, so the phase's work (N times its rounds) stays that of a
     * {@value #FULL_ROUNDS_MAX_ROWS}-row fit's whole cap, and a fit without a time limit ends in minutes where an
     * uncapped continuation could hold a worker for most of an hour. Below them a cap raised by
     * {@code (FULL_ROUNDS_MAX_ROWS / N)^2} ({@link #smallTableRoundCap}).
     */
    static final int FULL_ROUNDS_MAX_ROWS = 1_000;
    /**
     * The most rounds {@link #smallTableRoundCap} gives (from 346 rows down): a bound on the rounds of a phase that
     * neither converges nor stalls on a few hundred rows (about 10 CPU minutes at diabetes' round cost).
     */
    static final int MAX_ROUND_CAP = 5_000;
    /**
     * Rows up to which a fit that fills its starting width restarts {@code lbfgs} wider (step 2). Every iteration of that
     * run passes over the N rows at {@value #WIDEN_FACTOR} times the width until its hand-over rule, so its work grows
     * with N without a cap; beyond these rows the filled fit is priced instead, as one that does not fill
     * ({@link #priced}), and the convex phase, whose rounds are capped by {@link #scaledRoundCap}, adds the atoms it
     * lacks (T8). Measured up to here: docs/benchmarks.md, "Beyond 1,000 rows".
     */
    public static final int WIDE_MAX_ROWS = 10_000;
    /** The scaled round cap's floor ({@link #roundCap}): the stall guard's span, {@code ColumnGeneration.STALL_ROUNDS}. */
    static final int MIN_ROUND_CAP = ColumnGeneration.STALL_ROUNDS;
    /**
     * Iterations of the probe at the starting width: enough for a fit that needs its whole width to show it (measured:
     * diabetes fills 64 neurons at both lambdas by then), where running it to convergence took 8,000-17,000 iterations.
     */
    static final int PROBE_ITERATIONS = 2000;
    /** A neuron's contribution over the data, relative to the data scale, below which the probe counts it unused. */
    static final double PROBE_NEGLIGIBLE = 1e-4;
    /**
     * The widened gradient fit's width, in starting widths (capped by the representer bound, T7). A wider run costs
     * more per iteration (about the width) but settles in a lower local minimum sooner. On diabetes no factor was best
     * at both lambdas and budgets (8 lower at lambda 0.0832 and 8 CPU s, and at 0.832 and 3 s; 5 lower nowhere); 6 was the
     * compromise kept (docs/benchmarks.md, "auto beyond the default width", "Tried and not kept").
     */
    static final int WIDEN_FACTOR = 6;
    /**
     * While the narrow and the wide {@code lbfgs} runs alternate ({@link #alongside}), the wide one hands over after this
     * many iterations, the narrow one after this many times the width ratio: an iteration costs about one evaluation
     * of the objective, proportional to the width, so each run gets about half the time.
     */
    static final int WIDE_TURN = 25;
    /**
     * The wide {@code lbfgs} run, alone, hands over to the convex phase once its objective falls by at most this much
     * relative per iteration over its last {@value #HANDOVER_WINDOW} iterations ({@link #alongside}): about the
     * convex phase's own pace per second at the wide width, calibrated on diabetes at width 384 (docs/benchmarks.md,
     * "The warm convex phase (diabetes)"; the measured rates per iteration: {@code git show
     * 3396f55:src/main/java/io/sparsefit/core/WidthFreeSolver.java}): a rate per iteration, so what it means in seconds
     * changes with N and the width.
     */
    static final double HANDOVER_RATE = 2e-6;
    /** The window of {@link #HANDOVER_RATE} and {@link #NARROW_HANDOVER_RATE}, in iterations of the run alone. */
    static final int HANDOVER_WINDOW = 1000;
    /**
     * The probe's run at the starting width (three inputs and more, up to {@link #WIDE_MAX_ROWS} rows, the sizes
     * measured), which does not widen, hands over to the convex
     * phase once its objective falls by at most this much relative per iteration over its last
     * {@value #HANDOVER_WINDOW} iterations: {@link #HANDOVER_RATE}'s pace per unit of work, an iteration costing about
     * the width, the wide run's {@value #WIDEN_FACTOR} times the starting width's. Without it a fit that does not fill its
     * width ran {@code lbfgs} to its own convergence, creeping for seconds a few 1e-7 of J an iteration, and reached the
     * convex phase late or never within its budget (planted d = 10, N = 1,000, lambda 0.01 ended in {@code lbfgs} at
     * 3 s; with 10 s it ends 0.15 % lower with the hand-over; diabetes at lambda 0.3 is within 0.1 % of its end in 0.40
     * s against 1.94 s: docs/benchmarks.md, "The probe's hand-over"). Not in one and two inputs: in two, the convex
     * phase's rounds at 10^4 rows were slower than the creeping run (the exact certificate at 1e-6 of J lost within the
     * budget).
     */
    static final double NARROW_HANDOVER_RATE = HANDOVER_RATE / WIDEN_FACTOR;
    /**
     * A finished narrow fit that does not fill its width goes on to the warm {@code convex} phase when its priced gap
     * ({@link #priced}; T8, exact in two inputs, sampled beyond) is above this fraction of J. At an optimum the gap is
     * zero; a converged {@code lbfgs} fit at it has a gap of its stopping tolerance's order, a local minimum one of the
     * order of the atoms it lacks. Calibrated on about 20 narrow fits of the tests and benchmarks (width 64): fits at the
     * optimum priced 0 to 6.2e-5 of J, the smallest gap of a fit in a local minimum was 2.9e-4 of J, and the distance to
     * the optimum was a fifth to a sixtieth of the gap, so the cut stands for at most about 2e-5 of J lost to a local
     * minimum (the list of fits: {@code git show 3396f55:src/main/java/io/sparsefit/core/WidthFreeSolver.java}). The
     * pricing costs 0.06-0.25 s of CPU at N = 800-1,000 in d = 5 and 10
     * ({@code LossWideAutoProbe <csv> <loss> 1 false <lambda> priced}), once: a fit returned as it is carries that
     * pricing to the diagnostics ({@link SolverResult#pricing()}), whose certificate then only adds its proof.
     */
    static final double PRICED_GAP = 1e-4;

    private final ShallowNetwork warmStart;
    private final int probeIterations;
    private final int wideMaxRows;
    private final double narrowRate;

    /** A single fit: {@code lbfgs} from its seeded start, then the continuation. */
    public WidthFreeSolver() {
        this(null);
    }

    /** Warm from {@code warmStart} (a finished one-layer network; null for none), as described above. */
    public WidthFreeSolver(ShallowNetwork warmStart) {
        this(warmStart, PROBE_ITERATIONS);
    }

    /** As above with the probe point at {@code probeIterations} (tests: a run that fills its width before converging). */
    WidthFreeSolver(ShallowNetwork warmStart, int probeIterations) {
        this(warmStart, probeIterations, WIDE_MAX_ROWS);
    }

    /** As above with the wide restart up to {@code wideMaxRows} rows (tests: the rule beyond {@link #WIDE_MAX_ROWS}, cheaply). */
    WidthFreeSolver(ShallowNetwork warmStart, int probeIterations, int wideMaxRows) {
        this(warmStart, probeIterations, wideMaxRows, NARROW_HANDOVER_RATE);
    }

    /**
     * As above with the probe's run handing over at {@code narrowRate} ({@link #NARROW_HANDOVER_RATE}; tests: 0, a run
     * that converges and is priced).
     */
    WidthFreeSolver(ShallowNetwork warmStart, int probeIterations, int wideMaxRows, double narrowRate) {
        this.warmStart = warmStart;
        this.probeIterations = probeIterations;
        this.wideMaxRows = wideMaxRows;
        this.narrowRate = narrowRate;
    }

    /** Whether {@code active} neurons use most of {@code width} ({@link #WIDTH_UNUSED}). */
    static boolean filled(int active, int width) {
        return active > 0 && active >= width - Math.ceil(WIDTH_UNUSED * width);
    }

    /**
     * The fill test on the unfinished network at the probe point (issue 20; T7: an optimum may need up to
     * {@code N - (d + 1)} neurons, more than the width): the neurons still in use on the data ({@link #inUseOnData})
     * fill the width ({@link #filled}). A neuron the optimum does not need decays under the weight decay L-BFGS trains
     * (A3) but is not yet zero at the probe point, so the finishing's threshold ({@link Prune#ABSOLUTE_THRESHOLD}) would
     * count it (on bench/peers' diabetes@0.3 39 of 64 were in use at the probe point, 21 in the finished fit).
     */
    static boolean fillsOnData(Network net, FitProblem problem, int width) {
        ShallowNetwork one = net.oneLayer();
        return one != null && filled(inUseOnData(one, problem), width);
    }

    /**
     * The neurons of {@code net} (not modified) in use on the data: those whose whole contribution to the fitted values
     * over the data, weighted as the loss weighs the rows, {@code ||v_k|| (sum_n w_n relu(w_k . x_n - b_k)^2)^(1/2)}, is
     * above {@value #PROBE_NEGLIGIBLE} of the data scale, and whose path-norm share is above {@code 1e-9} of the
     * largest. The data scale is that of what the loss's gradient can be, since removing a neuron whose output over
     * the data is {@code delta} changes the data fit by about {@code <g, delta>}, at most {@code ||delta||_w ||g / w||_w}
     * (Cauchy-Schwarz in the weighted inner product, {@code g_n = w_n dloss/df_n}):
     * <ul>
     *   <li>a regression loss (squared, Huber): the targets' spread about their (weighted) mean,
     *       {@code (sum_n w_n ||y_n - ybar||^2)^(1/2)}, which bounds the residual of every fit at least as good as the
     *       constant one (for Huber the gradient is the residual clipped at delta, no larger);</li>
     *   <li>a classification loss (logistic, cross-entropy): {@code (sum_n w_n)^(1/2)}, the logits' gradient being at
     *       most one per unit weight ({@code |sigmoid(f) - y| <= 1}, {@code ||softmax(f) - e_y|| <= sqrt 2}) whatever
     *       the labels are (A2b), and the constant model's objective {@code sum_n w_n H(class frequencies)} of that
     *       order; the labels' spread, or the logits' (which grow without bound on separable data as lambda falls),
     *       would not be a scale of the loss.</li>
     * </ul>
     * This is {@link Prune#inUseOnData}'s count at {@value #PROBE_NEGLIGIBLE} (its data scale, with the same fallbacks
     * for constant targets); without weights, the width {@link Prune#prune(Network, FitProblem, double, double)} leaves.
     * With weights the pre-activations are now summed as the prune sums them ({@code -b_k + sum_j w_kj x_nj}, where the
     * fill test had its own {@code X W^T - b}): a neuron exactly at the threshold may count differently in the last bit.
     */
    static int inUseOnData(ShallowNetwork net, FitProblem problem) {
        return Prune.inUseOnData(net, problem, PROBE_NEGLIGIBLE, Prune.DEFAULT_RELATIVE_THRESHOLD);
    }

    /**
     * The wide {@code lbfgs} run's width for a fit that starts at {@code startingWidth} neurons on {@code rows} rows,
     * {@code inputDim} inputs, {@code outputDim} outputs ({@code classification}: a classification loss):
     * {@value #WIDEN_FACTOR} times the starting width, at most the representer bound (T7, for m outputs and the
     * classification losses too, {@link RepresenterBound#of(int, int, int, boolean)}), never below the starting width.
     * The service's admission reads it through {@link SparseFit#widenedLbfgsWidth}.
     */
    static int wideWidth(int startingWidth, int rows, int inputDim, int outputDim, boolean classification) {
        return Math.max(startingWidth, Math.min(WIDEN_FACTOR * startingWidth,
                Math.max(1, RepresenterBound.of(rows, inputDim, outputDim, classification))));
    }

    /** {@link #wideWidth(int, int, int, int, boolean)} for {@code problem}'s shape and loss. */
    static int wideWidth(int startingWidth, FitProblem problem) {
        return wideWidth(startingWidth, problem.rows(), problem.inputDim(), problem.outputDim(),
                problem.loss().classification());
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        // Two inputs, one output: the lbfgs fit at the starting width is the convex phase's warm start whatever its fill
        boolean convexAfter = exactTwoInputs(problem, settings);
        if (warmStart != null && (convexAfter || filled(DiagnosticsCalculator.activeNeurons(warmStart), settings.width()))) {
            return widen(problem, settings, null, warmStart, convexAfter, 0, listener, cancel);
        }
        // One lbfgs run at the starting width, asked at probeIterations whether its unfinished network fills the
        // width: if so the wide run starts there and the two alternate on this thread (alongside), the narrow one until
        // its end or until the wide one is below it, lbfgs's fit at that count bit for bit; if not it simply goes on
        // alone, lbfgs bit for bit, until it ends or (three inputs and more) the hand-over rule ends it.
        int maxIter = settings.maxIter();
        int wider = wideWidth(settings.width(), problem);
        boolean[] wideStarted = {false};
        // Past the probe point only the wide run reports, once it has started (the progress scale is one run's).
        ProgressListener narrowProgress = listener.mapped(
                iteration -> !wideStarted[0] || iteration <= probeIterations ? iteration : -1);
        Lbfgs.Run narrow = new Lbfgs(warmStart).start(problem, settings, narrowProgress, cancel);
        Lbfgs.Run wideRun = null;
        boolean wideAllowed = problem.rows() <= wideMaxRows;
        // from three inputs on, up to the rows measured, the probe's run too hands over to the convex phase where it
        // has become slow (a rate of 0: never)
        Handover narrowRule = new Handover(problem.inputDim() >= 3 && wideAllowed ? narrowRate : 0.0, HANDOVER_WINDOW,
                WIDE_TURN);
        if (alone(narrow, probeIterations, WIDE_TURN, narrowRule) && !convexAfter && wideAllowed
                && fillsOnData(narrow.network(), problem, settings.width())) {
            wideStarted[0] = true;
            wideRun = new Lbfgs().start(problem, wideSettings(settings, wider, probeIterations),
                    listener.mapped(iteration -> probeIterations + iteration), cancel);
            alongside(narrow, wideRun, WIDE_TURN * wider / Math.max(1, settings.width()), WIDE_TURN,
                    Handover.forTurns(WIDE_TURN));
        } else {
            alone(narrow, maxIter, WIDE_TURN, narrowRule);
        }
        SolverResult gradient = SparseFit.solveAndFinish(problem, settings, SolverType.LBFGS, finished(narrow),
                listener, cancel).producedBy(SolverType.LBFGS, Double.NaN);
        if (gradient.stopReason() == StopReason.CANCELLED || gradient.stopReason() == StopReason.DIVERGED) {
            return gradient;   // a cancel or a diverged narrow run: the wide run's work is thrown away unfinished
        }
        boolean trained = gradient.stopReason() == StopReason.CONVERGED || gradient.stopReason() == StopReason.MAX_ITERATIONS;
        SolverResult wide;
        SolverResult both;
        int progressFrom;
        if (wideRun == null) {
            // A run that ended before the probe point (converged, the hand-over, or a smaller maxIter) is judged on its
            // finished network (full, below).
            if (trained && cancel.timedOut()) {
                // the deadline passed before the phase that follows (the convex phase, the pricing or the wide run)
                return gradient.withStopReason(StopReason.TIME_LIMIT);
            }
            if (!trained || cancel.isCancelled()) {   // cancelled, out of time or diverged: as lbfgs alone
                return gradient;
            }
            if (convexAfter) {
                return convexFrom(problem, settings, gradient, true, listener, cancel);
            }
            // Beyond WIDE_MAX_ROWS a fit that fills its width is priced too: the convex phase adds the atoms it lacks.
            // A run the hand-over ended is unfinished, judged as at the probe point: on the neurons in use on the data.
            boolean full = wideAllowed && gradient.iterations() <= probeIterations && (narrowRule.handedOver()
                    ? fillsOnData(gradient.network(), problem, settings.width())
                    : filled(DiagnosticsCalculator.activeNeurons(gradient.shallow()), settings.width()));
            if (!full) {
                // the hand-over's run goes on to the convex phase whatever its priced gap: it did not converge
                return narrowRule.handedOver() ? convexFrom(problem, settings, gradient, false, listener, cancel)
                        : priced(problem, settings, gradient, listener, cancel);
            }
            // Filled: lbfgs afresh at WIDEN_FACTOR times the width (up to the representer bound, T7), seeded as any start.
            wide = wideLbfgs(problem, settings, wider, gradient.iterations(), listener, cancel);
            both = appended(gradient, wide);
        } else {
            wide = SparseFit.solveAndFinish(problem, wideSettings(settings, wider, probeIterations), SolverType.LBFGS,
                    finished(wideRun), listener, cancel).producedBy(SolverType.LBFGS, Double.NaN);
            // The narrow run's curve up to the probe point, then the wide one's: its iterations past the probe point were
            // not reported, and the two counted together stay within maxIter.
            both = appended(upTo(gradient, probeIterations), wide);
        }
        if (wide.stopReason() == StopReason.CANCELLED) {
            return SparseFit.cancelled(gradient);   // a cancel (not the deadline): the finished narrow fit
        }
        // The lower of the two finished fits, also when the deadline cut them (each network reached so far, finished);
        // a kept wide fit carries both runs' loss curves, a kept narrow one its own whole; the convex rounds count on
        // from the kept fit's iterations.
        SolverResult better = lower(problem, settings, gradient, wide);
        SolverResult kept = better.network() == gradient.network() ? better : both.producedBy(SolverType.LBFGS, better.dataFit());
        if (wide.stopReason() == StopReason.TIME_LIMIT) {
            // the deadline cut the fit (its wide run), whichever run is kept: not a narrow run's own MAX_ITERATIONS
            // (the rule that ends it below maxIter) or CONVERGED
            kept = kept.withStopReason(StopReason.TIME_LIMIT);
        }
        progressFrom = kept.iterations();
        boolean wideTrained = wide.stopReason() == StopReason.CONVERGED || wide.stopReason() == StopReason.MAX_ITERATIONS;
        if (!wideTrained || cancel.isCancelled()) {
            return report(listener, kept, Math.max(progressFrom, maxIter), problem, settings);
        }
        // The convex phase starts from the kept fit's neurons: its first restricted solve, over their hyperplanes, ends
        // at most at the kept fit's objective, to the solve's tolerance (that fit is a feasible point of it), where the
        // other fit's neurons can start it higher. Not so in two inputs, where widen first moves the hyperplanes
        // through data points: the kept fit is no longer a feasible point, and a first round can end above it (2.5803
        // against lbfgs's 2.5782 measured); widen keeps the lower of the two fits.
        return widen(problem, settings, kept, kept.shallow(), convexAfter, Math.min(progressFrom, maxIter), listener,
                cancel);
    }

    /**
     * A finished narrow {@code lbfgs} fit that does not fill its width (issue 20): it may still be a local minimum that
     * needs other neurons, not more (T8: an atom priced above lambda lowers J). So it is priced as column generation
     * prices ({@link DualCertificate#sampled}: the fit's dual point, the seeded pricing of {@link
     * io.sparsefit.core.convex.Pricing}, exact in two inputs, else the local search from many starts and from the
     * fit's own neurons); where the gap that opens is above {@value #PRICED_GAP} of J, the warm {@code convex} phase
     * follows from the fit's neurons ({@link #widen}, which keeps the lower fit), else the fit is returned as it is:
     * plain {@code lbfgs}'s, bit for bit. A cancel or a deadline during the pricing returns the fit as it is, with
     * TIME_LIMIT for the deadline (it cut a phase the fit runs, so the fit is not CONVERGED).
     */
    private static SolverResult priced(FitProblem problem, FitSettings settings, SolverResult gradient, ProgressListener listener,
                                       CancellationToken cancel) {
        PricedDualPoint<ShallowNetwork> pricing = DualCertificate.price(gradient.shallow(), problem, settings.lambda(),
                settings.seed(), cancel::isCancelled);
        if (cancel.isCancelled()) {   // a cancel: lbfgs's fit; the deadline cut the pricing, a phase the fit runs
            return cancel.timedOut() ? gradient.withStopReason(StopReason.TIME_LIMIT) : gradient;
        }
        if (!opensGap(DualCertificate.sampled(pricing))) {
            // the fit as it is, with its pricing: the diagnostics' certificate of this network only adds the proof
            return gradient.withPricing(pricing);
        }
        // never two inputs with one output: that fit went on to the convex phase whatever its fill
        return convexFrom(problem, settings, gradient, false, listener, cancel);
    }

    /** The warm convex phase ({@link #widen}) from a finished narrow {@code lbfgs} fit's neurons, counting on from its iterations. */
    private static SolverResult convexFrom(FitProblem problem, FitSettings settings, SolverResult gradient, boolean twoInputs,
                                           ProgressListener listener, CancellationToken cancel) {
        return widen(problem, settings, gradient, gradient.shallow(), twoInputs,
                Math.min(gradient.iterations(), settings.maxIter()), listener, cancel);
    }

    /** Whether the priced gap of a fit is above {@link #PRICED_GAP} of its objective (the certificate's primal). */
    static boolean opensGap(Certificate priced) {
        double j = priced.gap() + priced.dualObjective();
        return priced.gap() > PRICED_GAP * Math.abs(j);
    }

    /**
     * The narrow and the wide {@code lbfgs} runs alongside each other, on this thread, from the probe point on (issue 20):
     * a fit that fills its width stopped its narrow run there, so a deadline that cut the wide run before it passed the
     * probe's fit kept the probe's 2,000-iteration fit, above what plain {@code lbfgs} reaches in the same time
     * (diabetes at lambda 0.0832, a 10 s budget: 7.364 against 6.768). So the narrow run goes on, plain {@code lbfgs}
     * bit for bit (a pause between iterations changes nothing, {@link Lbfgs.Run}), in turns of {@code narrowTurn}
     * iterations, and the wide run in turns of {@code wideTurn}: an iteration costs about one evaluation of the
     * objective, proportional to the width, so turns in the ratio of the widths give each run about half the time.
     * The narrow run is the fallback while the wide one is behind it: at the first hand-over where the wide run's
     * objective (the one both minimize, {@link Lbfgs.Run#objective}) is below the narrow run's, the narrow run ends
     * there (as plain {@code lbfgs} with {@code maxIter} at its count) and the wide one has the rest of the time alone.
     * Which step runs when is fixed by the counts and the objectives, whatever the clock. Once one run has ended the
     * other runs alone; the wide one alone ends by {@code handover} as well ({@link Handover}; at the first turn alone
     * after the narrow run converged while the wide one was still above it, too, so the lower, kept fit may then be the
     * narrow one). A deadline or a cancel ends both (each sees it at its next look). (A run diverges only at its start,
     * {@link Lbfgs.Run}, before the probe point.)
     */
    static void alongside(Lbfgs.Run narrow, Lbfgs.Run wide, int narrowTurn, int wideTurn, Handover handover) {
        while (!narrow.ended() || !wide.ended()) {
            narrow.advanceTo(narrow.iterations() + narrowTurn);
            wide.advanceTo(wide.iterations() + wideTurn);
            if (!narrow.ended() && wide.objective() < narrow.objective()) {
                narrow.result();   // ahead: the narrow run ends here, the wide one goes on alone
            }
            if (narrow.ended()) {
                handover.afterTurnAlone(wide);
            }
        }
    }

    /**
     * {@code run} alone, in turns of {@code turn} iterations, until it has ended, by itself or by {@code handover}, or
     * has accepted {@code until} iterations (the wide run from its start, when the probe's run ended before the probe
     * point; the probe's run, up to the probe point and on). Returns whether it goes on.
     */
    static boolean alone(Lbfgs.Run run, int until, int turn, Handover handover) {
        while (!run.ended() && run.iterations() < until) {
            run.advanceTo((int) Math.min(until, (long) run.iterations() + Math.max(1, turn)));
            handover.afterTurnAlone(run);
        }
        return !run.ended();
    }

    /**
     * When an {@code lbfgs} run alone (the wide one, {@link #HANDOVER_RATE}; the probe's from three inputs on,
     * {@link #NARROW_HANDOVER_RATE}) hands over to the convex phase: after a turn, where over its last {@code window}
     * iterations alone (counted in whole turns) its objective fell by at most {@code rate} relative per iteration (0 for
     * never). Decided on counts and objectives only, whatever the clock. One instance per run.
     */
    static final class Handover {
        private final double rate;
        private final double[] pastObjective;   // after each of the last span turns alone
        private final int[] pastIterations;
        private int turns;
        private boolean handedOver;

        Handover(double rate, int window, int turn) {
            int span = Math.max(1, window / Math.max(1, turn));
            this.rate = rate;
            this.pastObjective = new double[span];
            this.pastIterations = new int[span];
        }

        /** The rule of {@link #HANDOVER_RATE} over {@link #HANDOVER_WINDOW} for turns of {@code turn} iterations. */
        static Handover forTurns(int turn) {
            return new Handover(HANDOVER_RATE, HANDOVER_WINDOW, turn);
        }

        /** Whether this rule ended its run. */
        boolean handedOver() {
            return handedOver;
        }

        /** After a turn of {@code run} alone: ends it ({@link Lbfgs.Run#result}) where it became slower than the rule. */
        void afterTurnAlone(Lbfgs.Run run) {
            if (rate <= 0 || run.ended()) {
                return;
            }
            double j = run.objective();
            int slot = turns % pastObjective.length;
            if (turns >= pastObjective.length
                    && pastObjective[slot] - j <= rate * (run.iterations() - pastIterations[slot]) * Math.abs(j)) {
                run.result();   // slower than the convex phase: it takes over from here
                handedOver = true;
            }
            pastObjective[slot] = j;
            pastIterations[slot] = run.iterations();
            turns++;
        }
    }

    /** {@code run} ended where it is, as a solver for {@link SparseFit#solveAndFinish}'s finishing. */
    private static Solver finished(Lbfgs.Run run) {
        return (problem, settings, progress, cancel) -> run.result();
    }

    /** The wide run's settings: {@code wider} neurons, the iterations left of {@code maxIter} after {@code offset}. */
    private static FitSettings wideSettings(FitSettings settings, int wider, int offset) {
        return settings.withWidth(wider).withMaxIter(Math.max(1, settings.maxIter() - offset));
    }

    /** Two inputs, one output ({@link SparseFit#warmConvex2D}): the convex phase follows the starting width's fit. */
    private static boolean exactTwoInputs(FitProblem problem, FitSettings settings) {
        return SparseFit.warmConvex2D(SparseFit.demand(problem, settings), problem.rows());
    }

    /**
     * The wide {@code lbfgs} phase afresh at {@code wider} neurons, after {@code offset} iterations, alone until the
     * hand-over ({@link #alone}), finished.
     */
    private static SolverResult wideLbfgs(FitProblem problem, FitSettings settings, int wider, int offset,
                                          ProgressListener listener, CancellationToken cancel) {
        FitSettings wide = wideSettings(settings, wider, offset);
        Lbfgs.Run run = new Lbfgs().start(problem, wide, listener.mapped(iteration -> offset + iteration), cancel);
        alone(run, Integer.MAX_VALUE, WIDE_TURN, Handover.forTurns(WIDE_TURN));
        return SparseFit.solveAndFinish(problem, wide, SolverType.LBFGS, finished(run), listener, cancel)
                .producedBy(SolverType.LBFGS, Double.NaN);
    }

    /**
     * The warm {@code convex} phase from {@code atoms}' neurons, and the choice between its finished network and
     * {@code gradient} (the best finished {@code lbfgs} fit so far; null for a warm start straight to this phase);
     * {@code twoInputs}: {@link #exactTwoInputs}, asked once per solve.
     */
    private static SolverResult widen(FitProblem problem, FitSettings settings, SolverResult gradient, ShallowNetwork atoms,
                                      boolean twoInputs, int progressFrom, ProgressListener listener,
                                      CancellationToken cancel) {
        if (twoInputs) {
            // the gradient fit's hyperplanes through their nearest data points, where the optimum's lie (T8); also a
            // path's later points (gradient null), whose warm start may be an earlier point's kept lbfgs fit, off the
            // data (a convex fit's hyperplanes already pass through data points: the move leaves them there)
            atoms = atoms.copy();
            ExactPricing2D.throughNearestPoints(problem.x(), atoms.inputWeights().data, atoms.bias(), atoms.width());
        }
        int cap = roundCap(gradient, twoInputs, problem.rows(), problem.outputDim());
        ColumnGeneration convex = ColumnGeneration.autoContinuation(atoms, cap);
        SolverResult widened = SparseFit.solveAndFinish(problem, settings.withSolver(SolverType.CONVEX), SolverType.CONVEX,
                convex, rounds(listener, progressFrom, settings.maxIter(), cap, gradient != null), cancel)
                .producedBy(SolverType.CONVEX, Double.NaN);
        if (gradient == null) {
            return widened;
        }
        if (widened.stopReason() == StopReason.CANCELLED) {
            // Cancelled (not the deadline): the finished gradient fit is the network reached so far.
            return SparseFit.cancelled(gradient);
        }
        SolverResult kept = lower(problem, settings, gradient, widened);
        if (kept.network() != widened.network()) {
            if (widened.stopReason() == StopReason.TIME_LIMIT) {
                kept = kept.withStopReason(StopReason.TIME_LIMIT);   // the deadline cut the convex phase: not CONVERGED
            }
            return report(listener, kept, Math.max(progressFrom, settings.maxIter()), problem, settings);
        }
        return report(listener, appended(gradient, onProgressScale(widened, progressFrom, settings.maxIter(), cap), 0)
                        .producedBy(SolverType.CONVEX, kept.dataFit()),
                Math.max(progressFrom, settings.maxIter()), problem, settings);
    }

    /**
     * The convex phase's round cap: where it continues a gradient fit ({@code gradient}: widened or priced; a single
     * fit, or a path's point that ran the {@code lbfgs} phase) outside {@code twoInputs}, {@link #ROUND_CAP} at
     * {@link #FULL_ROUNDS_MAX_ROWS} rows, raised below them with one output ({@link #smallTableRoundCap}: 3,071 at 442
     * rows) and scaled down beyond ({@link #scaledRoundCap}: 300 rounds at 2,000 rows, 60 at 10^4); column
     * generation's own {@link ColumnGeneration#MAX_ROUNDS} in {@code twoInputs} ({@link #exactTwoInputs}: their exact
     * pricing ends at its gap within it, bench/auto-2d) and, scaled down likewise beyond {@link #FULL_ROUNDS_MAX_ROWS}
     * rows, for a warm start straight to this phase ({@code gradient} null: a path's later points, whose cost was
     * measured at it).
     */
    static int roundCap(SolverResult gradient, boolean twoInputs, int rows, int outputs) {
        if (twoInputs) {
            return ColumnGeneration.MAX_ROUNDS;
        }
        if (gradient == null) {
            return scaledRoundCap(ColumnGeneration.MAX_ROUNDS, rows);
        }
        // several outputs keep 600: their slow tail (ColumnGeneration.MAX_ROUNDS) was not measured past it
        return rows < FULL_ROUNDS_MAX_ROWS && outputs == 1 ? smallTableRoundCap(rows) : scaledRoundCap(ROUND_CAP, rows);
    }

    /**
     * The continuation's round cap below {@link #FULL_ROUNDS_MAX_ROWS} rows with one output: {@link #ROUND_CAP} times
     * {@code (FULL_ROUNDS_MAX_ROWS / N)^2} (rounded down), at most {@link #MAX_ROUND_CAP}; 3,071 rounds at diabetes'
     * 442 rows. Why: on diabetes (442 x 10) the 600 rounds the cap was at every row count up to 1,000 ended 1.0 %
     * (lambda 0.0832) and 0.22 % (0.832) above where the rounds converge, after about 2,560 and 1,460 rounds (525 and
     * 176 main-thread CPU s; docs/benchmarks.md, "Without a budget (diabetes)"). Why N^2: a round's work is N rows
     * times the active atoms, which may grow with N (T7: up to N - (d + 1)), so rounds times N^2 held at its
     * {@link #FULL_ROUNDS_MAX_ROWS}-row value is a bound in that model (not measured beyond diabetes; the cap beyond
     * {@link #FULL_ROUNDS_MAX_ROWS} rows assumes atoms that no longer grow). The cost: at the cap about 10 CPU minutes
     * at 442 rows, and as much at {@value #MAX_ROUND_CAP} rounds below 346 rows, where a phase does not converge or
     * stall ({@link ColumnGeneration#STALL_ROUNDS}) first; a fit's time limit ends it sooner.
     */
    static int smallTableRoundCap(int rows) {
        double scale = (double) FULL_ROUNDS_MAX_ROWS / Math.max(1, rows);
        return (int) Math.min(MAX_ROUND_CAP, Math.floor(ROUND_CAP * scale * scale));
    }

    /**
     * {@code cap} rounds up to {@link #FULL_ROUNDS_MAX_ROWS} rows, beyond them {@code cap * FULL_ROUNDS_MAX_ROWS / rows}
     * (rounded down), at least {@link #MIN_ROUND_CAP} (and at most {@code cap}).
     */
    static int scaledRoundCap(int cap, int rows) {
        if (rows <= FULL_ROUNDS_MAX_ROWS) {
            return cap;
        }
        return Math.min(cap, Math.max(MIN_ROUND_CAP, (int) ((long) cap * FULL_ROUNDS_MAX_ROWS / rows)));
    }

    /** Of two finished fits the one with the lower objective (the first on a tie), with its data fit. */
    private static SolverResult lower(FitProblem problem, FitSettings settings, SolverResult first, SolverResult second) {
        double firstFit = dataFit(first, problem);
        double secondFit = dataFit(second, problem);
        double firstJ = firstFit + penalty(first, problem, settings);
        double secondJ = secondFit + penalty(second, problem, settings);
        return secondJ < firstJ ? second.producedBy(second.solverOr(SolverType.LBFGS), secondFit)
                : first.producedBy(first.solverOr(SolverType.LBFGS), firstFit);
    }

    /** The last progress event, at {@code step}, with the kept fit's objective (its data fit is known); returns {@code kept}. */
    private static SolverResult report(ProgressListener listener, SolverResult kept, int step, FitProblem problem,
                                       FitSettings settings) {
        double penalty = penalty(kept, problem, settings);
        listener.onProgress(step, kept.dataFit() + penalty, kept.dataFit(), penalty);
        return kept;
    }

    /**
     * {@code run} as it was after {@code iterations} iterations for its count and loss curve (its points up to there);
     * its network and stop are its own.
     */
    private static SolverResult upTo(SolverResult run, int iterations) {
        List<LossPoint> curve = new ArrayList<>();
        for (LossPoint p : run.lossCurve()) {
            if (p.iteration() <= iterations) {
                curve.add(p);
            }
        }
        return new SolverResult(run.network(), run.stopReason(), Math.min(iterations, run.iterations()), curve,
                run.solver(), run.finished(), run.dataFit(), run.lambdaMax());
    }

    /** {@code first} then {@code second} (run after it): the second's network and stop, the loss curves in turn. */
    private static SolverResult appended(SolverResult first, SolverResult second) {
        return appended(first, second, first.iterations());
    }

    /** As above, {@code second}'s iterations counted after {@code offset} (the iterations of every earlier phase). */
    private static SolverResult appended(SolverResult first, SolverResult second, int offset) {
        List<LossPoint> curve = new ArrayList<>(first.lossCurve());
        for (LossPoint p : second.lossCurve()) {
            curve.add(new LossPoint(offset + p.iteration(), p.objective(), p.dataFit(), p.penalty()));
        }
        return new SolverResult(second.network(), second.stopReason(), offset + second.iterations(), curve,
                second.solver(), second.finished(), second.dataFit(), second.lambdaMax());
    }

    /** The result's data fit: the one it carries when known (the same computation), else computed. */
    private static double dataFit(SolverResult result, FitProblem problem) {
        return Double.isNaN(result.dataFit()) ? DiagnosticsCalculator.dataFit(result.network(), problem) : result.dataFit();
    }

    private static double penalty(SolverResult result, FitProblem problem, FitSettings settings) {
        return DiagnosticsCalculator.penalty(result.network(), problem, settings.regularization(), settings.lambda());
    }

    /**
     * {@code widened} with its rounds counted on the progress scale ({@link #roundStep}), so that the fit's iteration
     * count, like its progress, stays within {@code maxIter}; without its round 0: the objective of the warm atoms at
     * zero amplitude (the affine fit's, 106.6 against the finished {@code lbfgs} fit's 35.9 on diabetes at lambda
     * 0.832), a point of the convex solver's own state that a continuation from a finished fit has never been at.
     */
    private static SolverResult onProgressScale(SolverResult widened, int from, int maxIter, int cap) {
        List<LossPoint> curve = new ArrayList<>();
        for (LossPoint p : widened.lossCurve()) {
            if (p.iteration() > 0) {
                curve.add(new LossPoint(roundStep(p.iteration(), from, maxIter, cap), p.objective(), p.dataFit(), p.penalty()));
            }
        }
        return new SolverResult(widened.network(), widened.stopReason(), roundStep(widened.iterations(), from, maxIter, cap),
                curve, widened.solver(), widened.finished(), widened.dataFit(), widened.lambdaMax());
    }

    /**
     * Where round {@code round} of the convex phase counts on the {@code maxIter} scale, after {@code from} iterations of
     * the {@code lbfgs} phases: {@code from + (maxIter - from) round / cap}, the cap being the phase's round cap
     * ({@link #roundCap}, at most {@code maxIter}), so the rounds fill what the {@code lbfgs} phases left.
     */
    static int roundStep(int round, int from, int maxIter, int roundCap) {
        int to = Math.max(from, maxIter);
        int cap = Math.max(1, Math.min(maxIter, roundCap));
        return from + (int) ((long) (to - from) * Math.min(round, cap) / cap);
    }

    /**
     * {@code listener} for the convex rounds: round {@code r} of the cap is reported at
     * {@code from + (to - from) r / cap} ({@link #roundStep}), so the rounds fill the progress left after the
     * {@code lbfgs} phase; round 0 (the warm atoms at zero amplitude, see {@link #onProgressScale}) is not reported when
     * {@code afterLbfgs} (column generation reports no gap at round 0).
     */
    private static ProgressListener rounds(ProgressListener listener, int from, int maxIter, int cap, boolean afterLbfgs) {
        return listener.mapped(round -> round > 0 || !afterLbfgs ? roundStep(round, from, maxIter, cap) : -1);
    }
}
