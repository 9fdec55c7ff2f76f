package io.sparsefit.dataset;

import io.swagger.v3.oas.annotations.Parameter;

/**
 * The query parameters of a CSV upload, the same for both operations that take one ({@code POST /v1/datasets} with
 * {@code text/csv} and {@code POST /v1/datasets/csv}): which columns are outputs and weights, and the dataset's name.
 */
record CsvUploadQuery(
        @Parameter(description = "Comma-separated names of the output columns; default: the last column.", example = "y") String target,
        @Parameter(description = "Optional name of the sample-weight column (numbers > 0).", example = "w") String weight,
        @Parameter(description = "Optional dataset name.", example = "kink") String name) {
}
