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
import org.ejml.data.DMatrixRMaj;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one claimed scoring (a job of kind SCORING on the one queue, run by the same workers as fits). It first deletes what an interrupted earlier run wrote (so a re-queued
 * scoring is redone from the start, to the same result), then reads the dataset one stored block at a time
 * ({@link DatasetService#rowBlocks}), predicts it in slices of {@value #SLICE_ROWS} rows and writes each slice's
 * predictions as one block of the store, in a transaction conditional on still owning the job; it reports progress
 * and looks at the cancellation token after every slice. So the heap holds one dataset block and one slice of
 * predictions, whatever the dataset's size. A cancel ends it CANCELLED within one slice, its blocks deleted; a shutdown
 * gives it back to the queue. A model or dataset deleted before or while it runs ends it FAILED with the problem a request
 * would have got (404 for a deleted one; see {@link io.sparsefit.job.JobRunner}), its blocks deleted, never a logged 500.
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
        // A model or dataset deleted (or changed) before or while it runs throws the ApiException a request would have
        // answered (404, 422): the queue ends the scoring FAILED with that status and detail, and discards its blocks.
        DatasetService.RowBlocks blocks = datasets.rowBlocks(spec.datasetId());
        BatchScorer scorer = models.scorer(spec.modelId(), blocks.schema());
        int done = 0;
        int index = 0;
        for (int b = 0; b < blocks.count(); b++) {
            DMatrixRMaj raw = blocks.read().apply(b);
            for (int from = 0; from < raw.numRows; from += SLICE_ROWS) {
                if (control.token().isCancelled()) {
                    control.stop(done); // CANCELLED, its blocks discarded, or back to the queue (the next run clears them)
                    return;
                }
                DMatrixRMaj y = score(scorer, rows(raw, from, Math.min(raw.numRows, from + SLICE_ROWS)));
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
     * The model's predictions of one slice (the core's network evaluated): a method of its own so that a test can make
     * it fail as the core would (ScoringFailureTest). The queue maps what it throws (JobFailure).
     */
    DMatrixRMaj score(BatchScorer scorer, DMatrixRMaj rows) {
        return scorer.score(rows);
    }

    /** A scoring that did not succeed serves no predictions, so it keeps none (its end's transaction deletes them). */
    @Override
    public void discard(String id) {
        repository.clear(id);
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
}
