package io.sparsefit.core.convex;

/**
 * The top eigenpair of a symmetric 2 x 2 matrix {@code G = [g00 g01; g01 g11]} in closed form: the largest
 * {@code ||M u||^2} over unit {@code u} in a plane, for the arc and circle searches of the exact pricing in two and
 * three inputs ({@link ExactPricing2D}, {@link ArrangementPricing3D}).
 */
final class SymmetricEigen2 {

    private SymmetricEigen2() {
    }

    /** The larger eigenvalue of {@code G}. */
    static double top(double g00, double g01, double g11) {
        double half = 0.5 * (g00 - g11);
        return 0.5 * (g00 + g11) + Math.sqrt(half * half + g01 * g01);
    }

    /**
     * An eigenvector of {@code G} for its top eigenvalue {@code top}, not normalized, into {@code out[0..2)} (modified):
     * {@code (g01, top - g00)} or {@code (top - g11, g01)}, whichever is longer (the better conditioned). Returns its
     * length, 0 when {@code G} is a multiple of the identity (then every direction is one).
     */
    static double topVector(double g00, double g01, double g11, double top, double[] out) {
        double ex = g01;
        double ey = top - g00;
        double fx = top - g11;
        double fy = g01;
        if (fx * fx + fy * fy > ex * ex + ey * ey) {
            ex = fx;
            ey = fy;
        }
        out[0] = ex;
        out[1] = ey;
        return Math.sqrt(ex * ex + ey * ey);
    }
}
