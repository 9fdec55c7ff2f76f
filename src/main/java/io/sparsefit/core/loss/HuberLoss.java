package io.sparsefit.core.loss;

/**
 * The Huber loss with parameter {@code delta > 0} (theory A2b), per output with {@code r = f - y}:
 * {@code 1/2 r^2} for {@code |r| <= delta}, else {@code delta (|r| - delta/2)}; real targets, m outputs. Its
 * derivative is {@code r} clipped to {@code [-delta, delta]}. Conjugate (per output, summed):
 * {@code loss*(u; y) = u y + 1/2 u^2} for {@code |u| <= delta}, {@code +infinity} otherwise (the conjugate of the
 * Huber function is the squared norm restricted to the box, shifted by the target).
 */
public record HuberLoss(double delta) implements Loss {

    /** @throws IllegalArgumentException unless {@code delta} is finite and positive */
    public HuberLoss {
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("huber delta must be finite and > 0, got " + delta);
        }
    }

    @Override
    public String wireName() {
        return "huber";
    }

    @Override
    public double gradient(double[] f, int fOffset, double[] y, int yOffset, double[] w, int wOffset, int rows, int m,
                           double scale, double[] gradient, int gOffset) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w == null ? 1.0 : w[wOffset + r];
            double rowSum = 0;
            for (int i = 0; i < m; i++) {
                double residual = f[fOffset + r * m + i] - y[yOffset + r * m + i];
                double a = Math.abs(residual);
                rowSum += a <= delta ? 0.5 * residual * residual : delta * (a - 0.5 * delta);
                if (gradient != null) {
                    gradient[gOffset + r * m + i] = scale * wr * Math.max(-delta, Math.min(delta, residual));
                }
            }
            sum += wr * rowSum;
        }
        return sum;
    }

    @Override
    public void hessian(double[] f, int fOffset, double[] y, int yOffset, int m, double[] out) {
        java.util.Arrays.fill(out, 0, m * m, 0.0);
        for (int i = 0; i < m; i++) {
            out[i * m + i] = Math.abs(f[fOffset + i] - y[yOffset + i]) <= delta ? 1.0 : 0.0;
        }
    }

    @Override
    public double conjugate(double[] u, int uOffset, double[] y, int yOffset, int m) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            double ui = u[uOffset + i];
            if (Math.abs(ui) > delta) {
                if (Math.abs(ui) > delta + DOMAIN_TOLERANCE * Math.max(1.0, delta)) {
                    return Double.POSITIVE_INFINITY;
                }
                ui = Math.copySign(delta, ui);
            }
            s += ui * y[yOffset + i] + 0.5 * ui * ui;
        }
        return s;
    }
}
