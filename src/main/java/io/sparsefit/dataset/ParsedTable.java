package io.sparsefit.dataset;

import org.ejml.data.DMatrixRMaj;

/**
 * A table read from an upload, before it is stored: x (N x inputs: numbers, NaN for empty cells, level indices for
 * categorical columns), y (N x targets, NaN for empty cells), the weights (null without a weight column) and the
 * schema that says which is which.
 */
public record ParsedTable(DMatrixRMaj x, DMatrixRMaj y, double[] w, TableSchema schema) {
}
