package io.sparsefit.core.linalg;

import java.util.function.BooleanSupplier;

/**
 * A stop check that remembers whether it ever said stop: once {@code stop} has been true, this one stays true and
 * {@link #seen()} says so. What tells a search that was cut (it looked and saw its stop) from one that ran whole (it
 * never looked, or never saw it): a finishing whose deadline passed after its last look is not cut, nor is a pricing
 * that never looks (exact 1-D). Safe to look at from several threads at once (the local pricing's two lanes): a look
 * only ever sets the mark, never clears it.
 */
public final class RecordedStop implements BooleanSupplier {

    private final BooleanSupplier stop;
    private volatile boolean seen;

    /** Looks at {@code stop} at every {@link #getAsBoolean()}. */
    public RecordedStop(BooleanSupplier stop) {
        this.stop = stop;
    }

    @Override
    public boolean getAsBoolean() {
        if (stop.getAsBoolean()) {   // every call looks (a token may count its looks)
            seen = true;   // only ever set: a look that saw no stop on another thread cannot undo it
        }
        return seen;
    }

    /** Whether a look at this check has said stop. */
    public boolean seen() {
        return seen;
    }
}
