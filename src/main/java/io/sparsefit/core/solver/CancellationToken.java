package io.sparsefit.core.solver;

/** Checked by every solver once per iteration: cancellation is cooperative. */
@FunctionalInterface
public interface CancellationToken {

    CancellationToken NEVER = () -> false;

    boolean isCancelled();

    /** True when this token tripped because a time budget ran out rather than because someone cancelled. */
    default boolean timedOut() {
        return false;
    }

    /**
     * {@code inner}, and also cancelled once {@link System#nanoTime()} passes {@code deadlineNanos}; then
     * {@link #timedOut()} is true (unless {@code inner} was cancelled too), and {@link io.sparsefit.core.SparseFit}
     * ends the fit with {@link StopReason#TIME_LIMIT} and the network reached so far, finished.
     */
    static CancellationToken withDeadline(CancellationToken inner, long deadlineNanos) {
        return new CancellationToken() {
            @Override
            public boolean isCancelled() {
                return inner.isCancelled() || System.nanoTime() - deadlineNanos >= 0;
            }

            @Override
            public boolean timedOut() {
                return !inner.isCancelled() && System.nanoTime() - deadlineNanos >= 0;
            }
        };
    }
}
