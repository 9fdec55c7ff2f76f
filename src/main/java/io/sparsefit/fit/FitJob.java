package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.StoredDataset;
import io.sparsefit.model.ModelService;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed fit on the calling worker thread: load the data, hold out the validation rows,
 * call the core, then store the model and the final state in one transaction. A fit interrupted by
 * shutdown goes back to the queue; a numerical failure ends FAILED with a problem object.
 */
@Component
class FitJob {

    private static final Logger log = LoggerFactory.getLogger(FitJob.class);

    private final FitRepository repository;
    private final DatasetService datasets;
    private final ModelService models;
    private final LiveFits liveFits;
    private final FitMetrics metrics;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Duration persistEvery;
    private final Duration lease;

    FitJob(FitRepository repository, DatasetService datasets, ModelService models, LiveFits liveFits, FitMetrics metrics,
           TransactionTemplate tx, JsonMapper json, SparsefitProperties properties) {
        this.repository = repository;
        this.datasets = datasets;
        this.models = models;
        this.liveFits = liveFits;
        this.metrics = metrics;
        this.tx = tx;
        this.json = json;
        this.persistEvery = properties.fits().progressPersistInterval();
        this.lease = properties.fits().lease();
    }

    void run(FitRepository.Row row, String owner, BooleanSupplier stopping) {
        long start = System.nanoTime();
        LiveFits.Live live = liveFits.start(row.id(), row.maxIter());
        try {
            runClaimed(row, owner, stopping, live, start);
        } catch (RuntimeException e) {
            // Anything unexpected outside the solver (storage, a stored request that no longer parses):
            // end the fit FAILED rather than leave it RUNNING, unless we are shutting down.
            if (stopping.getAsBoolean()) {
                throw e;
            }
            log.error("Fit {} failed outside the solver", row.id(), e);
            fail(row, owner, live, start, HttpStatus.INTERNAL_SERVER_ERROR, "Fit failed",
                    "The service could not complete the fit; the error was logged");
        } finally {
            liveFits.end(row.id());
        }
    }

    private void runClaimed(FitRepository.Row row, String owner, BooleanSupplier stopping, LiveFits.Live live, long start) {
        FitRequest request = json.readValue(row.requestJson(), FitRequest.class);
        FitSettings settings = FitValidator.settings(request);
        // A cancel that raced with the claim is in the database already (see FitService.cancel).
        if (repository.isCancelRequested(row.id())) {
            live.cancelled = true;
        }
        StoredDataset data;
        try {
            data = datasets.load(row.datasetId());
        } catch (ApiException missing) {
            fail(row, owner, live, start, HttpStatus.UNPROCESSABLE_CONTENT, "Dataset missing",
                    "The dataset '" + row.datasetId() + "' was deleted before the fit ran");
            return;
        }
        ValidationSplit split = ValidationSplit.of(data.x(), data.y(), request.validationFraction(), request.seed());
        FitProblem problem = new FitProblem(split.trainX, split.trainY);
        CancellationToken token = () -> live.cancelled || stopping.getAsBoolean();
        ProgressListener progress = (iteration, objective, dataFit, penalty) -> onProgress(live, owner, iteration, objective);
        FitOutcome outcome;
        try {
            outcome = SparseFit.fit(problem, settings, progress, token);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            if (stopping.getAsBoolean() && !live.cancelled) {
                repository.requeue(row.id(), owner);
                return;
            }
            log.warn("Fit {} failed", row.id(), e);
            fail(row, owner, live, start, HttpStatus.INTERNAL_SERVER_ERROR, "Fit failed",
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        StopReason reason = outcome.diagnostics().stopReason();
        int iterations = outcome.diagnostics().iterations();
        if (reason == StopReason.CANCELLED) {
            if (live.cancelled) {
                finish(row, owner, FitState.CANCELLED, iterations, live, null, null, start);
            } else {
                repository.requeue(row.id(), owner); // shutdown: run again after restart
            }
            return;
        }
        if (reason == StopReason.DIVERGED) {
            fail(row, owner, live, start, HttpStatus.UNPROCESSABLE_CONTENT, "Fit diverged", "The solver diverged after "
                    + iterations + " iterations (non-finite objective); try a smaller learning rate or another solver");
            return;
        }
        Double validationMse = split.hasValidation() ? mse(outcome, split.validX, split.validY) : null;
        Instant now = Instant.now();
        boolean stored = Boolean.TRUE.equals(tx.execute(status -> {
            String modelId = models.store(row.id(), outcome, validationMse);
            if (!repository.finish(row.id(), owner, FitState.SUCCEEDED, iterations, outcome.diagnostics().objective(),
                    modelId, null, now)) {
                status.setRollbackOnly(); // no longer ours (lease lost): someone else owns the result
                return false;
            }
            return true;
        }));
        if (stored) {
            metrics.finished(FitState.SUCCEEDED, System.nanoTime() - start, iterations);
        }
    }

    private void onProgress(LiveFits.Live live, String owner, int iteration, double objective) {
        live.iteration = iteration;
        live.objective = objective;
        long now = System.nanoTime();
        if (now - live.lastPersistNanos >= persistEvery.toNanos()) {
            live.lastPersistNanos = now;
            Double obj = Double.isFinite(objective) ? objective : null;
            if (repository.saveProgress(live.id, owner, iteration, obj, Instant.now().plus(lease))) {
                live.cancelled = true; // cancelled through another replica
            }
        }
    }

    private void fail(FitRepository.Row row, String owner, LiveFits.Live live, long start, HttpStatus status, String title,
                      String detail) {
        FitView.FitError error = new FitView.FitError(Problems.TYPE_BASE + "fit-failed", title, status.value(), detail,
                "/v1/fits/" + row.id());
        finish(row, owner, FitState.FAILED, live.iteration, live, json.writeValueAsString(error), null, start);
    }

    private void finish(FitRepository.Row row, String owner, FitState state, int iterations, LiveFits.Live live, String errorJson,
                        String modelId, long start) {
        Double obj = Double.isFinite(live.objective) ? live.objective : null;
        if (repository.finish(row.id(), owner, state, iterations, obj, modelId, errorJson, Instant.now())) {
            metrics.finished(state, System.nanoTime() - start, iterations);
        }
    }

    /** Mean over held-out rows of the squared error summed over outputs (the trainMse convention). */
    static double mse(FitOutcome outcome, DMatrixRMaj x, DMatrixRMaj y) {
        DMatrixRMaj pred = outcome.network().predict(x, null);
        double s = 0;
        for (int i = 0; i < pred.getNumElements(); i++) {
            double r = pred.data[i] - y.data[i];
            s += r * r;
        }
        return s / x.numRows;
    }
}
