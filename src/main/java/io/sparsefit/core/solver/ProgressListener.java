package io.sparsefit.core.solver;

/** Receives progress from a running solver; called on the solver's thread, so keep it cheap. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (iteration, objective, dataFit, penalty) -> { };

    void onProgress(int iteration, double objective, double dataFit, double penalty);

    /**
     * The duality gap (theory T8) after outer iteration {@code iteration}, from the solvers that price
     * atoms ({@code convex}): it closes toward zero as the fit approaches the optimum. Ignored by default.
     */
    default void onGap(int iteration, double gap) {
    }
}
