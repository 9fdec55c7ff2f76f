package io.sparsefit.dataset;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** A stored dataset as the API shows it (the data itself is not echoed). */
@Schema(name = "Dataset", description = "A stored training set.")
public record DatasetView(
        @Schema(description = "Identifier.", example = "3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41") String id,
        @Schema(description = "Name given at upload, if any.", nullable = true, example = "kink") String name,
        @Schema(description = "Number of samples N.", example = "6") int rows,
        @Schema(description = "Input columns d.", example = "1") int inputDim,
        @Schema(description = "Output columns m.", example = "1") int outputDim,
        @Schema(description = "Upload time (UTC).") Instant createdAt,
        @Schema(description = "SHA-256 (hex) of the stored binary x and y matrices: equal data, equal hash.",
                example = "9b2c...") String sha256,
        @Schema(description = "Names of the d input columns, in stored order (from the CSV header or JSON `columns`; x0, x1, ... "
                + "when none were given).", example = "[\"x\"]") List<String> columns,
        @Schema(description = "Names of the m target columns.", example = "[\"y\"]") List<String> targets,
        @Schema(description = "The weight column's name (CSV `weight`; `w` for JSON), when the rows carry sample weights.",
                nullable = true) String weight,
        @Schema(description = "Each input column: its kind (numeric, or categorical with its sorted levels), its count of missing "
                + "(empty) cells, and for a numeric column the mean and population standard deviation of its present cells.")
        List<TableSchema.InputColumn> inputs,
        @Schema(description = "Missing (empty) cells of inputs and targets together.", example = "0") int missingCells,
        @io.swagger.v3.oas.annotations.media.ArraySchema(arraySchema = @Schema(description = "When the one target column holds labels: its classes, sorted (numerically when all are integers, "
                + "else as strings). Class k is output k of a classification fit (logistic: the first class is y = 0). A text "
                + "label column is fitted only with a classification loss; a column of integers (at most 100 distinct) also "
                + "with a regression loss, as numbers. Null when the target holds no labels.", nullable = true,
                example = "[\"benign\", \"malignant\"]"), schema = @Schema(description = "A label: a string, or an integer.",
                types = {"string", "integer"}))
        TargetClasses classes) {

    /** The view of a stored dataset with its schema. */
    static DatasetView of(String id, String name, int rows, Instant createdAt, String sha256, int outputDim, TableSchema schema,
                          TargetClasses classes) {
        return new DatasetView(id, name, rows, schema.inputs().size(), outputDim, createdAt, sha256, schema.columns(), schema.targets(),
                schema.weight(), schema.inputs(), schema.missingCells(), classes);
    }
}
