package io.sparsefit.core.solver;

/** Why a solver stopped: a numerical failure is a result, not an exception. */
public enum StopReason {
    CONVERGED,
    MAX_ITERATIONS,
    CANCELLED,
    DIVERGED
}
