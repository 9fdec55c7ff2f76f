package io.sparsefit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Predictions: one row of m numbers per input row, in the same order; for a classification model also the class
 * probabilities and the most probable class of each row.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "Model outputs, one row per input row; a classification model adds probabilities and labels.")
public record PredictResponse(
        @ArraySchema(arraySchema = @Schema(description = "Rows of m numbers: the network's outputs (for a classification model "
                + "the logits: logistic one, the second class's log-odds; cross_entropy one per class).", example = "[[0.5],[0.5]]"),
                schema = @Schema(type = "array", implementation = double[].class))
        double[][] y,
        @ArraySchema(arraySchema = @Schema(description = "Classification: each row's class probabilities, in the order of the "
                + "model's classes (rows sum to 1). Absent for regression.", nullable = true, example = "[[0.2,0.8],[0.9,0.1]]"),
                schema = @Schema(type = "array", implementation = double[].class))
        double[][] probabilities,
        @ArraySchema(arraySchema = @Schema(description = "Classification: each row's most probable class, as the model's classes "
                + "name it (string or integer; the first on a tie). Absent for regression.", nullable = true,
                example = "[\"malignant\",\"benign\"]"),
                schema = @Schema(description = "A label: a string, or an integer.", types = {"string", "integer"}))
        Object[] labels) {

    /** The outputs of a regression model. */
    public PredictResponse(double[][] y) {
        this(y, null, null);
    }

    /** The outputs {@code y} of a model with loss {@code loss}, with probabilities and labels for a classification model. */
    static PredictResponse of(double[][] y, ModelLoss loss) {
        if (!loss.classification()) {
            return new PredictResponse(y);
        }
        double[][] p = ClassProbabilities.of(y, loss.toLoss());
        return new PredictResponse(y, p, ClassProbabilities.labels(ClassProbabilities.argmax(p), loss.classes()));
    }
}
