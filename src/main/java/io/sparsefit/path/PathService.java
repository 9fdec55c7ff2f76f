package io.sparsefit.path;

import io.sparsefit.core.path.Folds;
import io.sparsefit.dataset.DataValidator;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.fit.FitChecks;
import io.sparsefit.fit.FitRequest;
import io.sparsefit.fit.PreparedTable;
import io.sparsefit.fit.SubmittedData;
import io.sparsefit.job.JobQueue;
import io.sparsefit.job.JobState;
import io.sparsefit.job.JobView;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Submits, reads and cancels paths. Everything is checked before a path is queued, with the fit's own checks. */
@Service
public class PathService {

    static final int MAX_POINTS = 200;
    static final int MAX_FOLDS = 20;

    private final JobQueue queue;
    private final FitChecks fitChecks;
    private final PathRepository repository;
    private final DataValidator dataValidator;
    private final DatasetService datasets;
    private final JsonMapper json;

    PathService(JobQueue queue, FitChecks fitChecks, PathRepository repository, DataValidator dataValidator, DatasetService datasets,
                JsonMapper json) {
        this.queue = queue;
        this.fitChecks = fitChecks;
        this.repository = repository;
        this.dataValidator = dataValidator;
        this.datasets = datasets;
        this.json = json;
    }

