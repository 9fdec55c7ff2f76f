package io.sparsefit.core.kernel;

/**
 * Plain-Java kernels: the fallback when the Vector API module is absent, and the reference the vector path is
 * tested against. Register-blocked (4 x 4 tiles of scalar accumulators) and cache-blocked over the output columns
 * and the summation index; every output entry is one sequential sum in increasing index order, started from +0.0
 * (or from the value already in {@code out} for {@code ...Add}), with separate multiply and add (no FMA: {@code
 * Math.fma} is slow on hardware without it). The blocking therefore never changes a result.
 */
public final class ScalarKernels extends CheckedKernels {

    /** The one instance (stateless). */
    public static final ScalarKernels INSTANCE = new ScalarKernels();

    /** Rows of {@code w} (forward) per cache block. */
    static final int FORWARD_COLUMNS = 64;
    /** Rows of {@code dz}/{@code x} per cache block of the weight gradient. */
    static final int GRADIENT_ROWS = 128;
    /** Columns of {@code dz} per cache block of the input gradient. */
    static final int INPUT_COLUMNS = 256;

    private ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    void forwardProduct(double[] x, int n, int d, double[] w, int k, double[] bias, double[] out) {
        boolean relu = bias != null;
        for (int j0 = 0; j0 < k; j0 += FORWARD_COLUMNS) {
            int j1 = Math.min(k, j0 + FORWARD_COLUMNS);
            int j4 = j0 + (j1 - j0) / 4 * 4;
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                for (int j = j0; j < j4; j += 4) {
                    forward4x4(x, d, w, k, i, j, relu, bias, out);
                }
                for (int j = j4; j < j1; j++) {
                    for (int r = 0; r < 4; r++) {
                        out[(i + r) * k + j] = epilogue(dot(x, (i + r) * d, w, j * d, d), relu, bias, j);
                    }
                }
            }
            for (; i < n; i++) {
                for (int j = j0; j < j1; j++) {
                    out[i * k + j] = epilogue(dot(x, i * d, w, j * d, d), relu, bias, j);
                }
            }
        }
    }

    private static double epilogue(double z, boolean relu, double[] bias, int j) {
        return relu ? Math.max(0.0, z - bias[j]) : z;
    }

    private static double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        double s = 0.0;
        for (int p = 0; p < len; p++) {
            s += a[aOff + p] * b[bOff + p];
        }
        return s;
    }

    private static void forward4x4(double[] x, int d, double[] w, int k, int i, int j, boolean relu, double[] bias,
            double[] out) {
        int a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
        int b0 = j * d, b1 = b0 + d, b2 = b1 + d, b3 = b2 + d;
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < d; p++) {
            double x0 = x[a0 + p], x1 = x[a1 + p], x2 = x[a2 + p], x3 = x[a3 + p];
            double w0 = w[b0 + p], w1 = w[b1 + p], w2 = w[b2 + p], w3 = w[b3 + p];
            c00 += x0 * w0; c01 += x0 * w1; c02 += x0 * w2; c03 += x0 * w3;
            c10 += x1 * w0; c11 += x1 * w1; c12 += x1 * w2; c13 += x1 * w3;
            c20 += x2 * w0; c21 += x2 * w1; c22 += x2 * w2; c23 += x2 * w3;
            c30 += x3 * w0; c31 += x3 * w1; c32 += x3 * w2; c33 += x3 * w3;
        }
        int o = i * k + j;
        if (relu) {
            double m0 = bias[j], m1 = bias[j + 1], m2 = bias[j + 2], m3 = bias[j + 3];
            store4(out, o, Math.max(0.0, c00 - m0), Math.max(0.0, c01 - m1), Math.max(0.0, c02 - m2), Math.max(0.0, c03 - m3));
            store4(out, o + k, Math.max(0.0, c10 - m0), Math.max(0.0, c11 - m1), Math.max(0.0, c12 - m2), Math.max(0.0, c13 - m3));
            store4(out, o + 2 * k, Math.max(0.0, c20 - m0), Math.max(0.0, c21 - m1), Math.max(0.0, c22 - m2), Math.max(0.0, c23 - m3));
            store4(out, o + 3 * k, Math.max(0.0, c30 - m0), Math.max(0.0, c31 - m1), Math.max(0.0, c32 - m2), Math.max(0.0, c33 - m3));
        } else {
            store4(out, o, c00, c01, c02, c03);
            store4(out, o + k, c10, c11, c12, c13);
            store4(out, o + 2 * k, c20, c21, c22, c23);
            store4(out, o + 3 * k, c30, c31, c32, c33);
        }
    }

    private static void store4(double[] out, int o, double v0, double v1, double v2, double v3) {
        out[o] = v0;
        out[o + 1] = v1;
        out[o + 2] = v2;
        out[o + 3] = v3;
    }

    @Override
    void weightProduct(double[] dz, int n, int k, double[] x, int d, double[] out, boolean add) {
        if (!add) {
            java.util.Arrays.fill(out, 0, k * d, 0.0);
        }
        int j4 = k / 4 * 4;
        int p4 = d / 4 * 4;
        // Each entry out[j, p] is the sequential sum over i; blocks of rows continue it from out.
        for (int i0 = 0; i0 < n; i0 += GRADIENT_ROWS) {
            int i1 = Math.min(n, i0 + GRADIENT_ROWS);
            for (int j = 0; j < j4; j += 4) {
                for (int p = 0; p < p4; p += 4) {
                    tile4x4(dz, i0 * k + j, 1, k, x, i0 * d + p, 1, d, i1 - i0, d, out, j * d + p);
                }
                for (int p = p4; p < d; p++) {
                    for (int r = 0; r < 4; r++) {
                        out[(j + r) * d + p] = columnDot(dz, k, j + r, x, d, p, i0, i1, out[(j + r) * d + p]);
                    }
                }
            }
            for (int j = j4; j < k; j++) {
                for (int p = 0; p < d; p++) {
                    out[j * d + p] = columnDot(dz, k, j, x, d, p, i0, i1, out[j * d + p]);
                }
            }
        }
    }

    private static double columnDot(double[] a, int aw, int ja, double[] b, int bw, int jb, int i0, int i1, double s) {
        for (int i = i0; i < i1; i++) {
            s += a[i * aw + ja] * b[i * bw + jb];
        }
        return s;
    }

    /**
     * {@code out[o + r * d + c] += sum_t a[aBase + r * aRow + t * aStep] * b[bBase + c * bRow + t * bStep]} for the 4 x 4
     * tile {@code r, c < 4}, over {@code t < count} in increasing order: the micro-kernel of both the weight gradient
     * (rows of {@code dz} and {@code x}, one sample per step) and the input gradient (columns of {@code dz} and
     * {@code w^T}, one unit per step).
     */
    private static void tile4x4(double[] a, int aBase, int aRow, int aStep, double[] b, int bBase, int bRow, int bStep,
            int count, int d, double[] out, int o) {
        int o0 = o, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d;
        double c00 = out[o0], c01 = out[o0 + 1], c02 = out[o0 + 2], c03 = out[o0 + 3];
        double c10 = out[o1], c11 = out[o1 + 1], c12 = out[o1 + 2], c13 = out[o1 + 3];
        double c20 = out[o2], c21 = out[o2 + 1], c22 = out[o2 + 2], c23 = out[o2 + 3];
        double c30 = out[o3], c31 = out[o3 + 1], c32 = out[o3 + 2], c33 = out[o3 + 3];
        for (int t = 0, ia = aBase, ib = bBase; t < count; t++, ia += aStep, ib += bStep) {
            double g0 = a[ia], g1 = a[ia + aRow], g2 = a[ia + 2 * aRow], g3 = a[ia + 3 * aRow];
            double w0 = b[ib], w1 = b[ib + bRow], w2 = b[ib + 2 * bRow], w3 = b[ib + 3 * bRow];
            c00 += g0 * w0; c01 += g0 * w1; c02 += g0 * w2; c03 += g0 * w3;
            c10 += g1 * w0; c11 += g1 * w1; c12 += g1 * w2; c13 += g1 * w3;
            c20 += g2 * w0; c21 += g2 * w1; c22 += g2 * w2; c23 += g2 * w3;
            c30 += g3 * w0; c31 += g3 * w1; c32 += g3 * w2; c33 += g3 * w3;
        }
        store4(out, o0, c00, c01, c02, c03);
        store4(out, o1, c10, c11, c12, c13);
        store4(out, o2, c20, c21, c22, c23);
        store4(out, o3, c30, c31, c32, c33);
    }

    @Override
    void inputProduct(double[] dz, int n, int k, double[] w, int d, double[] out) {
        double[] wt = Checks.transpose(w, k, d); // d x k: both operands of every dot product contiguous
        java.util.Arrays.fill(out, 0, n * d, 0.0);
        int p4 = d / 4 * 4;
        for (int j0 = 0; j0 < k; j0 += INPUT_COLUMNS) {
            int j1 = Math.min(k, j0 + INPUT_COLUMNS);
            for (int i = 0; i < n; i += 4) {
                int rows = Math.min(4, n - i);
                int aOff = i * k + j0;
                if (rows == 4) {
                    for (int p = 0; p < p4; p += 4) {
                        tile4x4(dz, aOff, k, 1, wt, p * k + j0, k, 1, j1 - j0, d, out, i * d + p);
                    }
                }
                int pStart = rows == 4 ? p4 : 0;
                for (int r = 0; r < rows; r++) {
                    for (int p = pStart; p < d; p++) {
                        int o = (i + r) * d + p;
                        double s = out[o];
                        int ar = aOff + r * k;
                        int b = p * k + j0;
                        for (int j = 0; j < j1 - j0; j++) {
                            s += dz[ar + j] * wt[b + j];
                        }
                        out[o] = s;
                    }
                }
            }
        }
    }

    @Override
    void readoutBackward(double[] h, int n, int k, double[] g, int m, double[] vt, double[] gradVt,
            double[] gradBias) {
        double[] row = new double[k]; // g_r vt, summed over the outputs in increasing order
        for (int r = 0; r < n; r++) {
            int hr = r * k;
            java.util.Arrays.fill(row, 0.0);
            for (int i = 0; i < m; i++) {
                double gi = g[r * m + i];
                int vr = i * k;
                for (int j = 0; j < k; j++) {
                    gradVt[vr + j] += h[hr + j] * gi;
                    row[j] += gi * vt[vr + j];
                }
            }
            for (int j = 0; j < k; j++) {
                // relu'(z) as min(1, h * MAX): 1 where h > 0 (h >= 2^-1022), 0 where h = 0; branch-free, since the
                // masks are unpredictable and a branch costs several times the arithmetic.
                double dz = row[j] * Math.min(1.0, h[hr + j] * Double.MAX_VALUE);
                h[hr + j] = dz;
                gradBias[j] -= dz;
            }
        }
    }

    @Override
    void maskBackward(double[] dz, double[] h, int n, int k, double[] gradBias) {
        Checks.mask(dz, h, n * k);
        for (int r = 0; r < n; r++) {
            int row = r * k;
            for (int j = 0; j < k; j++) {
                gradBias[j] -= dz[row + j];
            }
        }
    }
}
