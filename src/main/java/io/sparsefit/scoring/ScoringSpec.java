package io.sparsefit.scoring;

import java.util.List;

/**
 * What a scoring job stores as its request (the queue's request JSON): the request, and what was found at submit, so
 * that the resource and its download still say them when the model or the dataset is deleted later.
 *
 * @param rows    the dataset's rows (the progress denominator)
 * @param outputs the model's target names
 * @param columns the CSV header of the predictions, as predict's (for a classification model the logits, the
 *                probabilities and the label); null in scorings stored before it was kept: then {@code outputs}
 * @param logits  the network's outputs per row (0 when stored before it was kept: then {@code outputs.size()})
 * @param classes a classification model's class labels (a stored row then ends with the probabilities and the index of
 *                the most probable class); null for regression
 */
record ScoringSpec(String modelId, String datasetId, int rows, List<String> outputs, List<String> columns, int logits,
                   List<Object> classes) {

    /** The CSV header. */
    List<String> header() {
        return columns != null ? columns : outputs;
    }

    /** The outputs per row before any probability. */
    int width() {
        return logits > 0 ? logits : outputs.size();
    }
}
