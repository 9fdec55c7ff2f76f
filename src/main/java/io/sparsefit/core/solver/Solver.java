package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;

/**
 * One fitting algorithm. Implementations keep their work buffers in the instance for the life of one
 * fit, call {@code progress} every {@code settings.logEvery()} iterations and check {@code cancel}
 * every iteration. An instance is used by one thread at a time.
 */
public interface Solver {

    SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel);
}
