package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.Vectors;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The orthogonal projection {@code P = I - Q Q^T} off the unpenalized affine functions of the data
 * (columns {@code [1, X]} with the skip connection, {@code [1]} without; theory A1, T8), sized once per
 * problem. {@code Q} is an orthonormal basis of that span by Gram-Schmidt applied twice per column;
 * columns (numerically) in the span of the previous ones are dropped, so {@code N <= d} is allowed.
 */
public final class AffineProjection {

    private final DMatrixRMaj basis;
    private final DMatrixRMaj coefficients;

    private AffineProjection(DMatrixRMaj basis) {
        this.basis = basis;
        this.coefficients = new DMatrixRMaj(basis.numCols, 1);
    }

    /** The projection off {@code [1, X]} ({@code skip}) or off the constants only. {@code x} is not modified. */
    public static AffineProjection of(DMatrixRMaj x, boolean skip) {
        return new AffineProjection(orthonormalBasis(affineColumns(x, skip)));
    }

    /** N x (1 + d) with skip ({@code [1, X]}), N x 1 without. */
    private static DMatrixRMaj affineColumns(DMatrixRMaj x, boolean skip) {
        int n = x.numRows;
        int d = x.numCols;
        int cols = skip ? 1 + d : 1;
        DMatrixRMaj a = new DMatrixRMaj(n, cols);
        for (int r = 0; r < n; r++) {
            a.data[r * cols] = 1.0;
            for (int t = 1; t < cols; t++) {
                a.data[r * cols + t] = x.data[r * d + t - 1];
            }
        }
        return a;
    }

    /** {@code a <- (I - Q Q^T) a}, applied twice for accuracy; {@code a} (N x any) is modified. */
    public void projectInPlace(DMatrixRMaj a) {
        if (basis.numCols == 0) {
            return;
        }
        coefficients.reshape(basis.numCols, a.numCols);
        for (int pass = 0; pass < 2; pass++) {
            CommonOps_DDRM.multTransA(basis, a, coefficients);
            CommonOps_DDRM.multAdd(-1.0, basis, coefficients, a);
        }
    }

    /** A projected copy of {@code a}; {@code a} is not modified. */
    public DMatrixRMaj project(DMatrixRMaj a) {
        DMatrixRMaj out = a.copy();
        projectInPlace(out);
        return out;
    }

    /**
     * An orthonormal basis (N x q) of the column span of {@code a}, by Gram-Schmidt applied twice per column;
     * columns whose remainder is below {@code 1e-10} of their norm are dropped.
     */
    private static DMatrixRMaj orthonormalBasis(DMatrixRMaj a) {
        int n = a.numRows;
        int cols = a.numCols;
        double[][] q = new double[cols][];
        int rank = 0;
        double[] col = new double[n];
        for (int j = 0; j < cols; j++) {
            for (int r = 0; r < n; r++) {
                col[r] = a.data[r * cols + j];
            }
            double original = Vectors.norm(col);
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < rank; p++) {
                    Vectors.addScaled(col, -Vectors.dot(q[p], col), q[p], col);
                }
            }
            double norm = Vectors.norm(col);
            if (norm > 1e-10 * original && norm > 0) {
                q[rank] = new double[n];
                for (int r = 0; r < n; r++) {
                    q[rank][r] = col[r] / norm;
                }
                rank++;
            }
        }
        DMatrixRMaj basis = new DMatrixRMaj(n, rank);
        for (int p = 0; p < rank; p++) {
            for (int r = 0; r < n; r++) {
                basis.data[r * rank + p] = q[p][r];
            }
        }
        return basis;
    }

    /**
     * The least-squares affine part of {@code rest} (N x m) on {@code [1, x]} ({@code skip}) or on the constants alone,
     * by the pseudo-inverse so that {@code N <= d} is allowed, laid out as a network's affine part: {@code c0} (m),
     * then with {@code skip} {@code C} (m x d row-major). Neither argument is modified.
     */
    public static double[] leastSquares(DMatrixRMaj x, DMatrixRMaj rest, boolean skip) {
        DMatrixRMaj columns = affineColumns(x, skip);
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.pseudoInverse(true);
        DMatrixRMaj beta = new DMatrixRMaj(columns.numCols, rest.numCols);
        if (solver.setA(columns)) {
            solver.solve(rest.copy(), beta);
        }
        int m = rest.numCols;
        int d = x.numCols;
        double[] affine = new double[skip ? m + m * d : m];
        for (int i = 0; i < m; i++) {
            affine[i] = beta.data[i];
            for (int t = 0; t < d && skip; t++) {
                affine[m + i * d + t] = beta.data[(1 + t) * m + i];
            }
        }
        return affine;
    }
}
