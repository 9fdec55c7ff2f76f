package io.sparsefit.core.convex;

/**
 * Decides early that a branch and bound ({@link OffsetCellBound}) will not prove its tolerance within its work budget,
 * so that a certificate which cannot be proven does not spend the whole budget failing. At each doubling of the work
 * from {@code budget / 2^}{@value #FIRST_CHECKPOINT} on, the relative gap {@code (upper - lower) / lower} is compared
 * with the one at the previous checkpoint: the search has shrunk it by a factor rho per doubling, and at that rate it
 * needs {@code log(relTol / gap) / log(rho)} more doublings. If that would take more than {@value #MARGIN} times the
 * budget, or the gap did not shrink at all from a quarter of the budget on, the search stops there (its bounds stay
 * proven, only looser). The rate only quickens near the end (measured in docs/benchmarks.md, "Proven certificates"), so
 * the forecast errs on the side of going on. Decisions depend on work counts only: deterministic, machine-independent.
 */
final class ProofForecast {

    /** The first checkpoint is at budget / 2^this. */
    static final int FIRST_CHECKPOINT = 4;
    /** Stop when the forecast work exceeds the budget by this factor. */
    static final double MARGIN = 2.0;

    private final double relTol;
    private final long budget;
    private long next;
    private double previousGap = Double.NaN;

    /** For a search to {@code relTol > 0} within {@code budget} operations ({@code Long.MAX_VALUE}: never stops). */
    ProofForecast(double relTol, long budget) {
        this.relTol = relTol;
        this.budget = budget;
        this.next = budget == Long.MAX_VALUE || !(relTol > 0) ? Long.MAX_VALUE : Math.max(1, budget >> FIRST_CHECKPOINT);
    }

    /** Whether to give up, after {@code work} operations with the bounds {@code lower <= S <= upper}. */
    boolean hopeless(long work, double lower, double upper) {
        if (work < next || !(lower > 0)) {
            return false;
        }
        while (next <= work && next < budget) {
            next = next > budget / 2 ? budget : 2 * next;
        }
        double gap = (upper - lower) / lower;
        double before = previousGap;
        previousGap = gap;
        if (Double.isNaN(before) || gap <= relTol) {
            return false;
        }
        if (!(gap < before)) {
            return 4 * work >= budget;
        }
        double doublings = Math.log(relTol / gap) / Math.log(gap / before);
        return work * Math.pow(2.0, doublings) > MARGIN * budget;
    }
}
