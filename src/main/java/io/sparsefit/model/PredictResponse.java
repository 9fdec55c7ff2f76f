package io.sparsefit.model;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/** Predictions: one row of m numbers per input row, in the same order. */
@Schema(description = "Model outputs, one row per input row.")
public record PredictResponse(
        @ArraySchema(arraySchema = @Schema(description = "Rows of m numbers.", example = "[[0.5],[0.5]]"),
                schema = @Schema(type = "array", implementation = double[].class))
        double[][] y) {
}
