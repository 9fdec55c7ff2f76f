package io.sparsefit.scoring;

import io.sparsefit.job.JobError;
import io.sparsefit.job.JobResourceView;
import io.sparsefit.job.JobState;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** The scoring resource; its names extend the fit resource's (state, progress, createdAt, error). */
@Schema(name = "Scoring", description = "A batch scoring job: a model applied to every row of a dataset, its predictions stored "
        + "and downloadable (GET /v1/scorings/{id}/predictions) once SUCCEEDED.")
public record ScoringView(
        @Schema(description = "Scoring id.") String id,
        @Schema(description = "Job state, as for fits.") JobState state,
        @Schema(description = "Rows scored out of all.") Progress progress,
        @Schema(description = "When it was queued.") Instant createdAt,
        @Schema(description = "When a worker took it.", nullable = true) Instant startedAt,
        @Schema(description = "When it finished.", nullable = true) Instant finishedAt,
        @Schema(description = "The model applied.") String modelId,
        @Schema(description = "The dataset scored.") String datasetId,
        @Schema(description = "The dataset's rows: the predictions have one row per dataset row, in order.") int rows,
        @Schema(description = "The model's target names: a regression model's prediction columns (a classification model's "
                + "predictions also carry the probabilities and the label, see PredictionPage.columns).") List<String> outputs,
        @Schema(description = "Why it failed (problem details).", nullable = true) JobError error) implements JobResourceView {

    @Schema(name = "ScoringProgress", description = "Rows scored out of all.")
    public record Progress(long rows, long totalRows, double fraction) {
    }
}
