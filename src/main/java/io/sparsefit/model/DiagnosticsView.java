package io.sparsefit.model;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.solver.LossPoint;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The numbers that show the theory holding for one model (names fixed by the HTTP contract). */
@Schema(name = "Diagnostics", description = "Objective terms, sparsity, balance, certificate and training curve of a model.")
public record DiagnosticsView(
        @Schema(description = "dataFit + penalty (sum over samples, not a mean).") double objective,
        @Schema(description = "1/2 sum_n ||f(x_n) - y_n||^2 on the training rows.") double dataFit,
        @Schema(description = "lambda * R for the trained regularizer.") double penalty,
        @Schema(description = "sum_k ||v_k|| ||w_k||, whatever the regularizer.") double pathNorm,
        @Schema(description = "Regularization strength.") double lambda,
        @Schema(description = "Regularizer trained with.", allowableValues = {"weight_decay", "path_norm", "none"}) String regularization,
        @Schema(description = "Neurons with ||v_k|| ||w_k|| > 0.") int activeNeurons,
        @Schema(description = "Width of the returned network.") int totalNeurons,
        @Schema(description = "N - (d + 1): an optimal network needs no more neurons (representer theorem).") int representerBound,
        @Schema(description = "max_k | ||v_k|| - ||w_k|| | / ||w_k||.") double balanceError,
        @Schema(description = "Number of knots (one input), else 0.") int knotCount,
        @Schema(description = "Duality-gap certificate; null when lambda = 0 or regularization = none.", nullable = true) CertificateView certificate,
        @Schema(description = "(1/N) sum_n ||f(x_n) - y_n||^2 on the training rows.") double trainMse,
        @Schema(description = "Same on the held-out rows; null when validationFraction = 0.", nullable = true) Double validationMse,
        @Schema(description = "Solver iterations.") int iterations,
        @Schema(description = "The solver met its tolerance.") boolean converged,
        @Schema(description = "Wall-clock milliseconds of solve, finishing and diagnostics.") long runtimeMs,
        @Schema(description = "Singular values of each weight matrix, first layer first, descending.") List<double[]> singularValues,
        @Schema(description = "Logged points of the training curve.") List<LossPointView> lossCurve,
        @Schema(description = "Knots (one input), sorted; empty otherwise.") List<ModelViews.KnotView> knots,
        @Schema(description = "The solver that actually ran (after auto).", example = "exact") String solver,
        @Schema(description = "Why the solver stopped (TIME_LIMIT: the fit's solver.timeLimit or the configured maximum ran out).",
                allowableValues = {"CONVERGED", "MAX_ITERATIONS", "CANCELLED", "DIVERGED", "TIME_LIMIT"})
        String stopReason,
        @Schema(description = "lambda_max: at or above this lambda the optimum is the affine fit with zero neurons (exact for "
                + "one input, and for two inputs up to 10000 rows; a lower bound otherwise). Null for models stored before it was "
                + "reported.", nullable = true) Double lambdaMax,
        @Schema(description = "Active neurons whose outer weight is non-zero for every output (equals activeNeurons for one "
                + "output). Null for models stored before it was reported.", nullable = true) Integer sharedNeurons) {

    @Schema(name = "Certificate", description = "gap = objective - dualObjective >= 0, zero at the global optimum.")
    public record CertificateView(double gap, double dualObjective,
                                  @Schema(description = "false when the dual scale was estimated by sampling (d >= 2).") boolean exact) {
    }

    @Schema(name = "LossPoint", description = "One logged point of the training curve.")
    public record LossPointView(int iteration, double objective, double dataFit, double penalty,
                                @Schema(description = "Validation loss at this point; not tracked during training yet, so null.",
                                        nullable = true) Double validationLoss) {
    }

    static DiagnosticsView of(Diagnostics d, Double validationMse) {
        CertificateView cert = d.certificate() == null ? null
                : new CertificateView(d.certificate().gap(), d.certificate().dualObjective(), d.certificate().exact());
        List<LossPointView> curve = d.lossCurve().stream().map(DiagnosticsView::point).toList();
        return new DiagnosticsView(d.objective(), d.dataFit(), d.penalty(), d.pathNorm(), d.lambda(), d.regularization(),
                d.activeNeurons(), d.totalNeurons(), d.representerBound(), d.balanceError(), d.knotCount(), cert, d.trainMse(),
                validationMse, d.iterations(), d.converged(), d.runtimeMs(), d.singularValues(), curve,
                ModelViews.knots(d.knots()), d.solver(), d.stopReason() == null ? null : d.stopReason().name(), d.lambdaMax(),
                d.sharedNeurons());
    }

    private static LossPointView point(LossPoint p) {
        return new LossPointView(p.iteration(), p.objective(), p.dataFit(), p.penalty(), null);
    }
}
