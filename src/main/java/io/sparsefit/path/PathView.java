package io.sparsefit.path;

import io.sparsefit.job.JobError;
import io.sparsefit.job.JobResourceView;
import io.sparsefit.job.JobState;
import io.sparsefit.model.DiagnosticsView;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** The path resource; its names extend the fit resource's (state, progress, createdAt, error, request). */
@Schema(name = "Path", description = "A regularization path job: its state (the fit states), progress in points, the points so far "
        + "and, once SUCCEEDED, the choice of lambda (among the points done when its time budget stopped it: stopReason).")
public record PathView(
        @Schema(description = "Path id.") String id,
        @Schema(description = "Job state, as for fits.") JobState state,
        @Schema(description = "Points done out of all.") Progress progress,
        @Schema(description = "When it was queued.") Instant createdAt,
        @Schema(description = "When a worker took it.", nullable = true) Instant startedAt,
        @Schema(description = "When it finished.", nullable = true) Instant finishedAt,
        @Schema(description = "lambda_max of all the data (T6): at and above it the optimum has zero neurons.", nullable = true)
        Double lambdaMax,
        @Schema(description = "The solver every point ran (after auto, resolved for the smallest lambda).", nullable = true)
        String solver,
        @Schema(description = "The points done, in descending lambda.") List<Point> points,
        @Schema(description = "The point with the least mean validation error.", nullable = true) Choice best,
        @Schema(description = "The largest lambda whose mean validation error is within one standard error of the best.",
                nullable = true) Choice oneSe,
        @Schema(description = "best or oneSe, as the request's choice says (oneSe by default).", nullable = true) Choice chosen,
        @ArraySchema(arraySchema = @Schema(description = "exact solver (one input): every breakpoint of the whole solution path on "
                + "all the data, from lambda_max down to the smallest lambda, where the knot set changes; between two breakpoints "
                + "the fitted values are linear in lambda. Each is checked against the exact solves at the points; the list "
                + "stops at the last point where they agree. Empty for other solvers.")) List<Breakpoint> breakpoints,
        @Schema(description = "exact solver: whether `breakpoints` reach the smallest lambda, checked against the exact solves "
                + "at every point (false: the homotopy was capped or disagreed, and the list stops early). Null for other "
                + "solvers and before the path has finished.", nullable = true) Boolean breakpointsComplete,
        @Schema(description = "TIME_LIMIT when the path's wall-clock budget (its solver.timeLimit, at most the configured "
                + "maximum) ran out before its last point: the path is SUCCEEDED with the points done (fewer than "
                + "progress.totalPoints; the point in progress is dropped) and best, oneSe and chosen are among them. Null "
                + "otherwise (every point done, or not finished).", nullable = true)
        String stopReason,
        @Schema(description = "Why it failed (problem details).", nullable = true) JobError error,
        @Schema(description = "The request with its defaults.") PathRequest request,
        @Schema(description = "Warnings found at submit, as for a fit: e.g. input columns whose standard deviations differ by "
                + "more than 100x while preprocessing.standardize is false.") List<String> warnings) implements JobResourceView {

    @Schema(name = "PathProgress", description = "Points done out of all.")
    public record Progress(int points, int totalPoints, double fraction) {
    }

    @Schema(name = "PathPoint", description = "One lambda: the model refit on all the data (certified like a single fit) and its "
            + "validation error.")
    public record Point(
            double lambda,
            @Schema(description = "dataFit + penalty on all the data.") double objective,
            double dataFit,
            double penalty,
            @Schema(description = "sum_k ||v_k|| ||w_k||; null for a deep architecture.", nullable = true) Double pathNorm,
            int activeNeurons,
            @Schema(description = "Knots (one input), else 0.") int knotCount,
            @Schema(nullable = true) DiagnosticsView.CertificateView certificate,
            @Schema(description = "(1/N) sum ||f(x) - y||^2 on all the data.") double trainMse,
            @Schema(description = "Held-out error over the folds.", nullable = true) ValidationError validationMse,
            @Schema(description = "The model of this point (GET /v1/models/{id}).") String modelId) {
    }

    @Schema(name = "PathValidationError", description = "Mean over folds of the held-out mean squared error, and its standard error "
            + "(K-fold: standard deviation of the fold errors over sqrt(K); hold-out: of the held-out rows' squared errors over "
            + "sqrt(rows)).")
    public record ValidationError(double mean, double standardError) {
    }

    @Schema(name = "PathChoice", description = "A chosen point.")
    public record Choice(double lambda, String modelId, int index) {
    }

    @Schema(name = "PathBreakpoint", description = "lambda where the knot set changes, and the knots from there down to the next "
            + "breakpoint.")
    public record Breakpoint(double lambda, int knotCount, List<Double> knots) {
    }
}
