package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.Vectors;
import org.ejml.data.DMatrixRMaj;

/**
 * The dual-norm function of theory T8 at one atom, evaluated directly:
 * {@code ||sum_n r_n relu(u . x_n - c)||_2}. The proven bounds ({@link OffsetCellBound},
 * {@link ArrangementPricing3D}) report only values computed here, so every lower bound they return is a
 * value of the function itself, whatever the search did to find the atom.
 */
final class AtomValue {

    private AtomValue() {
    }

    /**
     * The value at {@code (u, c)}; O(N (d + m)), allocation-free.
     *
     * @param x    inputs, N x d, not modified
     * @param r    residual, N x m, not modified
     * @param u    direction, length d (need not be unit: the caller decides), not modified
     * @param c    offset
     * @param work length at least m, modified
     */
    static double of(DMatrixRMaj x, DMatrixRMaj r, double[] u, double c, double[] work) {
        int n = x.numRows;
        int d = x.numCols;
        int m = r.numCols;
        double[] xs = x.data;
        double[] rs = r.data;
        for (int i = 0; i < m; i++) {
            work[i] = 0.0;
        }
        for (int q = 0; q < n; q++) {
            double p = -c;
            int row = q * d;
            for (int j = 0; j < d; j++) {
                p += u[j] * xs[row + j];
            }
            if (p > 0) {
                for (int i = 0; i < m; i++) {
                    work[i] += rs[q * m + i] * p;
                }
            }
        }
        return Vectors.norm(work, 0, m);
    }
}
