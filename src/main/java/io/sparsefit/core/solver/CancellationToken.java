package io.sparsefit.core.solver;

/**
 * Cancellation is cooperative: every solver, the finishing and the certificate look at the token at least every
 * ~100 ms of work at the sizes a fit admits (once per iteration, per line-search evaluation, per pricing start, per
 * group-lasso step), so an implementation must be cheap to call (a volatile read).
 *
 * <p>A time limit ({@link #withDeadline}) stops the solver at the deadline; the fit is then still finished and
 * certified, through {@link #finishing()}, a view of the same token whose deadline is later by a <b>grace</b>:
 * {@value #GRACE_FRACTION} of the budget, at least {@value #GRACE_FLOOR_MILLIS} ms ({@link #grace}). Past it the
 * finishing's polish (a descent method: every iterate is a feasible point with an objective no higher than its
 * input's) returns its best iterate and the certificate's pricing the best atom found so far, so a fit asked for
 * {@code t} seconds answers after about {@code t} plus the grace, plus the finishing's direct (non-iterative) steps.
 * The finishing looks at {@link #polishing()}, half the grace: past it the passes over the data that do not look at the
 * token (the merge on the data, the near merge, the prune on the data) are not started, and the features of the polish
 * look at it every few rows; those of a layered network's last-layer certificate (in the diagnostics) look at
 * {@link #finishing()}; without that a deep fit ended seconds past its budget plus the grace (docs/benchmarks.md
 * "Time limits"). A fit whose deadline never passes computes the same bits with or without it.
 */
@FunctionalInterface
public interface CancellationToken {

    CancellationToken NEVER = () -> false;

    /** The grace of {@link #finishing()}, as a fraction of the time budget ({@link #grace}). */
    double GRACE_FRACTION = 0.1;
    /** The least grace of {@link #finishing()}, in milliseconds: a short budget still gets its finishing started. */
    long GRACE_FLOOR_MILLIS = 500;

    boolean isCancelled();

    /** True when this token tripped because a time budget ran out rather than because someone cancelled. */
    default boolean timedOut() {
        return false;
    }

    /**
     * The part of this token that is not a time budget: what decides whether a fit was cancelled (a DELETE, a
     * shutdown), which discards its finishing and certificate. This token itself unless it was made by
     * {@link #withDeadline}.
     */
    default CancellationToken ignoringDeadline() {
        return this;
    }

    /**
     * What the finishing and the diagnostics of a fit look at: the cancellation of this token
     * ({@link #ignoringDeadline()}) and, for a token made by {@link #withDeadline}, its deadline plus the grace
     * ({@link #grace}); {@link #timedOut()} tells which tripped it. A fit stopped by its deadline
     * ({@link StopReason#TIME_LIMIT}) is finished within the grace rather than unbounded. Unless overridden,
     * {@link #ignoringDeadline()}: a token with no deadline of its own finishes without a time limit.
     */
    default CancellationToken finishing() {
        return ignoringDeadline();
    }

    /**
     * What the finishing's polish looks at: as {@link #finishing()}, but for a token made by {@link #withDeadline} it
     * trips halfway through the grace, so the certificate's pricing after it keeps the other half (a polish that used
     * the whole grace left the pricing none, and the sampled gap it reported was meaningless). Unless overridden,
     * {@link #finishing()}.
     */
    default CancellationToken polishing() {
        return finishing();
    }

    /**
     * The grace of {@link #finishing()} for a budget of {@code budgetNanos}: {@link #GRACE_FRACTION} of it, at least
     * {@link #GRACE_FLOOR_MILLIS}.
     */
    static long grace(long budgetNanos) {
        return Math.max(GRACE_FLOOR_MILLIS * 1_000_000L, (long) (GRACE_FRACTION * Math.max(0L, budgetNanos)));
    }

    /**
     * {@code inner}, and also cancelled once {@link System#nanoTime()} passes {@code deadlineNanos}; then
     * {@link #timedOut()} is true (unless {@code inner} was cancelled other than by a deadline of its own), and
     * {@link io.sparsefit.core.SparseFit} ends the fit with {@link StopReason#TIME_LIMIT} and the network reached so far, finished within the grace
     * ({@link #grace} of the budget left now, {@link #finishing()}).
     */
    static CancellationToken withDeadline(CancellationToken inner, long deadlineNanos) {
        return withDeadline(inner, deadlineNanos, grace(deadlineNanos - System.nanoTime()));
    }

    /** As above with the finishing's grace given ({@code graceNanos >= 0}). */
    static CancellationToken withDeadline(CancellationToken inner, long deadlineNanos, long graceNanos) {
        if (graceNanos < 0) {
            throw new IllegalArgumentException("grace must be >= 0, got " + graceNanos);
        }
        return deadline(inner, deadlineNanos, inner.finishing(), deadlineNanos + graceNanos);
    }

    /**
     * Cancelled with {@code inner} or past {@code deadlineNanos}; its finishing view: with {@code innerFinishing} or past
     * {@code finishingNanos}.
     */
    private static CancellationToken deadline(CancellationToken inner, long deadlineNanos, CancellationToken innerFinishing,
                                              long finishingNanos) {
        return new CancellationToken() {
            @Override
            public boolean isCancelled() {
                return inner.isCancelled() || System.nanoTime() - deadlineNanos >= 0;
            }

            @Override
            public boolean timedOut() {
                return inner.timedOut() || !inner.isCancelled() && System.nanoTime() - deadlineNanos >= 0;
            }

            @Override
            public CancellationToken ignoringDeadline() {
                return inner.ignoringDeadline();
            }

            @Override
            public CancellationToken finishing() {
                return finishingNanos == deadlineNanos && innerFinishing == inner ? this
                        : deadline(innerFinishing, finishingNanos, innerFinishing, finishingNanos);
            }

            @Override
            public CancellationToken polishing() {
                long halfway = deadlineNanos + (finishingNanos - deadlineNanos) / 2;
                return halfway == deadlineNanos && innerFinishing == inner ? this
                        : deadline(innerFinishing, halfway, innerFinishing, halfway);
            }
        };
    }
}
