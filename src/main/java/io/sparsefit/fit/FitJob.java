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
import io.sparsefit.model.NewModel;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed fit on the calling worker thread: load the data, hold out the validation rows,
 * call the core, then store the model and the final state in one transaction that is conditional on
 * this replica still owning the fit, so a replica that lost its lease can never write a second
 * result. A fit interrupted by shutdown goes back to the queue; a numerical failure ends FAILED with
 * a problem object. When the database is unreachable the solver keeps going and the final write is
 * retried until it returns; when it cannot even start, the fit stays RUNNING under this replica and
 * its lease running out queues it again.
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
    private final Duration maxTimeLimit;

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
        this.maxTimeLimit = properties.limits().maxTimeLimit();
    }

    void run(FitRepository.Row row, String owner, BooleanSupplier stopping) {
        long start = System.nanoTime();
        LiveFits.Live live = liveFits.start(row.id(), row.maxIter());
        try {
            runClaimed(row, owner, stopping, live, start);
        } catch (RuntimeException e) {
            // Anything unexpected outside the solver (storage, a stored request that no longer parses):
            // end the fit FAILED rather than leave it RUNNING, unless we are shutting down.
            if (stopping.getAsBoolean() || live.lost) {
                throw e;
            }
            if (DatabaseErrors.isUnavailable(e)) {
                // Nothing can be written now; the lease runs out and a replica queues the fit again.
                log.warn("Fit {} stopped: database unreachable ({}); it runs again when its lease expires", row.id(), e.toString());
                return;
            }
            log.error("Fit {} failed outside the solver", row.id(), e);
            fail(row, owner, live, stopping, start, HttpStatus.INTERNAL_SERVER_ERROR, "Fit failed",
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
            fail(row, owner, live, stopping, start, HttpStatus.UNPROCESSABLE_CONTENT, "Dataset missing",
                    "The dataset '" + row.datasetId() + "' was deleted before the fit ran");
            return;
        }
        PreparedTable table;
        try {
            table = PreparedTable.of(data, request);
        } catch (ApiException invalid) {
            fail(row, owner, live, stopping, start, HttpStatus.UNPROCESSABLE_CONTENT, "Invalid data", invalid.getMessage());
            return;
        }
        FitProblem problem = table.problem();
        // The wall-clock budget: the request's timeLimit, never more than the configured maximum (the run, not the wait).
        double budgetSeconds = request.solver().timeLimit() != null ? request.solver().timeLimit() : maxTimeLimit.toMillis() / 1000.0;
        long deadline = System.nanoTime() + (long) (Math.min(budgetSeconds, maxTimeLimit.toMillis() / 1000.0) * 1e9);
        CancellationToken token = CancellationToken.withDeadline(() -> live.cancelled || live.lost || stopping.getAsBoolean(), deadline);
        ProgressListener progress = new ProgressListener() {
            @Override
            public void onProgress(int iteration, double objective, double dataFit, double penalty) {
                FitJob.this.onProgress(live, owner, iteration, objective);
            }

            @Override
            public void onGap(int iteration, double gap) {
                live.gap = gap;
            }
        };
        FitOutcome outcome;
        try {
            outcome = table.toOriginalUnits(SparseFit.fit(problem, settings, progress, token));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            if (live.lost) {
                return;
            }
            if (stopping.getAsBoolean() && !live.cancelled) {
                repository.requeue(row.id(), owner);
                return;
            }
            log.warn("Fit {} failed", row.id(), e);
            fail(row, owner, live, stopping, start, HttpStatus.INTERNAL_SERVER_ERROR, "Fit failed",
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        StopReason reason = outcome.diagnostics().stopReason();
        int iterations = outcome.diagnostics().iterations();
        if (live.lost) {
            log.warn("Fit {} ran on after its lease was taken over; its result is discarded", row.id());
            return;
        }
        if (reason == StopReason.CANCELLED) {
            if (live.cancelled) {
                finish(row, owner, FitState.CANCELLED, iterations, live, null, null, stopping, start);
            } else {
                repository.requeue(row.id(), owner); // shutdown: any replica runs it again
            }
            return;
        }
        if (reason == StopReason.DIVERGED) {
            fail(row, owner, live, stopping, start, HttpStatus.UNPROCESSABLE_CONTENT, "Fit diverged", "The solver diverged after "
                    + iterations + " iterations (non-finite objective); try a smaller learning rate or another solver");
            return;
        }
        // Metrics and provenance are computed here, outside the storing transaction (they predict every training row).
        ModelService.Ready model = models.prepare(new NewModel(row.id(), row.apiKeyId(), outcome, table.loss(), table.table(), request.name(),
                request.tags(), row.requestJson(), data.view().id(), data.view().sha256(), data.schema().weight(), table.trainX(),
                table.trainY(), table.validX(), table.validY()));
        boolean stored = whileDatabaseDown(live, stopping, () -> Boolean.TRUE.equals(tx.execute(status -> {
            // Ownership first: this update also locks the fit row until commit, so no reaper can take
            // the fit between the check and the final update, and no model row is written for a fit
            // that is not ours any more.
            if (!repository.renewLease(row.id(), owner, Instant.now().plus(lease)).owned()) {
                return false;
            }
            String modelId = models.store(model);
            if (!repository.finish(row.id(), owner, FitState.SUCCEEDED, iterations, outcome.diagnostics().objective(),
                    modelId, null, Instant.now())) {
                status.setRollbackOnly(); // no longer ours (lease lost): someone else owns the result
                return false;
            }
            return true;
        })));
        if (stored) {
            metrics.finished(FitState.SUCCEEDED, System.nanoTime() - start, iterations);
        } else {
            log.warn("Fit {} finished here after another replica took it over; this result is discarded", row.id());
        }
    }

    private void onProgress(LiveFits.Live live, String owner, int iteration, double objective) {
        live.iteration = iteration;
        live.objective = objective;
        long now = System.nanoTime();
        if (now - live.lastPersistNanos >= persistEvery.toNanos()) {
            live.lastPersistNanos = now;
            Double obj = Double.isFinite(objective) ? objective : null;
            try {
                FitRepository.Renewal renewal = repository.saveProgress(live.id, owner, iteration, obj, Instant.now().plus(lease));
                if (!renewal.owned()) {
                    live.lost = true; // another replica re-queued it after our lease ran out
                } else if (renewal.cancelRequested()) {
                    live.cancelled = true; // cancelled through another replica
                }
            } catch (RuntimeException e) {
                if (!DatabaseErrors.isUnavailable(e)) {
                    throw e;
                }
                // Database unreachable: progress is only informative, keep solving (the heartbeat reports the outage).
            }
        }
    }

    /**
     * Runs a final write, retrying while the database is unreachable (backing off up to 5 s), until it
     * succeeds, the fit is lost to another replica, or the service stops (then the fit stays RUNNING and
     * is queued again when its lease runs out, or at once by this instance's next start).
     */
    private <T> T whileDatabaseDown(LiveFits.Live live, BooleanSupplier stopping, java.util.function.Supplier<T> write) {
        long backoffMs = 200;
        boolean logged = false;
        while (true) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (!DatabaseErrors.isUnavailable(e) || live.lost || stopping.getAsBoolean()) {
                    throw e;
                }
                if (!logged) {
                    log.warn("Fit {} finished but the database is unreachable; retrying the write ({})", live.id, e.toString());
                    logged = true;
                }
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMs = Math.min(5000, backoffMs * 2);
            }
        }
    }

    private void fail(FitRepository.Row row, String owner, LiveFits.Live live, BooleanSupplier stopping, long start,
                      HttpStatus status, String title, String detail) {
        FitView.FitError error = new FitView.FitError(Problems.TYPE_BASE + "fit-failed", title, status.value(), detail,
                "/v1/fits/" + row.id());
        finish(row, owner, FitState.FAILED, live.iteration, live, json.writeValueAsString(error), null, stopping, start);
    }

    private void finish(FitRepository.Row row, String owner, FitState state, int iterations, LiveFits.Live live, String errorJson,
                        String modelId, BooleanSupplier stopping, long start) {
        Double obj = Double.isFinite(live.objective) ? live.objective : null;
        if (whileDatabaseDown(live, stopping,
                () -> repository.finish(row.id(), owner, state, iterations, obj, modelId, errorJson, Instant.now()))) {
            metrics.finished(state, System.nanoTime() - start, iterations);
        }
    }
}
