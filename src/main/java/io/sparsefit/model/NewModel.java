package io.sparsefit.model;

import io.sparsefit.core.FitOutcome;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A finished fit to store as a model: the outcome (network in the original units), how it reads tables, its labels,
 * what its provenance records, and the rows its metrics are computed on (encoded, original units; the validation
 * pair null without held-out rows).
 *
 * @param loss        the loss the fit minimized and its classes (the targets trainY, validY then hold class indices): the
 *                    held-out error is measured with it
 * @param requestJson the fit request with every default filled in, as JSON
 */
public record NewModel(String fitId, String apiKeyId, FitOutcome outcome, ModelLoss loss, ModelTable table, String name, List<String> tags,
                       String requestJson, String datasetId, String datasetSha256, String weight,
                       DMatrixRMaj trainX, DMatrixRMaj trainY, DMatrixRMaj validX, DMatrixRMaj validY) {
}
