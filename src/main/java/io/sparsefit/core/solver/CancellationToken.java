package io.sparsefit.core.solver;

/** Checked by every solver once per iteration: cancellation is cooperative. */
@FunctionalInterface
public interface CancellationToken {

    CancellationToken NEVER = () -> false;

    boolean isCancelled();
}
