package io.sparsefit.scoring;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of a scoring's predictions, by row offset. */
@Schema(name = "PredictionPage", description = "Rows offset .. offset + items.length - 1 of the predictions, in dataset row order.")
public record PredictionPage(
        @Schema(description = "The predictions' column names (the model's targets).") List<String> columns,
        @Schema(description = "Row index of the first item.") int offset,
        @ArraySchema(arraySchema = @Schema(description = "One row of predictions per dataset row."),
                schema = @Schema(type = "array", implementation = double[].class)) double[][] items,
        @Schema(description = "Pass as `offset` to get the next page; null on the last page.", nullable = true) Integer nextOffset) {
}
