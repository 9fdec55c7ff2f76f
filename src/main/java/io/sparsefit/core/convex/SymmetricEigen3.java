package io.sparsefit.core.convex;

/**
 * The top eigenpair of a symmetric 3 x 3 matrix by cyclic Jacobi rotations: accurate to rounding (relative to
 * the matrix's norm), allocation-free and deterministic, for the face candidates of
 * {@link ArrangementPricing3D}.
 */
final class SymmetricEigen3 {

    private static final int SWEEPS = 50;

    private SymmetricEigen3() {
    }

    /**
     * Returns the largest eigenvalue of {@code a} and writes a unit eigenvector for it into {@code out}.
     *
     * @param a    3 x 3 symmetric, row-major; modified (diagonalized)
     * @param v    3 x 3 work array; modified (the eigenvectors, in columns)
     * @param out  length 3; modified
     */
    static double top(double[] a, double[] v, double[] out) {
        for (int i = 0; i < 9; i++) {
            v[i] = i % 4 == 0 ? 1.0 : 0.0;
        }
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            double off = a[1] * a[1] + a[2] * a[2] + a[5] * a[5];
            double diag = a[0] * a[0] + a[4] * a[4] + a[8] * a[8];
            if (!(off > 1e-34 * diag)) {
                break;
            }
            rotate(a, v, 0, 1);
            rotate(a, v, 0, 2);
            rotate(a, v, 1, 2);
        }
        int k = 0;
        if (a[4] > a[0]) {
            k = 1;
        }
        if (a[8] > a[4 * k]) {
            k = 2;
        }
        out[0] = v[k];
        out[1] = v[3 + k];
        out[2] = v[6 + k];
        return a[4 * k];
    }

    /** One Jacobi rotation zeroing a[p][q]: a <- J^T a J, v <- v J. */
    private static void rotate(double[] a, double[] v, int p, int q) {
        double apq = a[3 * p + q];
        if (apq == 0) {
            return;
        }
        double theta = (a[3 * q + q] - a[3 * p + p]) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < 3; k++) {
            double akp = a[3 * k + p];
            double akq = a[3 * k + q];
            a[3 * k + p] = c * akp - s * akq;
            a[3 * k + q] = s * akp + c * akq;
        }
        for (int k = 0; k < 3; k++) {
            double apk = a[3 * p + k];
            double aqk = a[3 * q + k];
            a[3 * p + k] = c * apk - s * aqk;
            a[3 * q + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < 3; k++) {
            double vkp = v[3 * k + p];
            double vkq = v[3 * k + q];
            v[3 * k + p] = c * vkp - s * vkq;
            v[3 * k + q] = s * vkp + c * vkq;
        }
    }
}
