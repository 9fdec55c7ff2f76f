package io.sparsefit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.dataset.TargetClasses;

/**
 * The loss a model was fitted with (theory A2b) and, for a classification loss, its classes: class k is output k
 * ({@code logistic}: one output, the logit of the second class). Stored as {@code model.loss_json}; null there for
 * models stored before losses: squared.
 *
 * @param type    {@code squared}, {@code huber}, {@code logistic} or {@code cross_entropy}
 * @param delta   Huber's parameter; null for the other losses
 * @param classes the classes of a classification model, sorted as the dataset's; null for regression
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelLoss(String type, Double delta, TargetClasses classes) {

    public static final String SQUARED = "squared";
    public static final String HUBER = "huber";
    public static final String LOGISTIC = "logistic";
    public static final String CROSS_ENTROPY = "cross_entropy";

    /** The squared loss of every model stored before losses were kept. */
    public static final ModelLoss DEFAULT = new ModelLoss(SQUARED, null, null);

    /** Whether {@code type} names a classification loss. */
    public static boolean classification(String type) {
        return LOGISTIC.equals(type) || CROSS_ENTROPY.equals(type);
    }

    public boolean classification() {
        return classification(type);
    }

    /** The core's loss; for a classification loss, over {@link #classes}. */
    public Loss toLoss() {
        return Loss.of(type, delta == null ? Double.NaN : delta, classes == null ? 0 : classes.count());
    }
}
