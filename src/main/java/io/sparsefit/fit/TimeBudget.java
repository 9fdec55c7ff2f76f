package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.solver.CancellationToken;
import java.time.Duration;
import java.util.Objects;

/**
 * The wall-clock budget of a job that fits: the request's {@code solver.timeLimit} (seconds), never more than
 * {@code max} ({@code sparsefit.limits.max-time-limit}); the budget of the run, not of the wait in the queue. A fit's
 * whole solve, or a path's whole sequence of points, runs under it.
 *
 * @param max the longest budget a request may ask for
 */
public record TimeBudget(Duration max) {

    public TimeBudget {
        Objects.requireNonNull(max, "max");
    }

    public static TimeBudget of(SparsefitProperties properties) {
        return new TimeBudget(properties.limits().maxTimeLimit());
    }

    /**
     * {@code inner} with the budget of {@code request}, from now; a fit stopped by it is finished within the core's
     * grace ({@link CancellationToken#finishing()}: a tenth of the budget, at least 0.5 s).
     */
    public CancellationToken start(CancellationToken inner, FitRequest request) {
        return CancellationToken.withDeadline(inner, deadline(request));
    }

    /**
     * As {@link #start} without the finishing's grace: for a path, which drops the point its deadline cuts, so finishing
     * that point would be work thrown away.
     */
    public CancellationToken startWithoutGrace(CancellationToken inner, FitRequest request) {
        return CancellationToken.withDeadline(inner, deadline(request), 0);
    }

    private long deadline(FitRequest request) {
        Double asked = asked(request);
        double seconds = asked != null ? Math.min(asked, maxSeconds()) : maxSeconds();
        return System.nanoTime() + (long) (seconds * 1e9);
    }

    /** The budget {@link #start} gives {@code request}, as a failure names it: its solver.timeLimit or the configured maximum. */
    public String describe(FitRequest request) {
        Double asked = asked(request);
        return asked != null && asked <= maxSeconds() ? "solver.timeLimit " + asked + " s"
                : "sparsefit.limits.max-time-limit " + maxWholeSeconds() + " s";
    }

    /** Whether a request may ask for {@code seconds} (solver.timeLimit): more than 0 and at most the maximum. */
    public boolean allows(double seconds) {
        return seconds > 0 && seconds <= maxSeconds();
    }

    /** The maximum in whole seconds, as the answers that name it print it. */
    public long maxWholeSeconds() {
        return max.toSeconds();
    }

    private double maxSeconds() {
        return max.toMillis() / 1000.0;
    }

    private static Double asked(FitRequest request) {
        return request.solver() == null ? null : request.solver().timeLimit();
    }
}
