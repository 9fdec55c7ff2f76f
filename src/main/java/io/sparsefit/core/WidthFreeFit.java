package io.sparsefit.core;

import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Polish;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.convex.ColumnGeneration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code auto} beyond the default width (issue 20; theory C2, C4, T7): the {@code lbfgs} fit at the starting width,
 * finished as always, and, when it uses most of that width (at most {@value #WIDTH_UNUSED} of it unused, rounded up:
 * the optimum may need more neurons than it has), {@code convex} column generation warm-started from its neurons as atoms
 * ({@link ColumnGeneration#ColumnGeneration(io.sparsefit.core.network.ShallowNetwork)}): pricing adds the atoms the
 * width lacked, sliding moves all of them, the restricted group lasso is solved to its own gap, and the number of
 * neurons is bounded only by the representer bound (purification to {@code N - (d + 1)}, T7). The lower of the two
 * finished objectives is returned (the convex one in every measured case), reported as the solver that produced it.
 *
 * <p>Why this and not a gradient fit whose width grows by priced atoms (measured on bench/peers diabetes, N = 442,
 * d = 10, docs/benchmarks.md "auto beyond the default width"): L-BFGS growing from 64 neurons by the local pricing's
 * atoms (up to doubling the width per round, 1,000 iterations a round) reached J = 4.611 at lambda 0.0832 and 35.48 at
 * 0.832 in the default 20,000 iterations, where this fit reached 4.124 and 34.63 (L-BFGS at width 64 alone: 6.768 and
 * 43.29).
 *
 * <p>Deterministic for a seed: both solvers are. Iterations and the loss curve are those of the two phases in turn
 * (the convex rounds counted after the L-BFGS iterations).
 */
final class WidthFreeFit {

    /**
     * The convex phase runs when the finished gradient fit left at most this fraction of its starting width unused
     * (rounded up: one neuron of a narrow start).
     */
    static final double WIDTH_UNUSED = 0.125;

    private WidthFreeFit() {
    }

    /** @param start the fit's start as {@link SparseFit} read it, for {@code runtimeMs} (the core reads the clock in one place) */
    static FitOutcome fit(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel,
                          long start) {
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        Lbfgs lbfgs = new Lbfgs();
        SolverResult gradient = SparseFit.solveAndFinish(problem, settings, SolverType.LBFGS, lbfgs, listener, cancel);
        boolean full = filled(DiagnosticsCalculator.activeNeurons(gradient.shallow()), settings.width());
        boolean trained = gradient.stopReason() == StopReason.CONVERGED || gradient.stopReason() == StopReason.MAX_ITERATIONS;
        if (!full || !trained || cancel.isCancelled()) {   // cancelled, out of time or diverged: as lbfgs alone
            return SparseFit.report(problem, settings, SolverType.LBFGS, lbfgs, gradient, start, Double.NaN, cancel);
        }
        int offset = gradient.iterations();
        ColumnGeneration convex = new ColumnGeneration(gradient.shallow());
        SolverResult widened = SparseFit.solveAndFinish(problem, settings.withSolver(SolverType.CONVEX), SolverType.CONVEX,
                convex, shifted(listener, offset), cancel);
        if (widened.stopReason() == StopReason.CANCELLED) {
            // Cancelled (not the deadline): the finished gradient fit is the network reached so far.
            return SparseFit.report(problem, settings, SolverType.LBFGS, lbfgs, SparseFit.cancelled(gradient), start,
                    Double.NaN, cancel);
        }
        double lambda = settings.lambda();
        if (Polish.objective(widened.network(), problem, lambda) > Polish.objective(gradient.network(), problem, lambda)) {
            return SparseFit.report(problem, settings, SolverType.LBFGS, lbfgs, gradient, start, Double.NaN, cancel);
        }
        List<LossPoint> curve = new ArrayList<>(gradient.lossCurve());
        for (LossPoint p : widened.lossCurve()) {
            curve.add(new LossPoint(offset + p.iteration(), p.objective(), p.dataFit(), p.penalty()));
        }
        SolverResult result = new SolverResult(widened.network(), widened.stopReason(), offset + widened.iterations(), curve);
        return SparseFit.report(problem, settings, SolverType.CONVEX, convex, result, start, Double.NaN, cancel);
    }

    /** Whether {@code active} neurons use most of {@code width} ({@link #WIDTH_UNUSED}). */
    static boolean filled(int active, int width) {
        return active > 0 && active >= width - Math.ceil(WIDTH_UNUSED * width);
    }

    /** {@code listener} with every iteration moved on by {@code offset} (the convex rounds after the L-BFGS iterations). */
    private static ProgressListener shifted(ProgressListener listener, int offset) {
        return new ProgressListener() {
            @Override
            public void onProgress(int iteration, double objective, double dataFit, double penalty) {
                listener.onProgress(offset + iteration, objective, dataFit, penalty);
            }

            @Override
            public void onGap(int iteration, double gap) {
                listener.onGap(offset + iteration, gap);
            }
        };
    }
}
