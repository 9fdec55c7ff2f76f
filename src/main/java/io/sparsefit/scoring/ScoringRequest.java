package io.sparsefit.scoring;

import io.swagger.v3.oas.annotations.media.Schema;

/** What to score: a stored model on every row of a stored dataset. */
@Schema(name = "ScoringRequest", description = "A stored model to apply to every row of a stored dataset.")
public record ScoringRequest(
        @Schema(description = "The model (GET /v1/models/{id}).", requiredMode = Schema.RequiredMode.REQUIRED) String modelId,
        @Schema(description = "The dataset (GET /v1/datasets/{id}); its input columns are matched to the model's as evaluate "
                + "matches them.", requiredMode = Schema.RequiredMode.REQUIRED) String datasetId) {
}