    public PathView submit(PathRequest raw) {
        PathRequest request = raw.withDefaults();
        FitRequest fit = request.asFit(smallestLambda(request));
        List<FieldProblem> errors = new ArrayList<>(pathProblems(request));
        try {
            fitChecks.checkRequest(fit);
        } catch (ApiException e) {
            errors.addAll(e.errors());
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        SubmittedData data = SubmittedData.of(fit, dataValidator, datasets);
        // The table is prepared as for a fit (PreparedTable): the same 422s at submit, one network input per level.
        fitChecks.checkAgainstData(fit, data.rows(), data.inputWidth(), data.targets(), data.classes());
        checkValidationAgainstRows(request, data.rows());
        // Paths take no Idempotency-Key. Warnings as a fit's: input scales far apart without standardization.
        JobView job = queue.submit(new JobQueue.NewJob(PathJob.KIND, request.pointCount(), PreparedTable.warnings(fit, data.schema()),
                id -> {
                    PathRequest stored = request.withDataset(data.datasetId(datasets, "inline data of path " + id));
                    return new JobQueue.Stored(stored.datasetId(), json.writeValueAsString(stored));
                })).job();
        return view(job);
    }

    /** The smallest lambda asked for (a grid's is relative to lambda_max, so any positive value checks the same). */
    private static double smallestLambda(PathRequest r) {
        if (r.lambdas() == null || r.lambdas().isEmpty()) {
            return 1.0;
        }
        double min = Double.POSITIVE_INFINITY;
        for (Double l : r.lambdas()) {
            if (l != null && l > 0 && Double.isFinite(l)) {
                min = Math.min(min, l);
            }
        }
        return Double.isFinite(min) ? min : 1.0;
    }

    private static List<FieldProblem> pathProblems(PathRequest r) {
        List<FieldProblem> errors = new ArrayList<>();
        if (!Set.of("weight_decay", "path_norm").contains(r.regularization().type())) {
            errors.add(new FieldProblem("regularization.type", "a path needs weight_decay or path_norm"));
        }
        if (r.lambdas() != null && r.grid() != null) {
            errors.add(new FieldProblem("grid", "give lambdas or grid, not both"));
        }
        if (r.lambdas() != null) {
            if (r.lambdas().isEmpty() || r.lambdas().size() > MAX_POINTS) {
                errors.add(new FieldProblem("lambdas", "must have 1 to " + MAX_POINTS + " entries"));
            } else {
                for (int i = 0; i < r.lambdas().size(); i++) {
                    Double l = r.lambdas().get(i);
                    if (l == null || !(l > 0) || !Double.isFinite(l)) {
                        errors.add(new FieldProblem("lambdas[" + i + "]", "must be a finite number > 0"));
                    }
                }
            }
        }
        if (r.grid() != null) {
            if (r.grid().count() < 1 || r.grid().count() > MAX_POINTS) {
                errors.add(new FieldProblem("grid.count", "must be between 1 and " + MAX_POINTS));
            }
            if (!(r.grid().minRatio() > 0 && r.grid().minRatio() < 1)) {
                errors.add(new FieldProblem("grid.minRatio", "must be > 0 and < 1"));
            }
        }
        PathRequest.Validation v = r.validation();
        if (v.folds() != null && v.fraction() != null) {
            errors.add(new FieldProblem("validation", "give folds or fraction, not both"));
        } else if (v.folds() != null && (v.folds() < 2 || v.folds() > MAX_FOLDS)) {
            errors.add(new FieldProblem("validation.folds", "must be between 2 and " + MAX_FOLDS));
        } else if (v.fraction() != null && !(v.fraction() > 0 && v.fraction() < 1)) {
            errors.add(new FieldProblem("validation.fraction", "must be > 0 and < 1"));
        }
        if (!Set.of("oneSe", "best").contains(r.choice())) {
            errors.add(new FieldProblem("choice", "must be oneSe or best"));
        }
        return errors;
    }

    private static void checkValidationAgainstRows(PathRequest r, int rows) {
        PathRequest.Validation v = r.validation();
        if (v.folds() != null && v.folds() > rows) {
            throw ApiException.invalid("validation.folds", "must be at most the number of rows (" + rows + ")");
        }
        if (v.fraction() != null) {
            int held = Folds.holdoutRows(rows, v.fraction());
            if (held < 1 || rows - held < 1) {
                throw ApiException.invalid("validation.fraction", "leaves " + (rows - held) + " training and " + held
                        + " validation rows out of " + rows + "; both need at least one");
            }
        }
    }

    public PathView get(String id) {
        return view(queue.get(PathJob.KIND, id));
    }

    /**
     * Like a fit: a queued path is cancelled at once, a running one within one point; a finished path is deleted
     * with its points and result (empty answer), while its point models stay.
     */
    public Optional<PathView> cancelOrDelete(String id) {
        return queue.cancelOrDelete(PathJob.KIND, id).map(this::view);
    }

    private PathView view(JobView job) {
        PathRequest request = json.readValue(job.requestJson(), PathRequest.class);
        List<PathView.Point> points = repository.points(job.id()).stream()
                .map(p -> json.readValue(p.json(), PathView.Point.class)).toList();
        Optional<String[]> result = job.state() == JobState.SUCCEEDED ? repository.result(job.id()) : Optional.empty();
        PathJob.Summary summary = result.map(r -> json.readValue(r[0], PathJob.Summary.class)).orElse(null);
        List<PathView.Breakpoint> breakpoints = result.map(r -> json.readValue(r[1], new TypeReference<List<PathView.Breakpoint>>() {
        })).orElse(List.of());
        int done = job.state() == JobState.RUNNING ? Math.max(job.step(), points.size()) : points.size();
        return new PathView(job.id(), job.state(), new PathView.Progress(done, job.steps(), job.fraction(done, job.steps())),
                job.createdAt(), job.startedAt(), job.finishedAt(), summary == null ? null : summary.lambdaMax(),
                summary == null ? null : summary.solver(), points,
                summary == null ? null : choice(points, summary.best()), summary == null ? null : choice(points, summary.oneSe()),
                summary == null ? null : choice(points, summary.chosen()), breakpoints,
                summary == null ? null : summary.breakpointsComplete(), summary == null ? null : summary.stopReason(), job.error(), request,
                job.warnings());
    }

    private static PathView.Choice choice(List<PathView.Point> points, int index) {
        if (index < 0 || index >= points.size()) {
            return null;
        }
        return new PathView.Choice(points.get(index).lambda(), points.get(index).modelId(), index);
    }
}
