package io.sparsefit.path;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.path.PathListener;
import io.sparsefit.core.path.PathPoint;
import io.sparsefit.core.path.PathRunner;
import io.sparsefit.core.path.PathSpec;
import io.sparsefit.core.path.RegularizationPath;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.exact.SplinePath;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.StoredDataset;
import io.sparsefit.fit.FitChecks;
import io.sparsefit.fit.FitRequest;
import io.sparsefit.fit.PreparedTable;
import io.sparsefit.fit.TimeBudget;
import io.sparsefit.job.JobControl;
import io.sparsefit.job.JobKind;
import io.sparsefit.job.JobRunner;
import io.sparsefit.job.JobState;
import io.sparsefit.model.DiagnosticsView;
import io.sparsefit.model.ModelService;
import io.sparsefit.model.ModelTable;
import io.sparsefit.model.NewModel;
import io.sparsefit.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed path (a job of kind PATH on the one queue, run by the same workers as fits): clears what an interrupted earlier run wrote, runs the core's
 * {@link PathRunner} and stores each point's model (refit on all data) and view as soon as the point is done, in
 * a transaction conditional on still owning the job. A cancel stops it within one point (CANCELLED, the points
 * so far kept); a shutdown gives it back to the queue, and the next run starts over, to the same result. The whole
 * path runs under one wall-clock budget, as a fit does ({@link TimeBudget}): when it runs out the point in
 * progress is dropped and the path ends SUCCEEDED with the points done ({@code stopReason} TIME_LIMIT, its choices
 * among them), or FAILED (422) when no point was done.
 */
@Component
class PathJob implements JobRunner {

    static final JobKind KIND = new JobKind("PATH", "path", SparsefitProperties.Retention::paths);

    private final PathRepository repository;
    private final DatasetService datasets;
    private final ModelService models;
    private final JsonMapper json;
    private final TimeBudget budget;

    PathJob(PathRepository repository, DatasetService datasets, ModelService models, JsonMapper json, SparsefitProperties properties) {
        this.repository = repository;
        this.datasets = datasets;
        this.models = models;
        this.json = json;
        this.budget = TimeBudget.of(properties);
    }

    /**
     * What the path stores once it has finished (read back by {@link PathService}); {@code stopReason} is TIME_LIMIT when
     * the budget ended it before its last point, else null (also in results stored before the field existed).
     */
    record Summary(double lambdaMax, String solver, int best, int oneSe, int chosen, Boolean breakpointsComplete,
                   String stopReason) {
    }

    @Override
    public JobKind kind() {
        return KIND;
    }

