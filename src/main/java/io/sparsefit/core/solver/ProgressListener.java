package io.sparsefit.core.solver;

import java.util.function.IntUnaryOperator;

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

    /**
     * This listener with the iteration of every event (progress and gap) mapped by {@code iteration}: a phase counted
     * after others ({@code i -> offset + i}), rounds on another scale; an event mapped to a negative iteration is
     * dropped (a phase that does not report past some point). The one forwarder of a solver that reports several
     * phases on one scale.
     */
    default ProgressListener mapped(IntUnaryOperator iteration) {
        ProgressListener target = this;
        return new ProgressListener() {
            @Override
            public void onProgress(int at, double objective, double dataFit, double penalty) {
                int mappedAt = iteration.applyAsInt(at);
                if (mappedAt >= 0) {
                    target.onProgress(mappedAt, objective, dataFit, penalty);
                }
            }

            @Override
            public void onGap(int at, double gap) {
                int mappedAt = iteration.applyAsInt(at);
                if (mappedAt >= 0) {
                    target.onGap(mappedAt, gap);
                }
            }
        };
    }
}
