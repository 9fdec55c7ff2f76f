package io.sparsefit.core;

import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Finishing;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.Adam;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.ExactSpline1D;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.PathProx;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.Solver;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;

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
     * The solver {@code auto} stands for: {@code exact} (C1) for one input and one output with weight decay
     * or path norm and the skip connection on (the exact solver's optimum has an unpenalized affine part),
     * else {@code prox}.
     */
    public static SolverType resolve(SolverType requested, int inputDim, int outputDim, Regularization regularization,
                                     boolean skip) {
        if (requested != SolverType.AUTO) {
            return requested;
        }
        boolean exactApplies = inputDim == 1 && outputDim == 1 && skip && regularization != Regularization.NONE;
        return exactApplies ? SolverType.EXACT : SolverType.PROX;
    }

    /** A fresh solver instance (solvers hold work buffers, so one per fit). */
    public static Solver create(SolverType type) {
        return switch (type) {
            case EXACT -> new ExactSpline1D();
            case PROX, AUTO -> new PathProx();
            case LBFGS -> new Lbfgs();
            case ADAM -> new Adam();
        };
    }

    /**
     * Fits, finishes and diagnoses. The result of a gradient solver ({@code prox}, {@code lbfgs}, {@code adam})
     * goes through {@link Finishing#finish(ShallowNetwork, FitProblem, Regularization, double)}: the convex
     * polish of the outer weights with the hyperplanes fixed (only with a penalty, {@code lambda > 0} and an
     * affordable problem size; in 1-D with skip it starts from the spline through the fitted values, knots on
     * data points), then rebalance (A4), prune and canonicalize (A6). The
     * exact solver's network is already optimal and balanced and is returned as it is. A cancelled fit still
     * returns the network reached so far, unfinished; one stopped by a deadline token ({@link StopReason#TIME_LIMIT}) is
     * finished like a converged one.
     *
     * @throws IllegalArgumentException when the settings cannot apply to the problem (e.g. {@code exact} with d > 1)
     */
    public static FitOutcome fit(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        long start = System.nanoTime();
        SolverType type = resolve(settings.solver(), problem.inputDim(), problem.outputDim(), settings.regularization(),
                settings.skip());
        SolverResult result = create(type).solve(problem, settings, progress, cancel);
        if (result.stopReason() == StopReason.CANCELLED && cancel.timedOut()) {
            result = new SolverResult(result.network(), StopReason.TIME_LIMIT, result.iterations(), result.lossCurve());
        }
        ShallowNetwork network = result.network();
        if (type != SolverType.EXACT && result.stopReason() != StopReason.CANCELLED) {
            network = Finishing.finish(network, problem, settings.regularization(), settings.lambda());
        }
        Diagnostics diagnostics = DiagnosticsCalculator.compute(network, problem, settings, type, result, start);
        return new FitOutcome(network, diagnostics);
    }
}
