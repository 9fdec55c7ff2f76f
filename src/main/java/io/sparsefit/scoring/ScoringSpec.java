package io.sparsefit.scoring;

import java.util.List;

/**
 * What a scoring job stores as its request (the queue's request JSON): the request, and what was found at submit, so
 * that the resource and its download still say them when the model or the dataset is deleted later.
 *
 * @param rows    the dataset's rows (the progress denominator)
 * @param outputs the model's target names: the header of the predictions
 */
record ScoringSpec(String modelId, String datasetId, int rows, List<String> outputs) {
}
