package io.sparsefit.scoring;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of a scoring's predictions, by row offset; a classification model's as predict answers them. */
@Schema(name = "PredictionPage", description = "Rows offset .. offset + items.length - 1 of the predictions, in dataset row order.")
public record PredictionPage(
        @Schema(description = "The predictions' column names, as predict's CSV header: the model's targets; for a classification "
                + "model the logits, probability_<class> per class, then the target (the most probable class).") List<String> columns,
        @Schema(description = "Row index of the first item.") int offset,
        @ArraySchema(arraySchema = @Schema(description = "One row of outputs per dataset row (predict's `y`; for a classification "
                + "model the logits)."),
                schema = @Schema(type = "array", implementation = double[].class)) double[][] items,
        @Schema(description = "Pass as `offset` to get the next page; null on the last page.", nullable = true) Integer nextOffset,
        @Schema(description = "Classification: each row's class probabilities, in the order of the model's classes, as predict's "
                + "`probabilities`. Null for regression.", nullable = true, example = "[[0.2,0.8],[0.9,0.1]]") double[][] probabilities,
        @Schema(description = "Classification: each row's most probable class (a string or an integer, as the model's classes; "
                + "the first on a tie), as predict's `labels`. Null for regression.", nullable = true,
                example = "[\"malignant\",\"benign\"]") Object[] labels) {
}
