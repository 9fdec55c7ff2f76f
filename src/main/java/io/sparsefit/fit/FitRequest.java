package io.sparsefit.fit;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.sparsefit.core.solver.FitSettings;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A fit request as sent (fields may be missing) and, after {@link #withDefaults()}, as echoed in the
 * fit resource with every default filled in. Each default is written once, in {@link Defaults}, and
 * shown in the OpenAPI schema.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "FitRequest", description = "What to fit and how. Every field but the data has a default; the fit resource "
        + "echoes the request with the defaults filled in (inline data is stored as a dataset and echoed as its datasetId).")
public record FitRequest(
        @Schema(description = "A stored dataset; give either this or `data`.", nullable = true,
                example = "3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41") String datasetId,
        @Schema(description = "Inline training data; give either this or `datasetId`.", nullable = true) InlineData data,
        @Schema(description = "Network shape.") Architecture architecture,
        @Schema(description = "Penalty and its strength.") RegularizationSpec regularization,
        @Schema(description = "Algorithm and stopping rule.") SolverSpec solver,
        @Schema(description = "Fraction of rows held out (seeded random choice) to report validationMse; 0 uses every row for training.",
                defaultValue = Defaults.VALIDATION_FRACTION, example = "0.0", minimum = "0", maximum = "1", exclusiveMaximum = true)
        Double validationFraction,
        @Schema(description = "Seed of every random choice (initialization, mini-batches, validation split): equal requests give "
                + "bit-identical models.", defaultValue = Defaults.SEED, example = "0") Long seed,
        @Schema(description = "How the table is prepared before the fit: standardization of the inputs and missing cells.")
        Preprocessing preprocessing,
        @Schema(description = "Optional name of the fit and its model (GET /v1/models?name= finds it).", nullable = true,
                example = "house prices", maxLength = 200) String name,
        @ArraySchema(arraySchema = @Schema(description = "Optional tags of the fit and its model (GET /v1/models?tag= finds them); "
                + "at most 20, each 1 to 100 characters.", nullable = true, example = "[\"baseline\"]"))
        List<String> tags,
        @Schema(description = "The loss of the data term (theory A2b): squared (regression, the default), huber (robust "
                + "regression), logistic (two classes) or cross_entropy (two or more classes) on a target of labels.")
        LossSpec loss) {

    /** The request without preprocessing, name or tags. */
    public FitRequest(String datasetId, InlineData data, Architecture architecture, RegularizationSpec regularization,
                      SolverSpec solver, Double validationFraction, Long seed) {
        this(datasetId, data, architecture, regularization, solver, validationFraction, seed, null, null, null, null);
    }

    /**
     * The defaults, as constant text for the OpenAPI annotations, parsed where they are used. Those the
     * core defines (width, iteration limit, tolerance) are taken from its {@link FitSettings} constants.
     */
    public static final class Defaults {
        public static final String HIDDEN_WIDTH = "" + FitSettings.DEFAULT_WIDTH;
        public static final String SKIP = "true";
        public static final String LINEAR_LAYERS = "0";
        public static final String REGULARIZATION = "weight_decay";
        public static final String LAMBDA = "0.01";
        public static final String SOLVER = "auto";
        public static final String MAX_ITER = "" + FitSettings.DEFAULT_MAX_ITER;
        public static final String TOL = "" + FitSettings.DEFAULT_TOL;
        public static final String LEARNING_RATE = "0";
        public static final String BATCH_SIZE = "0";
        public static final String SPARSEST = "false";
        public static final String VALIDATION_FRACTION = "0";
        public static final String SEED = "0";
        public static final String STANDARDIZE = "false";
        public static final String MISSING = "error";
        public static final String LOSS = "squared";
        public static final String HUBER_DELTA = "1.0";

        private Defaults() {
        }
    }

    @Schema(name = "InlineData", description = "Training data sent with the request.")
    public record InlineData(
            @ArraySchema(arraySchema = @Schema(description = "Inputs, N rows of d finite numbers.", example = "[[0],[1],[2],[3]]"),
                    schema = @Schema(type = "array", implementation = double[].class))
            double[][] x,
            @Schema(description = "Targets: N rows of m numbers, a flat array for one output, or a flat array of N labels "
                    + "(strings) for a classification loss.", example = "[0,1,0,1]")
            tools.jackson.databind.JsonNode y) {
    }

    @Schema(name = "Architecture", description = "Network shape: hidden ReLU layers, optional linear layers before each of them, "
            + "and an optional affine skip connection from the input to the output. Weight decay penalizes every weight matrix; "
            + "biases and the skip are free. One ReLU layer without linear layers is the shallow network every solver fits (the "
            + "exact solver chooses its own width and ignores hiddenLayers); a deep architecture (more layers, or linear layers) "
            + "is fitted by lbfgs or adam with weight_decay or none.")
    @JsonInclude(JsonInclude.Include.NON_NULL)   // an absent hiddenLayers stays absent in the echo
    public record Architecture(
            @ArraySchema(arraySchema = @Schema(description = "Widths of the hidden ReLU layers, first to last; at most "
                    + "sparsefit.limits.max-hidden-layers entries (6 by default). Given widths are a cap the fit keeps. Absent "
                    + "(and absent from the echo, unless sparsefit.limits.max-fit-memory caps a fit that would widen: then ["
                    + Defaults.HIDDEN_WIDTH + "] with a warning): one layer whose training starts at " + Defaults.HIDDEN_WIDTH
                    + " neurons and which solver auto may widen: with weight_decay or path_norm, lambda > 0 and the skip "
                    + "connection, for every loss, with or without sample weights, one output or several, up to 30,000 rows, when "
                    + "its lbfgs fit uses most of those neurons or its priced duality gap says so, and always in two inputs with "
                    + "one output, squared loss and no sample weights up to 10,000 rows, convex column generation goes on from "
                    + "them with as many neurons as the optimum needs (at most N - (d + 1) with one regression output).",
                    nullable = true, example = "[64]"),
                    schema = @Schema(type = "integer", format = "int32", minimum = "1"), minItems = 1)
            List<Integer> hiddenLayers,
            @Schema(description = "Train the unpenalized affine part C x (the constant c0 is always trained).",
                    defaultValue = Defaults.SKIP, example = "true") Boolean skip,
            @Schema(description = "Linear layers (no activation, no bias, weight decay) inserted in front of each ReLU layer, as wide "
                    + "as that layer's input: the ReLU layer then sees a product of linearLayers + 1 weight-decayed factors, which "
                    + "weight decay drives to low rank (for two factors, the nuclear norm). At most sparsefit.limits.max-linear-layers "
                    + "(4 by default).",
                    defaultValue = Defaults.LINEAR_LAYERS, example = "0", minimum = "0") Integer linearLayers) {

        /**
         * The core's architecture of a request with defaults filled in: the given widths as a cap, or, when absent, one
         * layer starting at the default width that {@code auto} may widen ({@link io.sparsefit.core.solver.Architecture#startingWidth}).
         */
        public io.sparsefit.core.solver.Architecture toCore() {
            if (hiddenLayers == null) {
                int width = Integer.parseInt(Defaults.HIDDEN_WIDTH);
                return new io.sparsefit.core.solver.Architecture(List.of(width), linearLayers, skip, false);
            }
            return new io.sparsefit.core.solver.Architecture(hiddenLayers, linearLayers, skip);
        }
    }

    @Schema(name = "Regularization", description = "The penalty R and its strength lambda; objective = 1/2 sum ||f(x)-y||^2 + lambda R.")
    public record RegularizationSpec(
            @Schema(description = "weight_decay: 1/2 sum (||v||^2 + ||w||^2); path_norm: sum ||v|| ||w||; none: 0.",
                    allowableValues = {"weight_decay", "path_norm", "none"}, defaultValue = Defaults.REGULARIZATION,
                    example = "weight_decay") String type,
            @Schema(description = "Strength, finite and >= 0.", defaultValue = Defaults.LAMBDA, example = "0.01", minimum = "0")
            Double lambda) {
    }

    @Schema(name = "Solver", description = "Algorithm and stopping rule.")
    public record SolverSpec(
            @Schema(description = "auto: with weight_decay or path_norm, lambda > 0 and the skip connection, exact for one input "
                    + "and one output, convex for two inputs and one output up to 10,000 rows (1,000 for two classes) and for several outputs up to 500 rows "
                    + "(one input) or 30 rows (more inputs), else lbfgs; without a given architecture.hiddenLayers, an lbfgs fit "
                    + "that uses most of its 64 neurons goes on as convex, warm from them (one output, squared loss, no weights). "
                    + "exact: global optimum for one input. convex: width-free global solver (column generation) that "
                    + "chooses the number of neurons itself, certified by the duality gap (exactly for one or two inputs). "
                    + "prox: proximal path-norm training. lbfgs, adam: gradient training. (gd is a reserved name, not "
                    + "supported yet: left out of the enum so that clients reject it; the server answers 422.)",
                    allowableValues = {"auto", "exact", "convex", "prox", "adam", "lbfgs"},
                    defaultValue = Defaults.SOLVER, example = "auto") String type,
            @Schema(description = "Iteration limit.", defaultValue = Defaults.MAX_ITER, example = "20000", minimum = "1")
            Integer maxIter,
            @Schema(description = "Stopping tolerance (> 0).", defaultValue = Defaults.TOL, example = "1e-9") Double tol,
            @Schema(description = "Step size for adam; 0 lets the solver choose.", defaultValue = Defaults.LEARNING_RATE,
                    example = "0", minimum = "0") Double learningRate,
            @Schema(description = "Mini-batch size for adam; 0 means full batch.", defaultValue = Defaults.BATCH_SIZE,
                    example = "0", minimum = "0") Integer batchSize,
            @Schema(description = "exact solver only: return the sparsest optimal spline instead of the canonical one.",
                    defaultValue = Defaults.SPARSEST, example = "false") Boolean sparsest,
            @Schema(description = "Wall-clock budget of the run in seconds (> 0, at most the configured maximum, "
                    + "sparsefit.limits.max-time-limit). When it runs out the fit ends SUCCEEDED with the network reached so far, "
                    + "finished, and diagnostics stopReason TIME_LIMIT. Absent: the configured maximum applies. In a path "
                    + "request it is the budget of the whole path, not of each point (see the Path's stopReason).",
                    example = "600", minimum = "0", exclusiveMinimum = true, nullable = true) Double timeLimit) {

    }

    @Schema(name = "Loss", description = "The loss of the data term, sum_n w_n loss(f(x_n), y_n) (theory A2b). squared: "
            + "1/2 ||f - y||^2. huber: per output 1/2 r^2 for |r| <= delta, else delta (|r| - delta/2). logistic: log(1 + exp(f)) "
            + "- y f with one output, the logit of the second class (y = 0 for the first class, 1 for the second). cross_entropy: "
            + "-log softmax(f)_y with one output per class. The classification losses need a dataset whose target holds labels "
            + "(its classes); they also weight-decay the skip's weight matrix C, lambda/2 ||C||_F^2 (its intercept stays free).")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LossSpec(
            @Schema(description = "The loss.", allowableValues = {"squared", "huber", "logistic", "cross_entropy"},
                    defaultValue = Defaults.LOSS, example = "squared") String type,
            @Schema(description = "Huber's delta (> 0, finite); only for huber, where it defaults to 1.0.", nullable = true,
                    example = "1.0", minimum = "0", exclusiveMinimum = true) Double delta) {
    }

    @Schema(name = "Preprocessing", description = "How the table is prepared. The fit solves the problem on the prepared inputs; "
            + "the model is reported, predicted, plotted and exported in the original units.")
    public record Preprocessing(
            @Schema(description = "Solve on inputs standardized per numeric column (mean 0, population standard deviation 1; a "
                    + "constant column is only centred). The penalty then weighs every column alike; objective, lambda and the "
                    + "other penalty terms of the diagnostics are in standardized units (diagnostics.inputUnits), while the model's "
                    + "weights, neurons, knots and predictions are in the original units (the map is folded into the first layer "
                    + "and the skip). One-hot indicators of categorical columns are left as 0/1.",
                    defaultValue = Defaults.STANDARDIZE, example = "false") Boolean standardize,
            @Schema(description = "Empty cells: error (422 naming the first ones), drop_rows (rows with any empty input or target "
                    + "cell are left out), impute_mean (an empty numeric cell becomes its column's training mean, an empty "
                    + "categorical cell the all-zero indicator block; rows with an empty target are left out; the means are "
                    + "stored with the model and applied at predict).",
                    allowableValues = {"error", "drop_rows", "impute_mean"}, defaultValue = Defaults.MISSING, example = "error")
            String missing) {
    }

    /** This request with every missing field set to its default. */
    public FitRequest withDefaults() {
        Architecture a = architecture == null ? new Architecture(null, null, null) : architecture;
        RegularizationSpec r = regularization == null ? new RegularizationSpec(null, null) : regularization;
        SolverSpec s = solver == null ? new SolverSpec(null, null, null, null, null, null, null) : solver;
        Preprocessing p = preprocessing == null ? new Preprocessing(null, null) : preprocessing;
        LossSpec l = loss == null ? new LossSpec(null, null) : loss;
        String lossType = l.type() == null ? Defaults.LOSS : l.type();
        return new FitRequest(datasetId, data,
                new Architecture(
                        a.hiddenLayers(),   // absent stays absent: the default width is a start, not a cap
                        a.skip() == null ? Boolean.parseBoolean(Defaults.SKIP) : a.skip(),
                        a.linearLayers() == null ? Integer.parseInt(Defaults.LINEAR_LAYERS) : a.linearLayers()),
                new RegularizationSpec(
                        r.type() == null ? Defaults.REGULARIZATION : r.type(),
                        r.lambda() == null ? Double.parseDouble(Defaults.LAMBDA) : r.lambda()),
                new SolverSpec(
                        s.type() == null ? Defaults.SOLVER : s.type(),
                        s.maxIter() == null ? Integer.parseInt(Defaults.MAX_ITER) : s.maxIter(),
                        s.tol() == null ? Double.parseDouble(Defaults.TOL) : s.tol(),
                        s.learningRate() == null ? Double.parseDouble(Defaults.LEARNING_RATE) : s.learningRate(),
                        s.batchSize() == null ? Integer.parseInt(Defaults.BATCH_SIZE) : s.batchSize(),
                        s.sparsest() == null ? Boolean.parseBoolean(Defaults.SPARSEST) : s.sparsest(),
                        s.timeLimit()),
                validationFraction == null ? Double.parseDouble(Defaults.VALIDATION_FRACTION) : validationFraction,
                seed == null ? Long.parseLong(Defaults.SEED) : seed,
                new Preprocessing(
                        p.standardize() == null ? Boolean.parseBoolean(Defaults.STANDARDIZE) : p.standardize(),
                        p.missing() == null ? Defaults.MISSING : p.missing()),
                name, tags,
                new LossSpec(lossType, l.delta() == null && "huber".equals(lossType) ? Double.valueOf(Defaults.HUBER_DELTA) : l.delta()));
    }

    /**
     * The same request (with defaults filled in) with {@code widths} as given hidden layers: a cap the fit keeps
     * ({@link Architecture#toCore}).
     */
    public FitRequest withHiddenLayers(List<Integer> widths) {
        return new FitRequest(datasetId, data, new Architecture(widths, architecture.skip(), architecture.linearLayers()),
                regularization, solver, validationFraction, seed, preprocessing, name, tags, loss);
    }

    /** The same request referring to a stored dataset instead of inline data. */
    public FitRequest withDataset(String id) {
        return new FitRequest(id, null, architecture, regularization, solver, validationFraction, seed, preprocessing, name, tags, loss);
    }
}
