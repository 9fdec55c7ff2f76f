package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;

/** PLACEHOLDER: being implemented on a feature branch. */
public final class ExactSpline1D implements Solver {

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        throw new UnsupportedOperationException("ExactSpline1D is not implemented yet");
    }
}
