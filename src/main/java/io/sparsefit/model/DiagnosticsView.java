package io.sparsefit.model;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.diagnostics.LayerDiagnostics;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.solver.LossPoint;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The numbers that show the theory holding for one model (names fixed by the HTTP contract). */
@Schema(name = "Diagnostics", description = "Objective terms, sparsity, balance, certificate and training curve of a model.")
public record DiagnosticsView(
        @Schema(description = "dataFit + penalty (sum over samples, not a mean).") double objective,
        @Schema(description = "The loss sum sum_n w_n loss(f(x_n), y_n) on the training rows (theory A2b; for squared loss "
                + "1/2 sum_n ||f(x_n) - y_n||^2).") double dataFit,
        @Schema(description = "lambda * R for the trained regularizer.") double penalty,
        @Schema(description = "sum_k ||v_k|| ||w_k||, whatever the regularizer; null for a deep network (the path norm of one "
                + "hidden layer; see deep for the per-layer numbers).", nullable = true) Double pathNorm,
        @Schema(description = "Regularization strength.") double lambda,
        @Schema(description = "Regularizer trained with.", allowableValues = {"weight_decay", "path_norm", "none"}) String regularization,
        @Schema(description = "Neurons with ||v_k|| ||w_k|| > 0 (of the last hidden layer in a deep network).") int activeNeurons,
        @Schema(description = "Width of the returned network (of its last hidden layer in a deep network).") int totalNeurons,
        @Schema(description = "Some optimal network needs no more neurons (representer theorem): min(q r, r (r + 1) / 2) with "
                + "r = N - (d + 1) (N - 1 for a classification loss) and q = m outputs (C - 1 for cross_entropy); N - (d + 1) "
                + "for one output, N - 2 knots in one input.") int representerBound,
        @Schema(description = "max_k | ||v_k|| - ||w_k|| | / ||w_k|| (theory A4; over the ReLU units of every layer, with "
                + "their incoming and outgoing weights, in a deep network).") double balanceError,
        @Schema(description = "Number of knots (one input), else 0.") int knotCount,
        @Schema(description = "Duality-gap certificate; null when lambda = 0 or regularization = none, for a deep network "
                + "(see deep.lastLayerCertificate), and when no finite dual bound was found.", nullable = true) CertificateView certificate,
        @Schema(description = "(1/N) sum_n ||f(x_n) - y_n||^2 on the training rows; for a classification model the mean log "
                + "loss (trainLogLoss).") double trainMse,
        @Schema(description = "Same on the held-out rows; null when validationFraction = 0.", nullable = true) Double validationMse,
        @Schema(description = "Solver iterations.") int iterations,
        @Schema(description = "The solver met its tolerance.") boolean converged,
        @Schema(description = "Wall-clock milliseconds of solve, finishing and diagnostics.") long runtimeMs,
        @Schema(description = "Singular values of each weight matrix, first layer first (the output weights last in a deep "
                + "network), descending.") List<double[]> singularValues,
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
                + "output; of the last hidden layer in a deep network). Null for models stored before it was reported.",
                nullable = true) Integer sharedNeurons,
        @Schema(description = "What a deep network (more than one hidden layer, or linear layers) adds: spectra and effective "
                + "ranks of every weight matrix and of the product of each run of linear layers, active units per layer, the "
                + "last-layer certificate. Null for one hidden layer.", nullable = true) DeepView deep,
        @Schema(description = "Units of the inputs the problem was solved in, and so of objective, penalty, "
                + "lambda, lambdaMax, pathNorm, balanceError, certificate, singularValues and lossCurve: `original`, or "
                + "`standardized` (preprocessing.standardize: every numeric input column with mean 0 and standard deviation 1). "
                + "Outputs are never rescaled, so dataFit, trainMse, validationMse and the metrics are in the targets' units, and "
                + "knots are in the original units. Null for models stored before it was reported.",
                allowableValues = {"original", "standardized"}, nullable = true) String inputUnits,
        @Schema(description = "MSE, RMSE, MAE and R^2 per output on the training rows (of the model as stored). Null for models "
                + "stored before it was reported.", nullable = true) RegressionMetrics trainMetrics,
        @Schema(description = "The same on the held-out rows; null when validationFraction = 0.", nullable = true)
        RegressionMetrics validationMetrics,
        @Schema(description = "The loss fitted (theory A2b): squared, huber, logistic or cross_entropy. Null for models stored "
                + "before losses (squared).", nullable = true, example = "squared") String loss,
        @Schema(description = "Classification: the share of training rows whose most probable class is their own; null for "
                + "regression.", nullable = true) Double trainAccuracy,
        @Schema(description = "Classification: the mean log loss (1/N) sum_n -log p_{y_n}(x_n) on the training rows; null for "
                + "regression.", nullable = true) Double trainLogLoss,
        @Schema(description = "Classification: trainAccuracy on the held-out rows; null for regression or validationFraction = 0.",
                nullable = true) Double validationAccuracy,
        @Schema(description = "Classification: trainLogLoss on the held-out rows; null for regression or validationFraction = 0.",
                nullable = true) Double validationLogLoss) {

    @Schema(name = "Certificate", description = "gap = objective - dualObjective >= 0, zero at the global optimum.")
    public record CertificateView(double gap, double dualObjective,
                                  @Schema(description = "true when the dual norm was proven (exact in one input, in two inputs up to "
                                          + "10000 rows and in three up to 60; else bounded by branch and bound within a fixed work budget "
                                          + "closely enough that the proven gap is within a tenth of the sampled one or 1e-5 max(1, objective)): then dualObjective is a guaranteed lower bound on the optimum. "
                                          + "false when the dual scale was only estimated by sampling: gap may then understate the "
                                          + "distance to the optimum (see gapBound).") boolean exact,
                                  @Schema(description = "A proven upper bound on the distance to the optimum: equals gap when exact; "
                                          + "when not exact, the gap of the dual point scaled by a proven upper bound of the dual norm "
                                          + "(branch and bound stopped by its budget). Null when none was proven (a classification loss "
                                          + "in three or more inputs, a proof stopped by the fit's deadline, models stored before it was "
                                          + "reported).", nullable = true) Double gapBound) {

        /**
         * The view of a certificate, or null without one, or when its dual bound is not finite (a dual point outside the
         * conjugate's domain, A2b: no bound, and JSON has no infinity).
         */
        public static CertificateView of(Certificate c) {
            if (c == null || !Double.isFinite(c.gap()) || !Double.isFinite(c.dualObjective())) {
                return null;
            }
            Double bound = c.gapBound() != null && Double.isFinite(c.gapBound()) ? c.gapBound() : null;
            return new CertificateView(c.gap(), c.dualObjective(), c.exact(), bound);
        }
    }

    @Schema(name = "LossPoint", description = "One logged point of the training curve.")
    public record LossPointView(int iteration, double objective, double dataFit, double penalty,
                                @Schema(description = "Validation loss at this point; not tracked during training yet, so null.",
                                        nullable = true) Double validationLoss) {
    }

    @Schema(name = "DeepDiagnostics", description = "Theory A8 for a deep network. Effective rank: the singular values above "
            + "rankThreshold times the largest.")
    public record DeepView(
            @Schema(description = "Relative threshold of the effective rank.", example = "0.001") double rankThreshold,
            @Schema(description = "Every weight matrix, first layer first, the output weights last.") List<MatrixView> matrices,
            @Schema(description = "Every run of linear layers with the ReLU layer it feeds: q = factors matrices whose product W "
                    + "weight decay penalizes as (q/2) sum_i sigma_i(W)^(2/q) at a balanced factorization (for q = 2 the nuclear "
                    + "norm).") List<LinearRunView> linearRuns,
            @Schema(description = "Per hidden layer, units whose ||incoming|| ||outgoing|| is non-zero.") List<Integer> activeUnits,
            @Schema(description = "Duality gap of the convex group lasso over the last hidden layer's features with the earlier "
                    + "layers fixed (the last-layer polish); null without weight decay, with lambda = 0, or when a fit with a time "
                    + "budget reached the end of its grace before it was computed.", nullable = true)
            CertificateView lastLayerCertificate) {
    }

    @Schema(name = "WeightMatrix", description = "One weight matrix of a deep network and its spectrum.")
    public record MatrixView(
            @Schema(description = "Index of the layer (0 = first hidden layer); the number of hidden layers for the output weights.")
            int layer,
            @Schema(description = "What the matrix belongs to.", allowableValues = {"relu", "linear", "output"}) String kind,
            @Schema(description = "Units it feeds.") int rows,
            @Schema(description = "Units it reads.") int cols,
            @Schema(description = "Singular values, descending.") double[] singularValues,
            @Schema(description = "Singular values above rankThreshold times the largest.") int effectiveRank) {
    }

    @Schema(name = "LinearRun", description = "A run of linear layers and the ReLU layer it feeds (theory A8).")
    public record LinearRunView(
            @Schema(description = "Index of the run's first linear layer.") int firstLayer,
            @Schema(description = "Index of the ReLU layer that ends the run.") int reluLayer,
            @Schema(description = "q: the number of factors (linear layers + 1).") int factors,
            @Schema(description = "Singular values of the product W of the factors, descending.") double[] singularValues,
            @Schema(description = "Effective rank of W.") int effectiveRank,
            @Schema(description = "1/2 sum of the factors' squared Frobenius norms: what weight decay charges.") double rawPenalty,
            @Schema(description = "(q/2) sum_i sigma_i(W)^(2/q): the least weight decay of any factorization of W; equals "
                    + "rawPenalty at a balanced factorization.") double schattenPenalty) {
    }

    /**
     * The stored diagnostics of a fit solved in {@code inputUnits}, with the metrics of the stored model and its
     * held-out error ({@link ModelService#validationError}, null without held-out rows); {@code knots} replace the
     * solver's (which are in the units it solved in) when not null.
     */
    static DiagnosticsView of(Diagnostics d, String inputUnits, RegressionMetrics train, RegressionMetrics validation,
                              Double validationError, List<ModelViews.KnotView> knots, String loss) {
        DiagnosticsView v = of(d, validationError);
        return new DiagnosticsView(v.objective, v.dataFit, v.penalty, v.pathNorm, v.lambda, v.regularization, v.activeNeurons,
                v.totalNeurons, v.representerBound, v.balanceError, v.knotCount, v.certificate, v.trainMse, v.validationMse,
                v.iterations, v.converged, v.runtimeMs, v.singularValues, v.lossCurve, knots == null ? v.knots : knots, v.solver,
                v.stopReason, v.lambdaMax, v.sharedNeurons, v.deep, inputUnits, train, validation, loss, train.accuracy(),
                train.logLoss(), validation == null ? null : validation.accuracy(), validation == null ? null : validation.logLoss());
    }

    static DiagnosticsView of(Diagnostics d, Double validationMse) {
        CertificateView cert = CertificateView.of(d.certificate());
        List<LossPointView> curve = d.lossCurve().stream().map(DiagnosticsView::point).toList();
        return new DiagnosticsView(d.objective(), d.dataFit(), d.penalty(), finiteOrNull(d.pathNorm()), d.lambda(), d.regularization(),
                d.activeNeurons(), d.totalNeurons(), d.representerBound(), d.balanceError(), d.knotCount(), cert, d.trainMse(),
                validationMse, d.iterations(), d.converged(), d.runtimeMs(), d.singularValues(), curve,
                ModelViews.knots(d.knots()), d.solver(), d.stopReason() == null ? null : d.stopReason().name(), finiteOrNull(d.lambdaMax()),
                d.sharedNeurons(), deep(d.deep()), null, null, null, null, null, null, null, null);
    }

    private static DeepView deep(LayerDiagnostics deep) {
        if (deep == null) {
            return null;
        }
        Certificate c = deep.lastLayerCertificate();
        return new DeepView(DiagnosticsCalculator.RANK_THRESHOLD,
                deep.matrices().stream().map(m -> new MatrixView(m.layer(), m.kind(), m.rows(), m.cols(), m.singularValues(),
                        m.effectiveRank())).toList(),
                deep.linearRuns().stream().map(r -> new LinearRunView(r.firstLayer(), r.reluLayer(), r.factors(), r.singularValues(),
                        r.effectiveRank(), r.rawPenalty(), r.schattenPenalty())).toList(),
                deep.activeUnits(), CertificateView.of(c));
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static LossPointView point(LossPoint p) {
        return new LossPointView(p.iteration(), p.objective(), p.dataFit(), p.penalty(), null);
    }
}
