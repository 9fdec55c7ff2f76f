package io.sparsefit.core.linalg;

/** The few dense vector operations the solvers need, on flat arrays of equal length. */
public final class Vectors {

    private Vectors() {
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /**
     * Euclidean norm of {@code a[offset .. offset + length)} (not modified): row k of a K x length row-major array at
     * {@code offset = k * length}.
     */
    public static double norm(double[] a, int offset, int length) {
        double s = 0;
        for (int i = 0; i < length; i++) {
            double v = a[offset + i];
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /**
     * {@code out[i] = x_i . u} for the n rows of the row-major n x d array {@code x} ({@code x}, {@code u} not
     * modified; {@code out} modified, length at least n): the data's projections on a direction, summed over the
     * coordinates in order.
     */
    public static void rowDots(double[] x, int n, int d, double[] u, double[] out) {
        for (int i = 0; i < n; i++) {
            double p = 0;
            int row = i * d;
            for (int j = 0; j < d; j++) {
                p += u[j] * x[row + j];
            }
            out[i] = p;
        }
    }

    /** {@code out = a + t * b}. */
    public static void addScaled(double[] a, double t, double[] b, double[] out) {
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + t * b[i];
        }
    }

    /** The distinct values of {@code a[0..n)} in ascending order, in a new array ({@code a} is not modified). */
    public static double[] sortedDistinct(double[] a, int n) {
        double[] sorted = java.util.Arrays.copyOf(a, n);
        java.util.Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (distinct == 0 || sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        return java.util.Arrays.copyOf(sorted, distinct);
    }

    public static boolean allFinite(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x * 0.0;   // NaN or infinite entries turn the sum into NaN
        }
        return s == 0.0;
    }
}
