package io.sparsefit.core;

import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
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
 * when {@link SparseFit#widthFree} holds: the {@code lbfgs} fit at the starting width, finished as always, and, when it
 * uses most of that width (at most {@value #WIDTH_UNUSED} of it unused, rounded up: the optimum may need more neurons
 * than it has), {@code convex} column generation warm-started from its neurons as atoms
 * ({@link ColumnGeneration#ColumnGeneration(ShallowNetwork)}), finished as a {@code convex} fit: pricing adds the atoms
 * the width lacked, sliding moves all of them, the restricted group lasso is solved to its own gap, and the number of
 * neurons is bounded only by the representer bound (purification to {@code N - (d + 1)}, T7). Of the two finished
 * networks the one with the lower objective (data fit plus penalty, the objective the fit reports) is the result,
 * reported as the solver that produced it ({@link #kept()}; {@code convex} in every measured case).
 *
 * <p>Its result is finished (each phase by the finishing of its own solver, {@link SparseFit#solveAndFinish}), so the
 * facade does not finish it again; the kept phase's data fit is handed to the diagnostics ({@link #keptDataFit()}),
 * which therefore evaluate the network once more only for the penalty.
 *
 * <p>Warm start (a regularization path's previous point, {@code PathRunner}): a previous network that already fills the
 * starting width (the previous point widened, or needed its whole width) goes straight to the warm {@code convex}
 * phase: its neurons are the atoms, and an {@code lbfgs} warm start would cut them back to the starting width. A
 * narrower one warm-starts the {@code lbfgs} phase, which then goes on as above.
 *
 * <p>Progress ({@link ProgressListener}, counted on the {@code maxIter} scale the service divides by): the
 * {@code lbfgs} phase reports its iterations as a plain {@code lbfgs} fit does; the {@code convex} rounds then fill
 * the rest, from the iterations the {@code lbfgs} phase used up to {@code maxIter}, in proportion to the round cap
 * ({@link #ROUND_CAP}, at most {@code maxIter}); a finished widened fit reports a last event at {@code maxIter} with
 * its kept objective. The loss curve and the iteration count are the two phases' in turn (the convex rounds counted
 * after the {@code lbfgs} iterations).
 *
 * <p>Why this and not a gradient fit whose width grows by priced atoms (measured on bench/peers diabetes, N = 442,
 * d = 10, docs/benchmarks.md "auto beyond the default width"): L-BFGS growing from 64 neurons by the local pricing's
 * atoms (up to doubling the width per round, 1,000 iterations a round) reached J = 4.611 at lambda 0.0832 and 35.48 at
 * 0.832 in the default 20,000 iterations, where this fit reached 4.124 and 34.63 (L-BFGS at width 64 alone: 6.768 and
 * 43.29).
 *
 * <p>Deterministic for a seed: both solvers are. One instance per fit (it keeps the phase it kept).
 */
public final class WidthFreeSolver implements Solver {

    /**
     * The convex phase runs when the finished gradient fit left at most this fraction of its starting width unused
     * (rounded up: one neuron of a narrow start).
     */
    static final double WIDTH_UNUSED = 0.125;
    /** Column generation's outer round cap (fewer when {@code maxIter} is smaller): the progress scale of the convex phase. */
    static final int ROUND_CAP = ColumnGeneration.MAX_ROUNDS;

    private final ShallowNetwork warmStart;
    private Solver kept;
    private SolverType keptType;
    private double keptDataFit = Double.NaN;

    /** A single fit: {@code lbfgs} from its seeded start, then the continuation. */
    public WidthFreeSolver() {
        this(null);
    }

    /** Warm from {@code warmStart} (a finished one-layer network; null for none), as described above. */
    public WidthFreeSolver(ShallowNetwork warmStart) {
        this.warmStart = warmStart;
    }

    /** Whether {@code active} neurons use most of {@code width} ({@link #WIDTH_UNUSED}). */
    static boolean filled(int active, int width) {
        return active > 0 && active >= width - Math.ceil(WIDTH_UNUSED * width);
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        if (warmStart != null && filled(DiagnosticsCalculator.activeNeurons(warmStart), settings.width())) {
            return widen(problem, settings, null, null, listener, cancel);
        }
        Lbfgs lbfgs = warmStart == null ? new Lbfgs() : new Lbfgs(warmStart);
        SolverResult gradient = SparseFit.solveAndFinish(problem, settings, SolverType.LBFGS, lbfgs, listener, cancel);
        keep(lbfgs, SolverType.LBFGS);
        boolean full = filled(DiagnosticsCalculator.activeNeurons(gradient.shallow()), settings.width());
        boolean trained = gradient.stopReason() == StopReason.CONVERGED || gradient.stopReason() == StopReason.MAX_ITERATIONS;
        if (!full || !trained || cancel.isCancelled()) {   // cancelled, out of time or diverged: as lbfgs alone
            return gradient;
        }
        return widen(problem, settings, lbfgs, gradient, listener, cancel);
    }

    /**
     * The warm {@code convex} phase from {@code gradient}'s neurons (or from the warm start when {@code gradient} is
     * null), and the choice between the two finished networks.
     */
    private SolverResult widen(FitProblem problem, FitSettings settings, Lbfgs lbfgs, SolverResult gradient,
                               ProgressListener listener, CancellationToken cancel) {
        int offset = gradient == null ? 0 : gradient.iterations();
        ColumnGeneration convex = new ColumnGeneration(gradient == null ? warmStart : gradient.shallow(),
                ColumnGeneration.ATOMS_PER_ROUND_WARM);
        SolverResult widened = SparseFit.solveAndFinish(problem, settings.withSolver(SolverType.CONVEX), SolverType.CONVEX,
                convex, rounds(listener, offset, settings.maxIter()), cancel);
        keep(convex, SolverType.CONVEX);
        if (gradient == null) {
            return widened;
        }
        if (widened.stopReason() == StopReason.CANCELLED) {
            // Cancelled (not the deadline): the finished gradient fit is the network reached so far.
            keep(lbfgs, SolverType.LBFGS);
            return SparseFit.cancelled(gradient);
        }
        double widenedFit = DiagnosticsCalculator.dataFit(widened.network(), problem);
        double widenedJ = widenedFit + penalty(widened, problem, settings);
        double gradientFit = DiagnosticsCalculator.dataFit(gradient.network(), problem);
        double gradientJ = gradientFit + penalty(gradient, problem, settings);
        if (widenedJ > gradientJ) {
            keep(lbfgs, SolverType.LBFGS);
            keptDataFit = gradientFit;
            listener.onProgress(Math.max(offset, settings.maxIter()), gradientJ, gradientFit, gradientJ - gradientFit);
            return gradient;
        }
        keptDataFit = widenedFit;
        listener.onProgress(Math.max(offset, settings.maxIter()), widenedJ, widenedFit, widenedJ - widenedFit);
        List<LossPoint> curve = new ArrayList<>(gradient.lossCurve());
        for (LossPoint p : widened.lossCurve()) {
            curve.add(new LossPoint(offset + p.iteration(), p.objective(), p.dataFit(), p.penalty()));
        }
        return new SolverResult(widened.network(), widened.stopReason(), offset + widened.iterations(), curve);
    }

    private static double penalty(SolverResult result, FitProblem problem, FitSettings settings) {
        return DiagnosticsCalculator.penalty(result.network(), problem, settings.regularization(), settings.lambda());
    }

    private void keep(Solver solver, SolverType type) {
        kept = solver;
        keptType = type;
        keptDataFit = Double.NaN;
    }

    /** The phase whose result {@link #solve} returned: {@code lbfgs} or {@code convex}; null before a solve. */
    public SolverType kept() {
        return keptType;
    }

    /** That phase's solver instance (e.g. the convex one's {@link ColumnGeneration#lambdaMax()}); null before a solve. */
    Solver keptSolver() {
        return kept;
    }

    /** The data fit of the returned network when this solver computed it for the choice; NaN otherwise. */
    double keptDataFit() {
        return keptDataFit;
    }

    /**
     * {@code listener} for the convex rounds: round {@code r} of the cap is reported at
     * {@code from + (to - from) r / cap}, so the rounds fill the progress left after the {@code lbfgs} phase.
     */
    private static ProgressListener rounds(ProgressListener listener, int from, int maxIter) {
        int to = Math.max(from, maxIter);
        int cap = Math.max(1, Math.min(maxIter, ROUND_CAP));
        return new ProgressListener() {
            @Override
            public void onProgress(int round, double objective, double dataFit, double penalty) {
                listener.onProgress(step(round), objective, dataFit, penalty);
            }

            @Override
            public void onGap(int round, double gap) {
                listener.onGap(step(round), gap);
            }

            private int step(int round) {
                return from + (int) ((long) (to - from) * Math.min(round, cap) / cap);
            }
        };
    }
}
