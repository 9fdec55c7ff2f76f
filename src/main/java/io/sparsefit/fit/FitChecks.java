package io.sparsefit.fit;

import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.dataset.TargetClasses;
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
     * the request's loss must suit, for unweighted data (paths refuse weighted tables); 422. A path's points are estimated
     * at the starting width only: the submit's width cap for a widening single fit ({@link FitValidator.Admission}) is
     * not applied to them (README, {@code sparsefit.limits.max-fit-memory}).
     */
    public void checkAgainstData(FitRequest request, int rows, int inputDim, int targetColumns, TargetClasses classes) {
        Loss loss = FitLoss.resolve(request.loss(), classes, targetColumns, 0).toLoss();
        validator.checkAgainstData(request, rows, inputDim, loss.outputs(targetColumns), loss, false);
    }

    /** The core settings of a checked fit request. */
    public static FitSettings settings(FitRequest request) {
        return FitValidator.settings(request);
    }
}
