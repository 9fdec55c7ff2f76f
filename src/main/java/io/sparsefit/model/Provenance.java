package io.sparsefit.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a model was made, stored with it (and kept when its fit is deleted): what Tribuo calls provenance. Enough to
 * make the same model again: the request with every default, the data by hash and columns, and the software that
 * ran it (the vector and the scalar set can differ in the last bits; the vector set's width, 256 or 512 bits, does
 * not: docs/deployment.md).
 */
@Schema(name = "Provenance", description = "How the model was made: the fit request with every default filled in, the "
        + "training data (dataset id, sha256, columns), the preprocessing, and the software that ran it.")
public record Provenance(
        @Schema(description = "The fit request with every default filled in (as the fit resource echoes it).")
        Map<String, Object> request,
        @Schema(description = "The training dataset (it may have been deleted since).") String datasetId,
        @Schema(description = "SHA-256 of the dataset's stored x and y.") String datasetSha256,
        @Schema(description = "The dataset's input columns.") List<String> columns,
        @Schema(description = "The dataset's target columns.") List<String> targets,
        @Schema(description = "The weight column, if the rows were weighted.", nullable = true) String weight,
        @Schema(description = "The preprocessing applied (standardize, missing).") Map<String, Object> preprocessing,
        @Schema(description = "sparsefit version.", example = "0.1.0-SNAPSHOT") String applicationVersion,
        @Schema(description = "The dense kernel set that ran the fit (core.kernel.Kernels.name()).", example = "vector") String kernels,
        @Schema(description = "Java runtime version.", example = "17.0.15") String javaVersion,
        @Schema(description = "Operating system and architecture.", example = "Linux amd64") String os,
        @Schema(description = "When the model was stored (UTC).") Instant createdAt) {
}
