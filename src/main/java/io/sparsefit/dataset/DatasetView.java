package io.sparsefit.dataset;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

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
                example = "9b2c...") String sha256) {
}
