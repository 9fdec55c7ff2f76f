package io.sparsefit.fit;

import io.sparsefit.job.JobError;
import io.sparsefit.job.JobResourceView;
import io.sparsefit.job.JobState;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** The fit resource. */
@Schema(name = "Fit", description = "An asynchronous fitting job.")
public record FitView(
        @Schema(description = "Identifier.") String id,
        @Schema(description = "Where the job is.") JobState state,
        @Schema(description = "Solver progress; iteration 0 while queued.") Progress progress,
        @Schema(description = "Submission time (UTC).") Instant createdAt,
        @Schema(description = "When a worker started it (the latest start, if it was restarted).", nullable = true) Instant startedAt,
        @Schema(description = "When it reached a final state.", nullable = true) Instant finishedAt,
        @Schema(description = "The learned model, when SUCCEEDED.", nullable = true) String modelId,
        @Schema(description = "Why it failed, when FAILED (a problem object).", nullable = true) JobError error,
        @Schema(description = "The request with every default filled in (hiddenLayers only when given, or when the memory "
                + "limit capped a widening fit, as its warning says).") FitRequest request,
        @Schema(description = "Things worth knowing about this fit that are not errors, e.g. input columns on very different "
                + "scales while preprocessing.standardize is false.") java.util.List<String> warnings) implements JobResourceView {

    @Schema(name = "FitProgress", description = "Live progress of the solver.")
    public record Progress(
            @Schema(description = "Iterations done. While auto's width-free continuation runs (its lbfgs fit filled the starting "
                    + "width), its convex rounds fill what the lbfgs iterations left of maxIter, in proportion to that phase's "
                    + "round cap (200 at a path's later points and in two inputs with one output; otherwise 600 at 1,000 rows, "
                    + "up to 5,000 below with one output, fewer beyond): "
                    + "progress on the maxIter scale, not a count.", example = "1200") int iteration,
            @Schema(description = "Iteration limit.", example = "20000") int maxIter,
            @Schema(description = "iteration / maxIter (1 when finished successfully).", example = "0.06") double fraction,
            @Schema(description = "Latest objective (dataFit + penalty), when reported.", nullable = true, example = "0.3414") Double objective,
            @Schema(description = "Latest duality gap (objective minus the dual bound, theory T8) while the convex solver runs; "
                    + "it closes toward zero. Seen on the replica running the fit; the final certificate is in the model's diagnostics.",
                    nullable = true, example = "0.0021") Double gap) {
    }
}
