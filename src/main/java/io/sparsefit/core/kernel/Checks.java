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
     * Zeroes the entries of {@code dz} (modified) where {@code h} (not modified) is {@code <= 0}, over the first
     * {@code size} entries: branch-free, on the bit patterns (a positive double, non-zero sign bit clear, keeps its
     * entry; +0.0, -0.0 and negatives give +0.0).
     */
    static void mask(double[] dz, double[] h, int size) {
        for (int j = 0; j < size; j++) {
            long bits = Double.doubleToRawLongBits(h[j]);
            long keep = ((-bits) & ~bits) >> 63; // all ones iff bits > 0, i.e. h > 0 (or a positive NaN)
            dz[j] = Double.longBitsToDouble(Double.doubleToRawLongBits(dz[j]) & keep);
        }
    }
}
