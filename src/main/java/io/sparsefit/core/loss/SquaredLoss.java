package io.sparsefit.core.loss;

/**
 * {@code loss(f; y) = 1/2 ||f - y||^2} (theory A2), real targets, m outputs. Conjugate
 * {@code loss*(u; y) = u . y + 1/2 ||u||^2}, defined everywhere; the dual point is the (weighted) residual
 * {@code y - f}, so the dual value is {@code sum_n (g_n . y_n - ||g_n||^2 / (2 w_n))} (T8 for {@code w = 1}).
 */
public record SquaredLoss() implements Loss {

    /** The one instance. */
    public static final SquaredLoss INSTANCE = new SquaredLoss();

    @Override
    public String wireName() {
        return "squared";
    }

    @Override
    public boolean leastSquares() {
        return true;
    }

    /** Sums the squared residuals first and halves once, so unweighted results are those of the sum of squares. */
    @Override
    public double gradient(double[] f, int fOffset, double[] y, int yOffset, double[] w, int wOffset, int rows, int m,
                           double scale, double[] gradient, int gOffset) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w == null ? 1.0 : w[wOffset + r];
            double rowSum = 0;
            for (int i = 0; i < m; i++) {
                double residual = f[fOffset + r * m + i] - y[yOffset + r * m + i];
                if (w == null) {
                    sum += residual * residual;
                } else {
                    rowSum += residual * residual;
                }
                if (gradient != null) {
                    gradient[gOffset + r * m + i] = w == null ? scale * residual : scale * wr * residual;
                }
            }
            sum += wr * rowSum;
        }
        return 0.5 * sum;
    }

    @Override
    public void hessian(double[] f, int fOffset, double[] y, int yOffset, int m, double[] out) {
        java.util.Arrays.fill(out, 0, m * m, 0.0);
        for (int i = 0; i < m; i++) {
            out[i * m + i] = 1.0;
        }
    }

    @Override
    public double conjugate(double[] u, int uOffset, double[] y, int yOffset, int m) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            double ui = u[uOffset + i];
            s += ui * y[yOffset + i] + 0.5 * ui * ui;
        }
        return s;
    }

    /** {@code sum_n (g_n . y_n - ||g_n||^2 / (2 w_n))}, the conjugate written out (no division for w = 1). */
    @Override
    public double dualValue(double[] g, double[] y, double[] w, int rows, int m, double[] work) {
        double dual = 0;
        for (int r = 0; r < rows; r++) {
            double half = w == null ? 0.5 : 0.5 / w[r];
            for (int i = 0; i < m; i++) {
                double gi = g[r * m + i];
                dual += gi * y[r * m + i] - half * gi * gi;
            }
        }
        return dual;
    }
}
