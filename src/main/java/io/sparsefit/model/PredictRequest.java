package io.sparsefit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** Inputs to evaluate: rows of the model's features ({@code x}), or rows of its columns by name ({@code rows}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Inputs to evaluate the model at: give either `x` or `rows`.")
public record PredictRequest(
        @ArraySchema(arraySchema = @Schema(description = "Rows of the model's `features` (inputDim finite numbers each, in order: "
                + "numeric columns and the one-hot indicators of categorical ones).", nullable = true, example = "[[0.5],[2.5]]"),
                schema = @Schema(type = "array", implementation = double[].class))
        double[][] x,
        @ArraySchema(arraySchema = @Schema(description = "Rows as objects keyed by the model's `columns`, read as a CSV predict "
                + "reads its rows: numbers for numeric columns, the level's text for categorical ones (a level the model never saw "
                + "is a 422 naming column and value), null or an absent key for an empty cell (imputed when the model imputes, "
                + "else a 422); other keys are ignored. A column absent from every row is a 422 naming it.", nullable = true,
                example = "[{\"size\": 50, \"city\": \"Oslo\", \"age\": 3}]"),
                schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE))
        List<Map<String, Object>> rows) {

    /** Rows of features. */
    public PredictRequest(double[][] x) {
        this(x, null);
    }
}
