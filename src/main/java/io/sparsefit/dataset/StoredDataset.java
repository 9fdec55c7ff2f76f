package io.sparsefit.dataset;

import org.ejml.data.DMatrixRMaj;

/**
 * A dataset loaded for fitting: its description (with its {@code classes}, null unless the target holds labels), the
 * matrices (x N x d, y N x m, as {@link ParsedTable} describes their cells), the weights (null without a weight column)
 * and the schema. x is null in {@link DatasetService#targets}' answer (the inputs are then read block by block).
 */
public record StoredDataset(DatasetView view, DMatrixRMaj x, DMatrixRMaj y, double[] w, TableSchema schema) {

    /** The classes of the target column, or null when it holds no labels. */
    public TargetClasses classes() {
        return view.classes();
    }
}
