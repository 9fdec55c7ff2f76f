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
import io.sparsefit.job.JobControl;
import io.sparsefit.job.JobKind;
import io.sparsefit.job.JobRunner;
import io.sparsefit.job.JobState;
import io.sparsefit.model.ModelService;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed fit (a job of kind FIT, see {@link io.sparsefit.job.JobQueue}): load the data, prepare the table
 * (validation rows held out, preprocessing), call the core within the time budget, then store the model as the job's
 * result in the job's final, ownership-conditional transaction. A numerical failure ends FAILED with a problem object;
 * a stop by the token ends CANCELLED (a user's cancel) or back in the queue (shutdown), as the queue decides.
 */
@Component
class FitRunner implements JobRunner {

    static final JobKind KIND = new JobKind("FIT", "fit", SparsefitProperties.Retention::fits);

    private final DatasetService datasets;
    private final ModelService models;
    private final FitMetrics metrics;
    private final JsonMapper json;
    private final TimeBudget budget;

    FitRunner(DatasetService datasets, ModelService models, FitMetrics metrics, JsonMapper json, SparsefitProperties properties) {
        this.datasets = datasets;
        this.models = models;
        this.metrics = metrics;
        this.json = json;
        this.budget = TimeBudget.of(properties);
    }

    @Override
    public JobKind kind() {
        return KIND;
    }

    @Override
    public void ended(JobState state, int steps, long nanos) {
        metrics.finished(state, nanos, steps);
    }

    @Override
    public void run(Job job, JobControl control) {
        // The request as the submit admitted it: a width cap it decided is in it (FitValidator.Admission), nothing is recomputed.
        FitRequest request = json.readValue(job.requestJson(), FitRequest.class);
        // A dataset deleted since the fit was queued (404) or data it cannot use (422) ends it FAILED with that problem (JobRunner).
        StoredDataset data = datasets.load(job.datasetId());
        PreparedTable table = PreparedTable.of(data, request);
        FitSettings settings = FitValidator.settings(request);
        // The wall-clock budget: the request's timeLimit, never more than the configured maximum (the run, not the wait).
        CancellationToken token = budget.start(control.token(), request);
        double[] lastObjective = {Double.NaN};
        ProgressListener progress = new ProgressListener() {
            @Override
            public void onProgress(int iteration, double objective, double dataFit, double penalty) {
                lastObjective[0] = objective;
                control.progress(iteration, objective);
            }

            @Override
            public void onGap(int iteration, double gap) {
                control.gap(gap);
            }
        };
        // The core's refusal of the settings (422), anything unexpected (500), a stop by the token: the queue maps them (JobFailure).
        FitOutcome outcome = table.toOriginalUnits(solve(table.problem(), settings, progress, token));
        StopReason reason = outcome.diagnostics().stopReason();
        int iterations = outcome.diagnostics().iterations();
        if (reason == StopReason.CANCELLED) {
            if (control.cancelRequested()) {
                control.finish(JobState.CANCELLED, iterations, lastObjective[0], () -> null);
            } else {
                control.stop(iterations); // shutdown (any replica runs it again) or lost (nothing is written)
            }
            return;
        }
        if (reason == StopReason.DIVERGED) {
            control.fail(HttpStatus.UNPROCESSABLE_CONTENT.value(), "Fit diverged", "The solver diverged after " + iterations
                    + " iterations (non-finite objective); try a smaller learning rate or another solver");
            return;
        }
        // Metrics and provenance are computed here, outside the storing transaction (they predict every training row).
        ModelService.Ready model = models.prepare(table.model(job.id(), job.apiKeyId(), outcome, request.name(), request.tags(),
                job.requestJson()));
        control.finish(JobState.SUCCEEDED, iterations, outcome.diagnostics().objective(), () -> models.store(model));
    }

    /** The core's fit: a method of its own so that a test can make it fail as the core would (FitFailureTest). */
    FitOutcome solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken token) {
        return SparseFit.fit(problem, settings, progress, token);
    }
}
