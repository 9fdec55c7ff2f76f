package io.sparsefit.core.linalg;

/**
 * Deleting a row and column of a symmetric positive definite matrix from its Cholesky factor, O(n^2) where a new
 * factorization is O(n^3): the update by Givens rotations of Golub and Van Loan (Matrix Computations, 4th ed., 6.5.4,
 * "choldelete"). With {@code G = L L^T}, dropping row j of L leaves an (n - 1) x n matrix M with {@code M M^T} the
 * Gram matrix without row and column j; its rows from j on reach one column past the diagonal, and rotations of the
 * column pairs (i, i + 1), i = j..n-2, each zeroing that entry of row i, bring it back to lower-triangular form
 * ({@code M Q = [L' 0]}, Q orthogonal, so {@code L' L'^T = M M^T}). Backward stable (orthogonal rotations), with a
 * positive diagonal.
 */
public final class CholeskyDelete {

    private CholeskyDelete() {
    }

    /**
     * Deletes row and column {@code j} from the n x n lower-triangular factor {@code lower} (row-major with row stride
     * {@code stride >= n}, positive diagonal; modified): on return its leading (n - 1) x (n - 1) block, same stride, is
     * the factor of the matrix without row and column j, zero above its diagonal; row n - 1 is left as garbage.
     */
    public static void deleteRow(double[] lower, int n, int stride, int j) {
        if (j < 0 || j >= n) {
            throw new IllegalArgumentException("row " + j + " of a factor of order " + n);
        }
        for (int r = j + 1; r < n; r++) {
            // row r moves up, keeping its entries 0..r (one past its new diagonal)
            System.arraycopy(lower, r * stride, lower, (r - 1) * stride, r + 1);
        }
        for (int i = j; i < n - 1; i++) {
            int diagonal = i * stride + i;
            double a = lower[diagonal];
            double b = lower[diagonal + 1];
            double radius = Math.hypot(a, b);
            double c = a / radius;
            double s = b / radius;
            lower[diagonal] = radius;
            lower[diagonal + 1] = 0.0;
            for (int t = i + 1; t < n - 1; t++) {
                int at = t * stride + i;
                double x = lower[at];
                double y = lower[at + 1];
                lower[at] = c * x + s * y;
                lower[at + 1] = c * y - s * x;
            }
        }
    }
}
