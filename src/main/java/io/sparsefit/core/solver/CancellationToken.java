package io.sparsefit.core.solver;

/**
 * Cancellation is cooperative: every solver, the finishing and the certificate look at the token at least every
 * ~100 ms of work at the sizes a fit admits (once per iteration, per line-search evaluation, per pricing start, per
 * group-lasso step), so an implementation must be cheap to call (a volatile read).
 */
@FunctionalInterface
public interface CancellationToken {

    CancellationToken NEVER = () -> false;

    boolean isCancelled();

    /** True when this token tripped because a time budget ran out rather than because someone cancelled. */
    default boolean timedOut() {
        return false;
    }

    /**
     * The part of this token that is not a time budget: what the finishing and the diagnostics look at, since a fit
     * stopped by its deadline is still finished and certified ({@link StopReason#TIME_LIMIT}). This token itself
     * unless it was made by {@link #withDeadline}.
     */
    default CancellationToken ignoringDeadline() {
        return this;
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

            @Override
            public CancellationToken ignoringDeadline() {
                return inner.ignoringDeadline();
            }
        };
    }
}
