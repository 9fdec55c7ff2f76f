package io.sparsefit.core.linalg;

import org.ejml.data.DMatrixRMaj;

/** Euclidean norms of the rows and columns of a row-major matrix (not modified). */
public final class MatrixNorms {

    private MatrixNorms() {
    }

    public static double rowNorm(DMatrixRMaj a, int row) {
        return Vectors.norm(a.data, row * a.numCols, a.numCols);
    }

    public static double columnNorm(DMatrixRMaj a, int col) {
        double s = 0;
        for (int i = 0; i < a.numRows; i++) {
            double v = a.data[i * a.numCols + col];
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** {@code sum_ij a_ij b_ij} over two matrices of the same size (flat, any shape). */
    public static double inner(DMatrixRMaj a, DMatrixRMaj b) {
        int size = a.getNumElements();
        if (b.getNumElements() != size) {
            throw new IllegalArgumentException("sizes differ: " + size + " and " + b.getNumElements());
        }
        double s = 0;
        for (int i = 0; i < size; i++) {
            s += a.data[i] * b.data[i];
        }
        return s;
    }
}
