package io.sparsefit.dataset;

import org.ejml.data.DMatrixRMaj;

/**
 * A table read from an upload, before it is stored: x already in its stored form ({@link MatrixCodec}: N x inputs,
 * numbers, NaN for empty cells, level indices for categorical columns), y (N x targets, NaN for empty cells), the
 * weights (null without a weight column) and the schema that says which is which.
 */
public record ParsedTable(byte[] storedX, DMatrixRMaj y, double[] w, TableSchema schema) {

    /** A table of validated numeric rows. */
    static ParsedTable of(DMatrixRMaj x, DMatrixRMaj y, double[] w, TableSchema schema) {
        return new ParsedTable(MatrixCodec.encode(x), y, w, schema);
    }
}
