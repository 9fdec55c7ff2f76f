package io.sparsefit.dataset;

import org.ejml.data.DMatrixRMaj;

/** A dataset loaded for fitting: its description and the matrices (x N x d, y N x m). */
public record StoredDataset(DatasetView view, DMatrixRMaj x, DMatrixRMaj y) {
}