    @Override
    public void run(Job job, JobControl control) {
        String id = job.id();
        PathRequest request = json.readValue(job.requestJson(), PathRequest.class);
        control.write(() -> repository.clear(id).forEach(this::deleteModel));
        // A dataset deleted since the path was queued (404) or data it cannot use (422) ends it FAILED with that problem (JobRunner).
        StoredDataset data = datasets.load(job.datasetId());
        // The table prepared as a fit's (the one place a FitProblem is built): encoded, imputed or dropped, weighted,
        // standardized on all the rows; the folds are then taken from the prepared rows.
        FitRequest fit = request.asFit(1.0);
        PreparedTable table = PreparedTable.of(data, fit);
        FitSettings settings = FitChecks.settings(fit);
        double[] lambdas = request.lambdas() == null ? null : request.lambdas().stream().mapToDouble(Double::doubleValue).toArray();
        PathSpec spec = new PathSpec(settings, lambdas, request.grid() == null ? 0 : request.grid().count(),
                request.grid() == null ? 0 : request.grid().minRatio(),
                request.validation().folds() == null ? 0 : request.validation().folds(),
                request.validation().fraction() == null ? 0 : request.validation().fraction(), "best".equals(request.choice()));
        List<String> modelIds = new ArrayList<>();
        // The budget of the whole path (solver.timeLimit, at most max-time-limit), not of each point.
        CancellationToken token = budget.startWithoutGrace(control.token(), fit);
        // The core's refusal of a point's problem (422) and anything unexpected (500): the queue maps them (JobFailure).
        RegularizationPath path = trace(table.problem(), spec, (index, total, point) -> {
            // Prepared (metrics over every row) before the storing transaction, as a fit's model is.
            ModelService.Ready model = models.preparePoint(pointModel(job, index, table, request, point),
                    Double.isNaN(point.validationMse()) ? null : point.validationMse());
            boolean ours = control.write(() -> {
                String modelId = models.store(model);
                repository.insertPoint(id, index, point.lambda(), modelId, json.writeValueAsString(view(point, modelId)));
                modelIds.add(modelId);
            });
            if (ours) {
                control.progress(index + 1, point.outcome().diagnostics().objective());
            }
        }, token);
        // A DELETE or a shutdown trips the job's token and wins over the budget (timedOut() is then false).
        boolean outOfTime = path.cancelled() && token.timedOut();
        if (path.cancelled() && !outOfTime) {
            control.stop(path.points().size());
            return;
        }
        if (outOfTime && path.points().isEmpty()) {
            control.fail(HttpStatus.UNPROCESSABLE_CONTENT.value(), "Path out of time", "The path's time budget ("
                    + budget.describe(fit) + ") ran out before its first point was done; give a larger "
                    + "solver.timeLimit (at most " + budget.maxWholeSeconds() + " s), fewer lambdas or folds, or a faster solver");
            return;
        }
        Summary summary = new Summary(path.lambdaMax(), path.solver().wireName(), path.best(), path.oneSe(), path.chosen(),
                path.solver() == io.sparsefit.core.solver.SolverType.EXACT ? path.breakpointsComplete() : null,
                outOfTime ? StopReason.TIME_LIMIT.name() : null);
        List<PathView.Breakpoint> breakpoints = path.breakpoints().stream().map(b -> view(b, table.table())).toList();
        double objective = path.points().isEmpty() ? Double.NaN : path.points().get(path.points().size() - 1).outcome().diagnostics().objective();
        control.finish(JobState.SUCCEEDED, path.points().size(), objective, () -> {
            repository.insertResult(id, json.writeValueAsString(summary), json.writeValueAsString(breakpoints));
            return null;
        });
    }

    /** The core's path: a method of its own so that a test can make it fail as the core would (PathFailureTest). */
    RegularizationPath trace(FitProblem problem, PathSpec spec, PathListener listener, CancellationToken token) {
        return PathRunner.run(problem, spec, listener, token);
    }

    /**
     * A point's model as a fit's: the network in the original units (the standardization folded back), how it reads tables,
     * the point's fit request (at its lambda) as provenance; its metrics on all the prepared rows.
     */
    private NewModel pointModel(Job job, int index, PreparedTable table, PathRequest request, PathPoint point) {
        return table.model(modelFitId(job.id(), index), job.apiKeyId(), table.toOriginalUnits(point.outcome()), null, null,
                json.writeValueAsString(request.asFit(point.lambda())));
    }

    /**
     * The fit id a point's model is stored under (a model belongs to one fit; a point is not a fit): a name-based
     * UUID of the path id and the point index, so a model can be traced back to its path and point.
     */
    static String modelFitId(String pathId, int index) {
        return UUID.nameUUIDFromBytes((pathId + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void deleteModel(String modelId) {
        try {
            models.delete(modelId);
        } catch (ApiException gone) {
            // already deleted by a user: nothing to clean up
        }
    }

    static PathView.Point view(PathPoint point, String modelId) {
        Diagnostics d = point.outcome().diagnostics();
        Certificate c = d.certificate();
        return new PathView.Point(point.lambda(), d.objective(), d.dataFit(), d.penalty(), Double.isFinite(d.pathNorm()) ? d.pathNorm() : null, d.activeNeurons(),
                d.knotCount(), DiagnosticsView.CertificateView.of(c),
                d.trainMse(), Double.isNaN(point.validationMse()) ? null
                : new PathView.ValidationError(point.validationMse(), Double.isNaN(point.validationSe()) ? 0.0 : point.validationSe()),
                modelId);
    }

    /**
     * A breakpoint of the homotopy (traced on the prepared input, one column): with standardization its knots are mapped
     * back to the original units, {@code t = mean + scale * z}; lambda stays in the units solved in (as the diagnostics').
     */
    private static PathView.Breakpoint view(SplinePath.Breakpoint b, ModelTable table) {
        double mean = table.standardize() ? table.mean()[0] : 0.0;
        double scale = table.standardize() ? table.scale()[0] : 1.0;
        return new PathView.Breakpoint(b.lambda(), b.knotCount(), Arrays.stream(b.knots()).map(z -> mean + scale * z).boxed().toList());
    }
}
