package io.sparsefit.fit;

import io.sparsefit.core.loss.Loss;
import io.sparsefit.dataset.DataValidator;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.TableSchema;
import io.sparsefit.job.JobQueue;
import io.sparsefit.job.JobState;
import io.sparsefit.job.JobView;
import io.sparsefit.model.DiagnosticsView;
import io.sparsefit.model.ModelService;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Page;
import io.sparsefit.web.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Submits, reads, lists and cancels fits (jobs of kind FIT on the one queue). Everything is checked before a fit is queued. */
@Service
public class FitService {

    private final FitValidator validator;
    private final DataValidator dataValidator;
    private final DatasetService datasets;
    private final ModelService models;
    private final FitMetrics metrics;
    private final JsonMapper json;
    private final JobQueue queue;

    FitService(FitValidator validator, DataValidator dataValidator, DatasetService datasets, ModelService models, FitMetrics metrics,
               JsonMapper json, JobQueue queue) {
        this.validator = validator;
        this.dataValidator = dataValidator;
        this.datasets = datasets;
        this.models = models;
        this.metrics = metrics;
        this.json = json;
        this.queue = queue;
    }

    /** The fit and whether it already existed (an Idempotency-Key replay). */
    public record Submission(FitView fit, boolean replayed) {
    }

    public Submission submit(FitRequest raw, String idempotencyKey) {
        JobQueue.checkIdempotencyKey(idempotencyKey);
        FitRequest request = raw.withDefaults();
        validator.checkRequest(request);
        String sha = Sha256.hex(json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            Optional<JobView> replay = queue.replay(idempotencyKey, sha);
            if (replay.isPresent()) {
                return new Submission(view(replay.get()), true);
            }
        }
        SubmittedData data = SubmittedData.of(request, dataValidator, datasets);
        TableSchema schema = data.schema();
        Loss loss = FitLoss.resolve(request.loss(), data.classes(), data.targets(), schema.targetMissing()).toLoss();
        // The network's outputs: one per target column, or per class (cross_entropy).
        int outputs = loss.outputs(data.targets());
        // Decided once, here: the stored request is what runs (a width cap included) and what its warnings describe.
        FitValidator.Admission admission = validator.checkAgainstData(request, data.rows(), data.inputWidth(), outputs, loss,
                schema.weighted(), PreparedTable.mayDrop(request, schema));
        List<String> warnings = new ArrayList<>(PreparedTable.warnings(request, schema));
        warnings.addAll(admission.warnings());
        JobQueue.Submitted submitted = queue.submit(new JobQueue.NewJob(FitRunner.KIND, request.solver().maxIter(), idempotencyKey,
                sha, warnings, id -> {
                    FitRequest stored = admission.request().withDataset(data.datasetId(datasets, "inline data of fit " + id));
                    return new JobQueue.Stored(stored.datasetId(), json.writeValueAsString(stored));
                }));
        if (!submitted.replayed()) {
            metrics.submitted();
        }
        return new Submission(view(submitted.job()), submitted.replayed());
    }

    public FitView get(String id) {
        return view(queue.get(FitRunner.KIND, id));
    }

    public Page<FitView> list(JobState state, int limit, String cursor) {
        return queue.page(FitRunner.KIND, state, limit, cursor).map(this::view);
    }

    /**
     * {@code DELETE /v1/fits/{id}} ({@link JobQueue#cancelOrDelete}): a queued fit ends CANCELLED at once, a running one
     * within one solver iteration after its replica sees the request; a finished fit is deleted (empty answer) while its
     * model stays and keeps its {@code fitId}.
     *
     * @return the fit after cancelling, or empty when it was deleted
     */
    public Optional<FitView> cancelOrDelete(String id) {
        return queue.cancelOrDelete(FitRunner.KIND, id).map(this::view);
    }

    /** The training curve of fit {@code id}'s model: 404 when there is no such fit, 409 while it has no model (not SUCCEEDED). */
    public List<DiagnosticsView.LossPointView> lossCurve(String id) {
        FitView fit = get(id);
        if (fit.modelId() == null) {
            throw ApiException.conflict("fit '" + id + "' is " + fit.state() + " and has no model yet; its curve exists once it SUCCEEDED");
        }
        return models.diagnostics(fit.modelId()).lossCurve();
    }

    private FitView view(JobView job) {
        FitRequest request = json.readValue(job.requestJson(), FitRequest.class);
        return new FitView(job.id(), job.state(), new FitView.Progress(job.step(), job.steps(), job.fraction(), job.objective(), job.gap()),
                job.createdAt(), job.startedAt(), job.finishedAt(), job.resultId(), job.error(), request, job.warnings());
    }

}
