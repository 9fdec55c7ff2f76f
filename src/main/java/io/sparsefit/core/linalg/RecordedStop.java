package io.sparsefit.core.linalg;

import java.util.function.BooleanSupplier;

/**
 * A stop check that remembers whether it ever said stop: once {@code stop} has been true, this one stays true and
 * {@link #seen()} says so. What tells a search that was cut (it looked and saw its stop) from one that ran whole (it
 * never looked, or never saw it): a finishing whose deadline passed after its last look is not cut, nor is a pricing
 * that never looks (exact 1-D). Not thread-safe: one search looks at it.
 */
public final class RecordedStop implements BooleanSupplier {

    private final BooleanSupplier stop;
    private boolean seen;

    /** Looks at {@code stop} at every {@link #getAsBoolean()}. */
    public RecordedStop(BooleanSupplier stop) {
        this.stop = stop;
    }

    @Override
    public boolean getAsBoolean() {
        seen |= stop.getAsBoolean();
        return seen;
    }

    /** Whether a look at this check has said stop. */
    public boolean seen() {
        return seen;
    }
}
