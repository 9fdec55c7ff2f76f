package io.sparsefit.core;

import org.ejml.data.DMatrixRMaj;

/**
 * Training data for one fit: inputs {@code x} (N x d) and targets {@code y} (N x m), row n is sample n.
 * Immutable by convention: solvers never modify the matrices they are given.
 */
public final class FitProblem {

    private final DMatrixRMaj x;
    private final DMatrixRMaj y;

    /**
     * @param x inputs, N x d, not modified
     * @param y targets, N x m, not modified
     * @throws IllegalArgumentException on empty data, mismatched rows or non-finite values
     */
    public FitProblem(DMatrixRMaj x, DMatrixRMaj y) {
        if (x.numRows == 0 || x.numCols == 0) {
            throw new IllegalArgumentException("x must have at least one row and one column, got " + x.numRows + " x " + x.numCols);
        }
        if (y.numCols == 0) {
            throw new IllegalArgumentException("y must have at least one column");
        }
        if (x.numRows != y.numRows) {
            throw new IllegalArgumentException("x has " + x.numRows + " rows but y has " + y.numRows);
        }
        requireFinite(x, "x");
        requireFinite(y, "y");
        this.x = x;
        this.y = y;
    }

    /** Convenience constructor from row arrays: {@code x[n][j]}, {@code y[n][i]}. */
    public static FitProblem of(double[][] x, double[][] y) {
        return new FitProblem(new DMatrixRMaj(x), new DMatrixRMaj(y));
    }

    /** One input, one output: {@code x[n]}, {@code y[n]}. */
    public static FitProblem of1D(double[] x, double[] y) {
        return new FitProblem(new DMatrixRMaj(x.length, 1, true, x), new DMatrixRMaj(y.length, 1, true, y));
    }

    private static void requireFinite(DMatrixRMaj m, String name) {
        double[] data = m.data;
        int size = m.getNumElements();
        for (int i = 0; i < size; i++) {
            if (!Double.isFinite(data[i])) {
                throw new IllegalArgumentException(name + " has a non-finite value at row " + (i / m.numCols) + ", column " + (i % m.numCols));
            }
        }
    }

    public DMatrixRMaj x() {
        return x;
    }

    public DMatrixRMaj y() {
        return y;
    }

    public int rows() {
        return x.numRows;
    }

    public int inputDim() {
        return x.numCols;
    }

    public int outputDim() {
        return y.numCols;
    }
}
