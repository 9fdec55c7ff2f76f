package io.sparsefit.dataset;

import org.ejml.data.DMatrixRMaj;

/**
 * A table held whole before it is stored (a JSON upload, a fit's inline data; a CSV upload is streamed instead, see
 * {@link CsvDatasetParser}): x already in its stored form ({@link MatrixCodec}: N x inputs,
 * numbers, NaN for empty cells, level indices for categorical columns), y (N x targets, NaN for empty cells; class
 * indices for a text label column), the weights (null without a weight column), the schema that says which is which,
 * and the classes of a text label column (null otherwise; integer classes are found when the table is stored).
 */
public record ParsedTable(byte[] storedX, DMatrixRMaj y, double[] w, TableSchema schema, TargetClasses textClasses) {

    /** A table of validated numeric rows. */
    static ParsedTable of(DMatrixRMaj x, DMatrixRMaj y, double[] w, TableSchema schema) {
        return new ParsedTable(MatrixCodec.encode(x), y, w, schema, null);
    }

    /** The classes of the target column: its text labels, or its integers when it is one column of few distinct ones. */
    TargetClasses classes() {
        return textClasses != null ? textClasses : TargetClasses.ofIntegers(y);
    }
}
