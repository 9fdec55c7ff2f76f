package io.sparsefit.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** One invalid field of a request: a dotted path such as {@code regularization.lambda} and what is wrong. */
@Schema(description = "One invalid field of a request.")
public record FieldProblem(
        @Schema(description = "Dotted path of the field, with indexes for arrays.", example = "regularization.lambda") String field,
        @Schema(description = "What is wrong with it.", example = "must be >= 0") String message) {
}
