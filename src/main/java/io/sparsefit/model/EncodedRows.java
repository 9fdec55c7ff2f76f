package io.sparsefit.model;

import io.sparsefit.dataset.InputEncoding;
import io.sparsefit.dataset.StoredDataset;
import org.ejml.data.DMatrixRMaj;

/** A stored dataset's rows as a model reads them, for plots and evaluation. */
final class EncodedRows {

    private EncodedRows() {
    }

    /**
     * {x, y}: the rows of {@code data} encoded by {@code encoding} (columns matched by name, levels by text; original
     * units), those with an empty target, or an empty input cell the model does not impute, left out. 422 (from
     * {@link InputEncoding#align}) when a column is missing or a level unseen.
     */
    static DMatrixRMaj[] of(InputEncoding encoding, StoredDataset data) {
        DMatrixRMaj raw = encoding.align(data.schema(), data.x());
        DMatrixRMaj ys = data.y();
        int n = raw.numRows;
        boolean[] keep = new boolean[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            keep[i] = true;
            for (int o = 0; o < ys.numCols; o++) {
                keep[i] &= !Double.isNaN(ys.data[i * ys.numCols + o]);
            }
            for (int j = 0; j < raw.numCols && !encoding.imputes(); j++) {
                keep[i] &= !Double.isNaN(raw.data[i * raw.numCols + j]);
            }
            kept += keep[i] ? 1 : 0;
        }
        DMatrixRMaj x = new DMatrixRMaj(kept, raw.numCols);
        DMatrixRMaj y = new DMatrixRMaj(kept, ys.numCols);
        for (int i = 0, r = 0; i < n; i++) {
            if (keep[i]) {
                System.arraycopy(raw.data, i * raw.numCols, x.data, r * raw.numCols, raw.numCols);
                System.arraycopy(ys.data, i * ys.numCols, y.data, r * ys.numCols, ys.numCols);
                r++;
            }
        }
        return new DMatrixRMaj[] {encoding.encode(x), y};
    }
}
