package io.sparsefit.core.solver;

/** Why a solver stopped: a numerical failure is a result, not an exception. */
public enum StopReason {
    CONVERGED,
    MAX_ITERATIONS,
    CANCELLED,
    DIVERGED,
    /** The fit's wall-clock budget ran out (a {@link CancellationToken#withDeadline deadline token} tripped); the network is the one reached, finished. */
    TIME_LIMIT
}
