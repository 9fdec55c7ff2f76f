package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;

/** PLACEHOLDER: being implemented on a feature branch. */
public final class PathProx implements Solver {

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        throw new UnsupportedOperationException("PathProx is not implemented yet");
    }
}
