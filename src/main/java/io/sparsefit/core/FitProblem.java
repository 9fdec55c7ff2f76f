package io.sparsefit.core;

import io.sparsefit.core.loss.Loss;
import org.ejml.data.DMatrixRMaj;

/**
 * Training data for one fit: inputs {@code x} (N x d), targets {@code y} (N x t), row n is sample n, the loss they
 * are fitted with (theory A2b; default {@link Loss#squared()}) and optional sample weights {@code w_n > 0} (default
 * all ones): the fit term is {@code sum_n w_n loss(f(x_n); y_n)}. The network has {@link #outputDim()} outputs, which
 * is t except for {@code cross_entropy} (one target column holding the class, one output per class).
 * Immutable by convention: solvers never modify the matrices they are given; {@link #withLoss} and
 * {@link #withSampleWeights} return new problems over the same matrices.
 */
public final class FitProblem {

    private final DMatrixRMaj x;
    private final DMatrixRMaj y;
    private final Loss loss;
    private final double[] weights;

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
        this.loss = Loss.squared();
        this.weights = null;
    }

    private FitProblem(FitProblem base, Loss loss, double[] weights) {
        this.x = base.x;
        this.y = base.y;
        this.loss = loss;
        this.weights = weights;
    }

    /**
     * This problem fitted with {@code loss} (same data and weights).
     *
     * @throws IllegalArgumentException when the targets do not suit the loss (e.g. a class out of range, or more than
     *                                  one target column for a classification loss)
     */
    public FitProblem withLoss(Loss loss) {
        if (loss == null) {
            throw new IllegalArgumentException("loss must not be null");
        }
        loss.outputs(y.numCols);
        loss.checkTargets(y.data, y.numRows, y.numCols);
        return new FitProblem(this, loss, weights);
    }

    /**
     * This problem with sample weights {@code w} (one per row, finite and > 0; copied), or unweighted for null.
     *
     * @throws IllegalArgumentException on a wrong length or a weight that is not finite and positive
     */
    public FitProblem withSampleWeights(double[] w) {
        if (w == null) {
            return new FitProblem(this, loss, null);
        }
        if (w.length != x.numRows) {
            throw new IllegalArgumentException("sample weights have length " + w.length + " but the data has " + x.numRows + " rows");
        }
        for (int i = 0; i < w.length; i++) {
            if (!(w[i] > 0) || !Double.isFinite(w[i])) {
                throw new IllegalArgumentException("sample weight " + i + " must be finite and > 0, got " + w[i]);
            }
        }
        return new FitProblem(this, loss, w.clone());
    }

    /** The loss (theory A2b), {@link Loss#squared()} unless set. */
    public Loss loss() {
        return loss;
    }

    /**
     * Whether the data fit is plain least squares, {@code 1/2 sum_n ||f(x_n) - y_n||^2} (A2): the squared loss without
     * sample weights, where the least-squares shortcuts (closed-form affine fit, the polish, T8) apply as written.
     */
    public boolean plainLeastSquares() {
        return loss.leastSquares() && weights == null;
    }

    /** The sample weights, one per row (not to be modified), or null when every weight is 1. */
    public double[] sampleWeights() {
        return weights;
    }

    /** The weight of row {@code n}: 1 when unweighted. */
    public double weight(int n) {
        return weights == null ? 1.0 : weights[n];
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

    /** The network's outputs m: the target columns, or the classes for {@code cross_entropy}. */
    public int outputDim() {
        return loss.outputs(y.numCols);
    }

    /** The target columns t ({@code y.numCols}): m, or 1 for a classification loss. */
    public int targetDim() {
        return y.numCols;
    }
}
