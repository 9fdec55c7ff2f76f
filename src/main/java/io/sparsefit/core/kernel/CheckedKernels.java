package io.sparsefit.core.kernel;

/**
 * The entry points of {@link DenseKernels} shared by both implementations: each checks its arguments (sizes, and no
 * output aliasing an input) and hands them to the implementation's product, which may then assume them valid.
 */
abstract class CheckedKernels implements DenseKernels {

    @Override
    public final void forward(double[] x, int n, int d, double[] w, int k, double[] out) {
        forwardRelu(x, n, d, w, k, null, out);
    }

    @Override
    public final void forwardRelu(double[] x, int n, int d, double[] w, int k, double[] bias, double[] out) {
        Checks.dims(n, d, k);
        Checks.size("x", x, n, d);
        Checks.size("w", w, k, d);
        Checks.size("out", out, n, k);
        if (bias != null) {
            Checks.size("bias", bias, 1, k);
            Checks.distinct(out, x, w, bias);
        } else {
            Checks.distinct(out, x, w);
        }
        forwardProduct(x, n, d, w, k, bias, out);
    }

    @Override
    public final void weightGradient(double[] dz, int n, int k, double[] x, int d, double[] out) {
        weightGradient(dz, n, k, x, d, out, false);
    }

    @Override
    public final void weightGradientAdd(double[] dz, int n, int k, double[] x, int d, double[] out) {
        weightGradient(dz, n, k, x, d, out, true);
    }

    @Override
    public final void inputGradient(double[] dz, int n, int k, double[] w, int d, double[] out) {
        Checks.dims(n, d, k);
        Checks.size("dz", dz, n, k);
        Checks.size("w", w, k, d);
        Checks.size("out", out, n, d);
        Checks.distinct(out, dz, w);
        inputProduct(dz, n, k, w, d, out);
    }

    @Override
    public final void reluReadoutBackward(double[] h, int n, int k, double[] g, int m, double[] vt, double[] gradVt,
            double[] gradBias) {
        Checks.readoutBackward(h, n, k, g, m, vt, gradVt, gradBias);
        readoutBackward(h, n, k, g, m, vt, gradVt, gradBias);
    }

    @Override
    public final void reluBackward(double[] dz, double[] h, int n, int k, double[] gradBias) {
        Checks.reluBackward(dz, h, n, k, gradBias);
        maskBackward(dz, h, n, k, gradBias);
    }

    private void weightGradient(double[] dz, int n, int k, double[] x, int d, double[] out, boolean add) {
        Checks.dims(n, d, k);
        Checks.size("dz", dz, n, k);
        Checks.size("x", x, n, d);
        Checks.size("out", out, k, d);
        Checks.distinct(out, dz, x);
        weightProduct(dz, n, k, x, d, out, add);
    }

    /** {@link #forwardRelu} on checked arguments. */
    abstract void forwardProduct(double[] x, int n, int d, double[] w, int k, double[] bias, double[] out);

    /** {@link #weightGradient} ({@code add} false) or {@link #weightGradientAdd} on checked arguments. */
    abstract void weightProduct(double[] dz, int n, int k, double[] x, int d, double[] out, boolean add);

    /** {@link #inputGradient} on checked arguments. */
    abstract void inputProduct(double[] dz, int n, int k, double[] w, int d, double[] out);

    /** {@link #reluReadoutBackward} on checked arguments. */
    abstract void readoutBackward(double[] h, int n, int k, double[] g, int m, double[] vt, double[] gradVt,
            double[] gradBias);

    /** {@link #reluBackward} on checked arguments. */
    abstract void maskBackward(double[] dz, double[] h, int n, int k, double[] gradBias);
}
