package io.sparsefit.path;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sparsefit.core.path.PathSpec;
import io.sparsefit.fit.FitRequest;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A path request as sent and, after {@link #withDefaults()}, as echoed in the path resource. The data,
 * architecture and solver are those of a fit ({@link FitRequest}); lambda is replaced by the lambdas or grid.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "PathRequest", description = "A regularization path: fits at a sequence of lambdas (descending, each warm-started "
        + "from the previous one), validated, with the best and one-standard-error choices. Give either `lambdas` or `grid`.")
public record PathRequest(
        @Schema(description = "A stored dataset; give either this or `data`.", nullable = true,
                example = "3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41") String datasetId,
        @Schema(description = "Inline training data; give either this or `datasetId`.", nullable = true) FitRequest.InlineData data,
        @Schema(description = "Network shape, as for a fit.") FitRequest.Architecture architecture,
        @Schema(description = "The penalty; its strength is the path's variable.") PathRegularization regularization,
        @Schema(description = "Algorithm and stopping rule of every point, as for a fit; its timeLimit is the wall-clock budget "
                + "of the whole path (at most the configured maximum, which also applies when it is absent).")
        FitRequest.SolverSpec solver,
        @Schema(description = "Seed of every random choice (solver starts, fold assignment).", defaultValue = "0", example = "0")
        Long seed,
        @ArraySchema(arraySchema = @Schema(description = "Explicit lambdas (each finite and > 0), solved in descending order; "
                + "instead of `grid`.", nullable = true, example = "[1.0, 0.1, 0.01]"), maxItems = 200,
                schema = @Schema(type = "number", format = "double")) List<Double> lambdas,
        @Schema(description = "A log-spaced grid from lambda_max down to minRatio * lambda_max; the default when `lambdas` is "
                + "absent.", nullable = true) Grid grid,
        @Schema(description = "How each lambda is validated: K folds (the default, 5) or one hold-out fraction.") Validation validation,
        @Schema(description = "Which point `chosen` names: oneSe (the default: the largest lambda within one standard error of "
                + "the least validation error, the sparsest model statistically as good) or best (the least validation error).",
                allowableValues = {"oneSe", "best"}, defaultValue = "oneSe", example = "oneSe") String choice,
        @Schema(description = "How the table is prepared, as for a fit (standardization, empty cells; text columns are one-hot "
                + "encoded and sample weights used whatever it says): done once on all the rows, then the folds are taken from "
                + "the prepared rows. Every point's model is reported in the original units, like a fit's.")
        FitRequest.Preprocessing preprocessing,
        @Schema(description = "The loss of every point, as for a fit (default squared). With a classification loss (logistic, "
                + "cross_entropy) each point is validated by its mean log loss, so best and oneSe choose lambda by it.")
        FitRequest.LossSpec loss) {

    public static final int DEFAULT_FOLDS = 5;

    @Schema(name = "PathRegularization", description = "The penalty of every point of the path.")
    public record PathRegularization(
            @Schema(description = "weight_decay: 1/2 sum (||v||^2 + ||w||^2); path_norm: sum ||v|| ||w||.",
                    allowableValues = {"weight_decay", "path_norm"}, defaultValue = "weight_decay", example = "weight_decay")
            String type) {
    }

    @Schema(name = "PathGrid", description = "count lambdas log-spaced from lambda_max (theory T6; the convex solver's pricing "
            + "of the affine fit's residual for d >= 2) down to minRatio * lambda_max.")
    public record Grid(
            @Schema(description = "Number of lambdas, 1 to 200.", defaultValue = "20", example = "20", minimum = "1", maximum = "200")
            Integer count,
            @Schema(description = "Smallest lambda over lambda_max, in (0, 1).", defaultValue = "0.001", example = "0.001")
            Double minRatio) {
    }

    @Schema(name = "PathValidation", description = "Give folds (K-fold, K >= 2) or fraction (one hold-out part), not both. The "
            + "assignment of rows is seeded and deterministic.")
    public record Validation(
            @Schema(description = "Number of folds, 2 to 20 and at most the number of rows.", nullable = true, example = "5")
            Integer folds,
            @Schema(description = "Hold-out fraction in (0, 1): the rows a fit with this validationFraction and seed holds out.",
                    nullable = true, example = "0.2") Double fraction) {
    }

    /** This request with every missing field set to its default. */
    public PathRequest withDefaults() {
        FitRequest fit = asFit(1.0);
        // With lambdas a grid stays as sent (normally absent), so that giving both is reported.
        Grid g = lambdas != null ? grid : grid == null ? new Grid(null, null) : grid;
        if (g != null) {
            g = new Grid(g.count() == null ? PathSpec.DEFAULT_GRID_COUNT : g.count(),
                    g.minRatio() == null ? PathSpec.DEFAULT_MIN_RATIO : g.minRatio());
        }
        Validation v = validation == null || (validation.folds() == null && validation.fraction() == null)
                ? new Validation(DEFAULT_FOLDS, null) : validation;
        return new PathRequest(datasetId, data, fit.architecture(), new PathRegularization(fit.regularization().type()),
                fit.solver(), fit.seed(), lambdas, g, v, choice == null ? "oneSe" : choice, fit.preprocessing(), fit.loss());
    }

    /**
     * The fit request of one point (with defaults), at {@code lambda}: no validation rows (the path validates on folds), the
     * path's preprocessing.
     */
    FitRequest asFit(double lambda) {
        String type = regularization == null ? null : regularization.type();
        return new FitRequest(datasetId, data, architecture, new FitRequest.RegularizationSpec(type, lambda), solver, 0.0, seed,
                preprocessing, null, null, loss).withDefaults();
    }

    /** The same request referring to a stored dataset instead of inline data. */
    PathRequest withDataset(String id) {
        return new PathRequest(id, null, architecture, regularization, solver, seed, lambdas, grid, validation, choice, preprocessing,
                loss);
    }

    /** The number of points the path will have. */
    int pointCount() {
        return lambdas != null ? lambdas.size() : grid.count();
    }
}
