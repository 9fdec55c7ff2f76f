package io.sparsefit.scoring;

import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.MatrixCodec;
import io.sparsefit.fit.FitState;
import io.sparsefit.fit.FitView;
import io.sparsefit.fit.JobQueue;
import io.sparsefit.model.BatchScorer;
import io.sparsefit.model.ModelService;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Problems;
import org.ejml.data.DMatrixRMaj;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed scoring on a fit worker. It first deletes what an interrupted earlier run wrote (so a re-queued
 * scoring is redone from the start, to the same result), then reads the dataset one stored block at a time
 * ({@link DatasetService#rowBlocks}), predicts it in slices of {@value #SLICE_ROWS} rows and writes each slice's
 * predictions as one block of the store, in a transaction conditional on still owning the job; it reports progress
 * and looks at the cancellation token after every slice. So the heap holds one dataset block and one slice of
 * predictions, whatever the dataset's size. A cancel ends it CANCELLED within one slice, its blocks deleted; a shutdown
 * gives it back to the queue.
 */
@Component
class ScoringJob implements JobQueue.Runner {

    static final String KIND = JobQueue.SCORING;

    /** Rows predicted and stored at once: the unit of progress, cancellation and storage. */
    static final int SLICE_ROWS = 16384;

    private static final Logger log = LoggerFactory.getLogger(ScoringJob.class);

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
    public String kind() {
        return KIND;
    }

    @Override
    public void run(JobQueue.Job job, JobQueue.Control control) {
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
            fail(control, id, "The model or the dataset was deleted or changed before the scoring ran: " + detail(gone));
            return;
        }
        int done = 0;
        int index = 0;
        for (int b = 0; b < blocks.count(); b++) {
            DMatrixRMaj raw = blocks.read().apply(b);
            for (int from = 0; from < raw.numRows; from += SLICE_ROWS) {
                if (control.token().isCancelled()) {
                    stop(control, id, done);
                    return;
                }
                DMatrixRMaj y = scorer.predict(rows(raw, from, Math.min(raw.numRows, from + SLICE_ROWS)));
                int start = done;
                int block = index++;
                if (!control.write(() -> repository.insertBlock(id, block, start, y.numRows, MatrixCodec.encode(y)))) {
                    return; // another replica took it over
                }
                done += y.numRows;
                control.progress(done, null);
            }
        }
        if (!control.finish(FitState.SUCCEEDED, done, null, null, () -> { })) {
            log.warn("Scoring {} finished here after another replica took it over; this result is discarded", id);
        }
    }

    /**
     * Ends a run its token stopped: cancelled by a user, CANCELLED with its blocks deleted in the same transaction (a
     * cancelled scoring serves no predictions, so it keeps none); otherwise back to the queue (the next run clears them).
     */
    private void stop(JobQueue.Control control, String id, int done) {
        if (control.cancelRequested()) {
            control.finish(FitState.CANCELLED, done, null, null, () -> repository.clear(id));
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

    private void fail(JobQueue.Control control, String id, String detail) {
        FitView.FitError error = new FitView.FitError(Problems.TYPE_BASE + "scoring-failed", "Scoring failed",
                HttpStatus.UNPROCESSABLE_CONTENT.value(), detail, "/v1/scorings/" + id);
        control.finish(FitState.FAILED, 0, null, json.writeValueAsString(error), () -> { });
    }
}
