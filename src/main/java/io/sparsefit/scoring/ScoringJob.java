package io.sparsefit.scoring;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.MatrixCodec;
import io.sparsefit.job.JobControl;
import io.sparsefit.job.JobKind;
import io.sparsefit.job.JobRunner;
import io.sparsefit.job.JobState;
import io.sparsefit.model.BatchScorer;
import io.sparsefit.model.ModelService;
import io.sparsefit.web.ApiException;
import org.ejml.data.DMatrixRMaj;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed scoring (a job of kind SCORING on the one queue, run by the same workers as fits). It first deletes what an interrupted earlier run wrote (so a re-queued
 * scoring is redone from the start, to the same result), then reads the dataset one stored block at a time
 * ({@link DatasetService#rowBlocks}), predicts it in slices of {@value #SLICE_ROWS} rows and writes each slice's
 * predictions as one block of the store, in a transaction conditional on still owning the job; it reports progress
 * and looks at the cancellation token after every slice. So the heap holds one dataset block and one slice of
 * predictions, whatever the dataset's size. A cancel ends it CANCELLED within one slice, its blocks deleted; a shutdown
 * gives it back to the queue. A model or dataset deleted before or while it runs ends it FAILED with a 422 problem (its
 * blocks deleted), never a logged 500.
 */
@Component
class ScoringJob implements JobRunner {

    /** Scorings are finished jobs like fits: they and their predictions (V50, cascade) follow the fits' time to live. */
    static final JobKind KIND = new JobKind("SCORING", "scoring", SparsefitProperties.Retention::fits);

    /** Rows predicted and stored at once: the unit of progress, cancellation and storage. */
    static final int SLICE_ROWS = 16384;

    private final ScoringRepository repository;
    private final DatasetService datasets;
    private final ModelService models;
    private final JsonMapper json;

    ScoringJob(ScoringRepository repository, DatasetService datasets, ModelService models, JsonMapper json) {
        this.repository = repository;
        this.datasets = datasets;
        this.models = models;
        this.json = json;
    }

    @Override
    public JobKind kind() {
        return KIND;
    }

    @Override
    public void run(Job job, JobControl control) {
        String id = job.id();
        ScoringSpec spec = json.readValue(job.requestJson(), ScoringSpec.class);
        if (!control.write(() -> repository.clear(id))) {
            return;
        }
        DatasetService.RowBlocks blocks;
        BatchScorer scorer;
        try {
            blocks = datasets.rowBlocks(spec.datasetId());
            scorer = models.scorer(spec.modelId(), blocks.schema());
        } catch (ApiException gone) {
            control.fail(HttpStatus.UNPROCESSABLE_CONTENT.value(), "Scoring failed",
                    "The model or the dataset was deleted or changed before the scoring ran: " + detail(gone));
            return;
        }
        int done = 0;
        int index = 0;
        for (int b = 0; b < blocks.count(); b++) {
            DMatrixRMaj raw;
            try {
                raw = blocks.read().apply(b);
            } catch (ApiException gone) {
                // Deleted while it was read (a dataset in use by a scoring may be deleted): the caller's doing, not a 500.
                if (control.write(() -> repository.clear(id))) {
                    control.fail(HttpStatus.UNPROCESSABLE_CONTENT.value(), "Scoring failed",
                            "The dataset was deleted while the scoring ran: " + detail(gone));
                }
                return;
            }
            for (int from = 0; from < raw.numRows; from += SLICE_ROWS) {
                if (control.token().isCancelled()) {
                    stop(control, id, done);
                    return;
                }
                DMatrixRMaj y = scorer.score(rows(raw, from, Math.min(raw.numRows, from + SLICE_ROWS)));
                int start = done;
                int block = index++;
                if (!control.write(() -> repository.insertBlock(id, block, start, y.numRows, MatrixCodec.encode(y)))) {
                    return; // another replica took it over
                }
                done += y.numRows;
                control.progress(done, null);
            }
        }
        control.finish(JobState.SUCCEEDED, done, null, () -> null);
    }

    /**
     * Ends a run its token stopped: cancelled by a user, CANCELLED with its blocks deleted in the same transaction (a
     * cancelled scoring serves no predictions, so it keeps none); otherwise back to the queue (the next run clears them).
     */
    private void stop(JobControl control, String id, int done) {
        if (control.cancelRequested()) {
            control.finish(JobState.CANCELLED, done, null, () -> {
                repository.clear(id);
                return null;
            });
        } else {
            control.stop(done);
        }
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) of {@code m} (not modified), as a new matrix. */
    static DMatrixRMaj rows(DMatrixRMaj m, int from, int to) {
        if (from == 0 && to == m.numRows) {
            return m;
        }
        DMatrixRMaj out = new DMatrixRMaj(to - from, m.numCols);
        System.arraycopy(m.data, from * m.numCols, out.data, 0, (to - from) * m.numCols);
        return out;
    }

    private static String detail(ApiException e) {
        return e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).field() + " " + e.errors().get(0).message();
    }
}
