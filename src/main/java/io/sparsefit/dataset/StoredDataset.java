package io.sparsefit.dataset;

import org.ejml.data.DMatrixRMaj;

/**
 * A dataset loaded for fitting: its description, the matrices (x N x d, y N x m, as {@link ParsedTable} describes
 * their cells), the weights (null without a weight column) and the schema.
 */
public record StoredDataset(DatasetView view, DMatrixRMaj x, DMatrixRMaj y, double[] w, TableSchema schema) {
}
