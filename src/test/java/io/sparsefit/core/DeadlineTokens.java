package io.sparsefit.core;

import io.sparsefit.core.solver.CancellationToken;
import java.util.function.BooleanSupplier;

/**
 * Deadline tokens for tests: a time budget that runs out at a moment the test chooses (a count of polls, a flag, a
 * clock of its own) instead of at {@link CancellationToken#withDeadline}'s {@link System#nanoTime()}, so that a fit's
 * response to its deadline is the same on every run. The one place the tests build such a token.
 */
public final class DeadlineTokens {

    private DeadlineTokens() {
    }

    /**
     * A deadline: cancelled when {@code poll} says so (asked once at every {@link CancellationToken#isCancelled}, so it
     * may count the polls), timed out when {@code passed} says so (asked by {@link CancellationToken#timedOut}, without
     * side effects); nothing but the deadline cancels it ({@link CancellationToken#ignoringDeadline} is
     * {@link CancellationToken#NEVER}), so the finishing ignores it.
     */
    public static CancellationToken deadline(BooleanSupplier poll, BooleanSupplier passed) {
        return grace(poll, passed, CancellationToken.NEVER, false);
    }

    /**
     * A finishing view ({@link CancellationToken#finishing}) whose grace ends when {@code poll} says so: as
     * {@link #deadline}, with {@code cancellation} what cancels it besides (its {@link CancellationToken#ignoringDeadline}),
     * and its own finishing itself.
     */
    public static CancellationToken grace(BooleanSupplier poll, BooleanSupplier passed, CancellationToken cancellation) {
        return grace(poll, passed, cancellation, true);
    }

    private static CancellationToken grace(BooleanSupplier poll, BooleanSupplier passed, CancellationToken cancellation,
                                           boolean finishesItself) {
        return new CancellationToken() {
            @Override
            public boolean isCancelled() {
                return poll.getAsBoolean();
            }

            @Override
            public boolean timedOut() {
                return passed.getAsBoolean();
            }

            @Override
            public CancellationToken ignoringDeadline() {
                return cancellation;
            }

            @Override
            public CancellationToken finishing() {
                return finishesItself ? this : ignoringDeadline();
            }
        };
    }
}
