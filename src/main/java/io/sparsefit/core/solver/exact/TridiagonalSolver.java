package io.sparsefit.core.solver.exact;

/**
 * In-place LDL^T factorization and solve of a symmetric positive definite tridiagonal system over flat
 * arrays, O(p) time and no allocation: the banded solve behind every step of the exact 1-D solver (C1).
 */
final class TridiagonalSolver {

    private TridiagonalSolver() {
    }

    /**
     * Solves {@code M t = rhs} with {@code M} given by its diagonal {@code diag[0..p-1]} and
     * super-diagonal {@code off[0..p-2]}. {@code diag} and {@code off} are overwritten by the factors,
     * {@code rhs} by the solution.
     *
     * @return false when a pivot is not positive (the matrix is not numerically positive definite)
     */
    static boolean solveInPlace(double[] diag, double[] off, double[] rhs, int p) {
        // Factor: M = L D L^T with unit lower bidiagonal L (multipliers stored in off).
        if (!(diag[0] > 0)) {
            return false;
        }
        for (int i = 1; i < p; i++) {
            double l = off[i - 1] / diag[i - 1];
            diag[i] -= l * off[i - 1];
            off[i - 1] = l;
            if (!(diag[i] > 0)) {
                return false;
            }
        }
        for (int i = 1; i < p; i++) {
            rhs[i] -= off[i - 1] * rhs[i - 1];
        }
        rhs[p - 1] /= diag[p - 1];
        for (int i = p - 2; i >= 0; i--) {
            rhs[i] = rhs[i] / diag[i] - off[i] * rhs[i + 1];
        }
        return true;
    }
}
