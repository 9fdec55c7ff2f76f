package io.sparsefit.core.solver;

/** Receives progress from a running solver; called on the solver's thread, so keep it cheap. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (iteration, objective, dataFit, penalty) -> { };

    void onProgress(int iteration, double objective, double dataFit, double penalty);
}
