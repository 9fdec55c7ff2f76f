package io.sparsefit.model;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/** Inputs to evaluate: rows of d numbers. */
@Schema(description = "Inputs to evaluate the model at.")
public record PredictRequest(
        @ArraySchema(arraySchema = @Schema(description = "Rows of d finite numbers.", example = "[[0.5],[2.5]]"),
                schema = @Schema(type = "array", implementation = double[].class))
        double[][] x) {
}
