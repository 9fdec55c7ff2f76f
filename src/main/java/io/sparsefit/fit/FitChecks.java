package io.sparsefit.fit;

import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.dataset.TargetClasses;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** A fit request's checks and core settings, for the jobs that run fits of their own (a path's points). */
@Component
public class FitChecks {

    private final FitValidator validator;

    FitChecks(FitValidator validator) {
        this.validator = validator;
    }

    /** The checks of a fit request (with defaults) that need no data; 422 listing every bad field. */
    public void checkRequest(FitRequest request) {
        validator.checkRequest(request);
    }

    /**
     * The checks of a fit request against the data: its shape and its targets' {@code classes} (null: no labels), which
     * the request's loss must suit, for unweighted data (paths refuse weighted tables); 422.
     */
    public void checkAgainstData(FitRequest request, int rows, int inputDim, int targetColumns, TargetClasses classes) {
        Loss loss = FitLoss.resolve(request.loss(), classes, targetColumns, 0).toLoss();
        validator.checkAgainstData(request, rows, inputDim, loss.outputs(targetColumns), loss, false);
    }

    /** The core settings of a checked fit request. */
    public static FitSettings settings(FitRequest request) {
        return FitValidator.settings(request);
    }

    /**
     * {@code inner} with the run's wall-clock budget from now: the request's {@code solver.timeLimit} (seconds), never more
     * than {@code maxTimeLimit} ({@code sparsefit.limits.max-time-limit}); the budget of the run, not of the wait in the
     * queue. A fit's whole solve, or a path's whole sequence of points, runs under it.
     */
    public static CancellationToken withBudget(CancellationToken inner, FitRequest request, Duration maxTimeLimit) {
        double maxSeconds = maxTimeLimit.toMillis() / 1000.0;
        Double asked = request.solver() == null ? null : request.solver().timeLimit();
        double seconds = asked != null ? Math.min(asked, maxSeconds) : maxSeconds;
        return CancellationToken.withDeadline(inner, System.nanoTime() + (long) (seconds * 1e9));
    }
}
