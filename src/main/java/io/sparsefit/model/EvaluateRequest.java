package io.sparsefit.model;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/** What to evaluate a model on: a stored dataset, or rows with their targets. */
@Schema(name = "EvaluateRequest", description = "Give either `datasetId` or both `x` and `y`.")
public record EvaluateRequest(
        @Schema(description = "A stored dataset with the model's columns (matched by name) and targets.", nullable = true)
        String datasetId,
        @ArraySchema(arraySchema = @Schema(description = "Rows of the model's features (as for JSON predict).", nullable = true,
                example = "[[0.5],[2.5]]"), schema = @Schema(type = "array", implementation = double[].class))
        double[][] x,
        @ArraySchema(arraySchema = @Schema(description = "Targets: N rows of m numbers, or a flat array for one output.",
                nullable = true, example = "[0.4,2.6]"), schema = @Schema(type = "array", implementation = double[].class))
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        double[][] y) {
}
