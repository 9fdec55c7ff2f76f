package io.sparsefit.core.kernel;

/** Argument checks shared by the implementations. */
final class Checks {

    private Checks() {
    }

    static void dims(int... dims) {
        for (int v : dims) {
            if (v < 0) {
                throw new IllegalArgumentException("negative dimension " + v);
            }
        }
    }

    static void size(String name, double[] a, int rows, int cols) {
        if (a == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if ((long) a.length < (long) rows * cols) {
            throw new IllegalArgumentException(name + " has " + a.length + " entries, needs " + rows + " x " + cols);
        }
    }

    static void distinct(double[] out, double[]... inputs) {
        for (double[] in : inputs) {
            if (in == out) {
                throw new IllegalArgumentException("the output must not alias an input");
            }
        }
    }

    /** The arguments of {@link DenseKernels#reluReadoutBackward}: sizes, and no output aliasing another array. */
    static void readoutBackward(double[] h, int n, int k, double[] g, int m, double[] vt, double[] gradVt,
            double[] gradBias) {
        dims(n, k, m);
        size("h", h, n, k);
        size("g", g, n, m);
        size("vt", vt, m, k);
        size("gradVt", gradVt, m, k);
        size("gradBias", gradBias, 1, k);
        distinct(h, g, vt, gradVt, gradBias);
        distinct(gradVt, g, vt, gradBias);
        distinct(gradBias, g, vt);
    }

    /** The arguments of {@link DenseKernels#reluBackward}. */
    static void reluBackward(double[] dz, double[] h, int n, int k, double[] gradBias) {
        dims(n, k);
        size("dz", dz, n, k);
        size("h", h, n, k);
        size("gradBias", gradBias, 1, k);
        distinct(dz, h, gradBias);
        distinct(gradBias, h);
    }

    /** {@code t[c x r] = a[r x c]^T}, into a new array. */
    static double[] transpose(double[] a, int rows, int cols) {
        return transpose(a, rows, cols, new double[rows * cols]);
    }

    /** {@code t[c x r] = a[r x c]^T}; {@code t} (at least {@code rows * cols} long) is modified and returned. */
    static double[] transpose(double[] a, int rows, int cols, double[] t) {
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[row + j];
            }
        }
        return t;
    }

    /**
     * Copies rows {@code i0..i0+rows-1}, columns {@code j0..j1-1} of {@code dz} (width k) into {@code buf} (row
     * stride {@code j1 - j0}), zeroing the entries where {@code h <= 0}: branch-free, on the bit patterns (a
     * positive double, non-zero sign bit clear, keeps its entry; +0.0, -0.0 and negatives give +0.0). With
     * {@code i0 = j0 = 0} and {@code j1 = k}, {@code buf} may be {@code dz} itself (in place). Returns {@code buf}.
     */
    static double[] maskRows(double[] dz, double[] h, int k, int i0, int rows, int j0, int j1, double[] buf) {
        int width = j1 - j0;
        for (int r = 0; r < rows; r++) {
            int src = (i0 + r) * k + j0;
            int dst = r * width;
            for (int j = 0; j < width; j++) {
                long bits = Double.doubleToRawLongBits(h[src + j]);
                long keep = ((-bits) & ~bits) >> 63; // all ones iff bits > 0, i.e. h > 0 (or a positive NaN)
                buf[dst + j] = Double.longBitsToDouble(Double.doubleToRawLongBits(dz[src + j]) & keep);
            }
        }
        return buf;
    }
}
