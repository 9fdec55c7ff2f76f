package io.sparsefit.dataset;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/** JSON upload of a dataset. {@code y} may be a flat array (one output), an array of rows, or a flat array of labels. */
@Schema(name = "DatasetUpload", description = "Training data: N rows of d inputs and N rows of m outputs.")
public record DatasetUpload(
        @Schema(description = "Optional name.", nullable = true, example = "kink", maxLength = 200)
        @Size(max = 200) String name,
        @ArraySchema(arraySchema = @Schema(description = "Inputs, N rows of d finite numbers.", example = "[[0],[1],[2],[3],[4],[5]]"),
                schema = @Schema(type = "array", implementation = double[].class))
        double[][] x,
        @Schema(description = "Targets: N rows of m finite numbers, a flat array of N numbers for one output, or a flat array of "
                + "N labels (strings) for one label target (stored as sorted classes; integers are labels too, see the dataset's "
                + "classes).", example = "[0,1,0,1,0,1]", types = {"array"})
        tools.jackson.databind.JsonNode y,
        @ArraySchema(arraySchema = @Schema(description = "Optional names of the d input columns (default x0, x1, ... or x for one "
                + "column): kept with the dataset and its models, used by CSV downloads and to match a CSV predict body by name.",
                example = "[\"x\"]", nullable = true))
        java.util.List<String> columns,
        @ArraySchema(arraySchema = @Schema(description = "Optional sample weights, one finite number > 0 per row.", nullable = true,
                example = "[1,1,2,1,1,1]"))
        double[] w) {
}
