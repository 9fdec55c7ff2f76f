package io.sparsefit.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.job.JobControl;
import io.sparsefit.job.JobQueue;
import io.sparsefit.job.JobRunner;
import io.sparsefit.job.JobState;
import io.sparsefit.job.JobView;
import io.sparsefit.support.Http;
import io.sparsefit.web.ApiException;
import io.sparsefit.support.ServiceTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A dataset deleted while a scoring reads it (it is read one stored chunk at a time, and a dataset in use by a scoring
 * may be deleted) stops the scoring with the dataset's 404 {@link ApiException}, which the queue turns into a FAILED
 * scoring with that status and detail (JobQueueTest), not into a logged 500. The runner is driven here with a control that deletes the dataset right after the first slice, so
 * the deletion falls between two chunk reads every time (1KB chunks: 128 rows of one input, 300 rows in 3 chunks).
 */
@TestPropertySource(properties = "sparsefit.uploads.chunk-size=1KB")
class ScoringDatasetDeletedTest extends ServiceTestBase {

    @Autowired
    ScoringJob runner;

    @Autowired
    DatasetService datasets;

    @Autowired
    JobQueue queue;

    @Test
    void aDatasetDeletedBetweenTwoChunksStopsTheScoringWithTheDatasets404() {
        StringBuilder csv = new StringBuilder("a,y\n");
        for (int i = 0; i < 300; i++) {
            double a = i * 0.01 - 1.5;
            csv.append(a).append(',').append(Math.abs(a)).append('\n');
        }
        String dataset = http.uploadedCsv(csv.toString());
        String model = http.smallModel(dataset);
        // A real scoring's stored request (the spec the runner reads), run again below under a control of the test's.
        String scoring = http.succeededScoring(model, dataset);
        JobView job = queue.get(ScoringJob.KIND, scoring);

        Recorded control = new Recorded(() -> datasets.delete(dataset));
        // The 404 a request for the dataset would get, out to the queue, which ends the job FAILED with it (JobQueueTest).
        assertThatThrownBy(() -> runner.run(new JobRunner.Job("not-stored", dataset, job.requestJson(), 300, ""), control))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("dataset '" + dataset + "' does not exist");
                });
        assertThat(control.failures).isEmpty();
        assertThat(control.finished).isEmpty();
        // The clearing of an earlier run and the first slice (one chunk of 128 rows), written before the deletion.
        assertThat(control.writes).isEqualTo(2);
        assertThat(http.get("/v1/datasets/" + dataset).status()).isEqualTo(404);
    }

    /** Records what the runner asks; its second write (the first slice) deletes the dataset first. */
    private static final class Recorded implements JobControl {
        final List<String> failures = new ArrayList<>();
        final List<JobState> finished = new ArrayList<>();
        final Runnable afterFirstSlice;
        int writes;

        Recorded(Runnable afterFirstSlice) {
            this.afterFirstSlice = afterFirstSlice;
        }

        @Override
        public CancellationToken token() {
            return () -> false;
        }

        @Override
        public boolean cancelRequested() {
            return false;
        }

        @Override
        public void progress(int step, Double objective) {
        }

        @Override
        public void gap(double gap) {
        }

        @Override
        public boolean write(Runnable work) {
            // Nothing is run: the job is not stored (its predictions' rows would need it), only counted.
            if (++writes == 2) {
                afterFirstSlice.run();
            }
            return true;
        }

        @Override
        public boolean finish(JobState state, int steps, Double objective, Supplier<String> work) {
            finished.add(state);
            return true;
        }

        @Override
        public boolean fail(int status, String title, String detail) {
            failures.add(status + " " + title + ": " + detail);
            return true;
        }

        @Override
        public void requeue() {
        }
    }
}
