package io.sparsefit.fit;

import io.sparsefit.dataset.TargetClasses;
import io.sparsefit.model.ModelLoss;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The request's {@code loss} against the data (theory A2b): which loss a fit minimizes, over which classes. A
 * classification loss needs a target of labels ({@link TargetClasses}) with at least two classes and no empty cell,
 * {@code logistic} exactly two; a regression loss takes numbers, so not a text label column. Every refusal is a 422
 * on {@code loss.type}, before anything is stored or queued.
 */
final class FitLoss {

    static final Set<String> TYPES = Set.of(ModelLoss.SQUARED, ModelLoss.HUBER, ModelLoss.LOGISTIC, ModelLoss.CROSS_ENTROPY);

    private FitLoss() {
    }

    /** Checks that need no data (the request with defaults): the type, and delta only for huber, finite and > 0. */
    static void checkRequest(FitRequest.LossSpec loss, List<FieldProblem> errors) {
        if (!TYPES.contains(loss.type())) {
            errors.add(new FieldProblem("loss.type", "must be one of squared, huber, logistic, cross_entropy"));
            return;
        }
        if (loss.delta() != null && !ModelLoss.HUBER.equals(loss.type())) {
            errors.add(new FieldProblem("loss.delta", "is Huber's parameter; leave it out for the " + loss.type() + " loss"));
        } else if (loss.delta() != null && !(loss.delta() > 0 && Double.isFinite(loss.delta()))) {
            errors.add(new FieldProblem("loss.delta", "must be a finite number > 0"));
        }
    }

    /**
     * The loss of a fit on targets with {@code classes} (null: not labels), {@code targetColumns} columns and
     * {@code emptyTargets} empty target cells; 422 naming what does not fit.
     */
    static ModelLoss resolve(FitRequest.LossSpec loss, TargetClasses classes, int targetColumns, int emptyTargets) {
        String type = loss.type();
        if (!ModelLoss.classification(type)) {
            if (classes != null && classes.text()) {
                throw invalid(type + " fits numbers, but the target holds text labels " + shown(classes)
                        + "; use logistic (two classes) or cross_entropy");
            }
            return new ModelLoss(type, loss.delta(), null);
        }
        if (classes == null) {
            throw invalid(type + " needs a target of labels: one column of text, or of integers with at most "
                    + TargetClasses.MAX_CLASSES + " distinct values; this target " + (targetColumns != 1 ? "has " + targetColumns
                    + " columns" : "holds other numbers"));
        }
        if (classes.count() < 2) {
            throw invalid(type + " needs at least two classes; the target has one only, " + shown(classes));
        }
        if (ModelLoss.LOGISTIC.equals(type) && classes.count() > 2) {
            throw invalid("logistic fits two classes; the target has " + classes.count() + ", " + shown(classes)
                    + "; use cross_entropy");
        }
        if (emptyTargets > 0) {
            throw invalid(type + " needs the class of every row; the label column has " + emptyTargets + " empty cells");
        }
        return new ModelLoss(type, null, classes);
    }

    private static String shown(TargetClasses classes) {
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < Math.min(5, classes.count()); k++) {
            labels.add("'" + classes.label(k) + "'");
        }
        return String.join(", ", labels) + (classes.count() > 5 ? ", ..." : "");
    }

    private static ApiException invalid(String message) {
        return ApiException.invalid("loss.type", message);
    }
}
